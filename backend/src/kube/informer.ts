// A generic informer: list, then watch from the list's resourceVersion, keeping an in-memory
// store keyed by namespace/name and telling handlers what was added, updated and deleted.
//
// The loop follows client-go's reflector: a paginated list gives a consistent snapshot and a
// resourceVersion; the watch resumes from the last resourceVersion seen (bookmarks included) when
// the connection ends; 410 Gone (the version was compacted away) means list again; any other
// failure waits an exponential backoff with jitter so that a restarting API server is not
// stampeded. Objects can be filtered and transformed on receipt, before they are stored, so that
// a store of 10,000 pods holds only the few fields its users read.
import type { Logger } from 'pino';
import { isGone, KubeApiError, type KubeClient } from './client.ts';
import { InterruptibleSleep } from './interruptible-sleep.ts';

export interface RawObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  uid?: string;
  [field: string]: unknown;
}

/** An object as the API server sends it (plain JSON). */
export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata?: RawObjectMeta;
  [field: string]: unknown;
}

/** What a store holds: at least the identity and version of the object it came from. */
export interface StoredObject {
  metadata: { name: string; namespace?: string; resourceVersion: string };
}

export interface ResourceDescriptor {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export interface ListPage {
  items: RawObject[];
  resourceVersion: string;
  continueToken?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchConnection {
  abort(): void;
}

/** The two calls an informer makes; the API implementation is apiListerWatcher, tests fake it. */
export interface ListerWatcher {
  listPage(options: { limit: number; continueToken?: string }): Promise<ListPage>;
  /**
   * Opens a watch from resourceVersion. onEvent gets each event; onDone is called once when the
   * stream ends (null: closed normally) or fails.
   */
  watch(
    options: { resourceVersion: string; timeoutSeconds: number },
    onEvent: (type: WatchEventType, object: RawObject) => void,
    onDone: (err: unknown) => void,
  ): Promise<WatchConnection>;
}

export interface Selectors {
  /** Only this namespace (namespaced resources); default all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export function resourcePath(resource: ResourceDescriptor, namespace?: string): string {
  const base = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${resource.plural}`;
}

/**
 * Lists (paginated) and watches through the raw-JSON client. Its watch stream replaces
 * client-node's Watch (undici + web streams + readline per event), which allocated several
 * times more per event and aborted quiet watches after a fixed 30 s.
 */
export function apiListerWatcher(
  client: KubeClient,
  resource: ResourceDescriptor,
  selectors: Selectors = {},
): ListerWatcher {
  const path = resourcePath(resource, selectors.namespace);
  return {
    async listPage({ limit, continueToken }) {
      const list = await client.request<{
        items?: RawObject[];
        metadata?: { resourceVersion?: string; continue?: string };
      }>({
        method: 'GET',
        path,
        query: {
          limit,
          continue: continueToken,
          labelSelector: selectors.labelSelector,
          fieldSelector: selectors.fieldSelector,
        },
        timeoutMs: 120_000,
      });
      return {
        items: list.items ?? [],
        resourceVersion: list.metadata?.resourceVersion ?? '',
        continueToken: list.metadata?.continue || undefined,
      };
    },
    watch({ resourceVersion, timeoutSeconds }, onEvent, onDone) {
      return client.watch(
        {
          path,
          query: {
            resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds,
            labelSelector: selectors.labelSelector,
            fieldSelector: selectors.fieldSelector,
          },
        },
        (event) => {
          const e = event as { type?: string; object?: RawObject };
          if (e.type && e.object) onEvent(e.type as WatchEventType, e.object);
        },
        onDone,
      );
    },
  };
}

export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Each wait is multiplied by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

export interface InformerOptions<T extends StoredObject> {
  /** For logs, e.g. "nodes". */
  name: string;
  listerWatcher: ListerWatcher;
  logger: Logger;
  /** Objects for which this is false are not stored (and leave the store when they stop matching). */
  filter?: (raw: RawObject) => boolean;
  /** Applied before storing; keep only what the store's users read. Default: the object itself. */
  transform?: (raw: RawObject) => T;
  /** Items per list page; default 100 (smaller pages keep the heap's high-water mark down at 10,000 pods). */
  pageSize?: number;
  backoff?: Partial<BackoffOptions>;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000, jitter: 0.5 };

export function objectKey(meta: { name?: string; namespace?: string }): string {
  return meta.namespace ? `${meta.namespace}/${meta.name ?? ''}` : (meta.name ?? '');
}

type WatchOutcome = { kind: 'closed' | 'gone' } | { kind: 'failed'; err: unknown };

export class Informer<T extends StoredObject> {
  readonly name: string;
  /** Resolves once the first list has been stored and its add events delivered. */
  readonly synced: Promise<void>;
  private store = new Map<string, T>();
  private readonly handlers = new Set<InformerHandlers<T>>();
  private readonly options: InformerOptions<T>;
  private readonly backoffOptions: BackoffOptions;
  private readonly log: Logger;
  private resourceVersion = '';
  private hasSyncedOnce = false;
  private resolveSynced!: () => void;
  private running = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private connection: WatchConnection | undefined;
  private endWatch: (() => void) | undefined;
  private readonly sleeper = new InterruptibleSleep();
  private failures = 0;

  constructor(options: InformerOptions<T>) {
    this.options = options;
    this.name = options.name;
    this.backoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.log = options.logger.child({ informer: options.name });
    this.synced = new Promise((resolve) => (this.resolveSynced = resolve));
  }

  /**
   * Registers handlers. Objects already in the store are replayed to `add` at once, so a
   * handler registered late sees the same world as one registered before start.
   */
  addHandlers(handlers: InformerHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (handlers.add) for (const obj of this.store.values()) this.call(() => handlers.add!(obj));
    return () => this.handlers.delete(handlers);
  }

  get(key: string): T | undefined {
    return this.store.get(key);
  }

  getByName(name: string, namespace?: string): T | undefined {
    return this.store.get(objectKey({ name, namespace }));
  }

  list(): T[] {
    return [...this.store.values()];
  }

  values(): IterableIterator<T> {
    return this.store.values();
  }

  get size(): number {
    return this.store.size;
  }

  hasSynced(): boolean {
    return this.hasSyncedOnce;
  }

  /**
   * The objects as the API server holds them now, read with a consistent (quorum) paged list
   * through the informer's own filter and transform, without touching its store: for decisions
   * that must not rest on a cache that may have fallen behind (deleting a cloud VM).
   */
  async listNow(): Promise<T[]> {
    const pageSize = this.options.pageSize ?? 100;
    for (;;) {
      const items: T[] = [];
      let continueToken: string | undefined;
      try {
        do {
          const page = await this.options.listerWatcher.listPage({ limit: pageSize, continueToken });
          for (const raw of page.items) {
            if (!raw.metadata?.name) continue;
            if (this.options.filter && !this.options.filter(raw)) continue;
            items.push(this.transform(raw));
          }
          continueToken = page.continueToken;
        } while (continueToken);
        return items;
      } catch (err) {
        // The continue token outlived its snapshot: list again from the top.
        if (continueToken && isGone(err)) continue;
        throw err;
      }
    }
  }

  /** The resourceVersion the store reflects (from the last list, event or bookmark). */
  lastResourceVersion(): string {
    return this.resourceVersion;
  }

  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => this.log.error({ err }, 'informer loop ended unexpectedly'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connection?.abort();
    this.connection = undefined;
    this.endWatch?.();
    this.sleeper.interrupt();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (!this.resourceVersion) {
        try {
          await this.relist();
        } catch (err) {
          if (this.stopped) break;
          this.log.warn({ err: describe(err) }, 'list failed; retrying after backoff');
          await this.sleep(this.nextBackoff());
          continue;
        }
      }
      const startedAt = Date.now();
      const outcome = await this.watchOnce();
      if (this.stopped) break;
      if (outcome.kind === 'gone') {
        // The version we hold is compacted away: only a fresh list brings the store back in line.
        this.log.info('watch resourceVersion expired (410 Gone); listing again');
        this.resourceVersion = '';
      } else if (outcome.kind === 'failed') {
        this.log.warn({ err: describe(outcome.err) }, 'watch failed; reconnecting after backoff');
        await this.sleep(this.nextBackoff());
      } else if (Date.now() - startedAt < 1000) {
        // A watch that the server closes at once, again and again, must not become a busy loop.
        await this.sleep(this.nextBackoff());
      }
    }
  }

  private nextBackoff(): number {
    const { initialMs, maxMs, jitter } = this.backoffOptions;
    const base = Math.min(maxMs, initialMs * 2 ** this.failures);
    this.failures += 1;
    return Math.round(base * (1 - jitter + Math.random() * 2 * jitter));
  }

  private sleep(ms: number): Promise<void> {
    return this.sleeper.sleep(ms);
  }

  private async relist(): Promise<void> {
    const pageSize = this.options.pageSize ?? 100;
    const fresh = new Map<string, T>();
    let resourceVersion = '';
    let continueToken: string | undefined;
    // Items are filtered and transformed page by page, so the raw pages can be collected
    // while the rest of the list is still arriving.
    for (;;) {
      let page: ListPage;
      try {
        page = await this.options.listerWatcher.listPage({ limit: pageSize, continueToken });
      } catch (err) {
        if (continueToken && isGone(err)) {
          // The continue token outlived its snapshot: start the list again from the top.
          this.log.info('list continue token expired; listing from the start');
          fresh.clear();
          continueToken = undefined;
          continue;
        }
        throw err;
      }
      if (this.stopped) return;
      resourceVersion = page.resourceVersion;
      for (const raw of page.items) {
        if (!raw.metadata?.name) continue;
        if (this.options.filter && !this.options.filter(raw)) continue;
        const obj = this.transform(raw);
        fresh.set(objectKey(obj.metadata), obj);
      }
      continueToken = page.continueToken;
      if (!continueToken) break;
    }

    const previous = this.store;
    this.store = fresh;
    this.resourceVersion = resourceVersion;
    this.failures = 0;
    for (const [key, obj] of fresh) {
      const old = previous.get(key);
      if (!old) this.emitAdd(obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emitUpdate(old, obj);
    }
    for (const [key, old] of previous) {
      if (!fresh.has(key)) this.emitDelete(old);
    }
    this.log.debug({ objects: fresh.size, resourceVersion }, 'listed');
    if (!this.hasSyncedOnce) {
      this.hasSyncedOnce = true;
      this.resolveSynced();
    }
  }

  private watchOnce(): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve) => {
      let gone = false;
      let settled = false;
      const finish = (outcome: WatchOutcome) => {
        if (settled) return;
        settled = true;
        this.connection = undefined;
        this.endWatch = undefined;
        resolve(outcome);
      };
      // stop() must not depend on the watch implementation calling onDone after an abort.
      this.endWatch = () => finish({ kind: 'closed' });
      const onDone = (err: unknown) => {
        if (gone || isGoneError(err)) finish({ kind: 'gone' });
        else if (err && !isClientTimeout(err)) finish({ kind: 'failed', err });
        else finish({ kind: 'closed' });
      };
      const onEvent = (type: WatchEventType, object: RawObject) => {
        if (this.stopped || settled) return;
        if (type === 'ERROR') {
          const status = object as { code?: number; reason?: string; message?: string };
          if (status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone') gone = true;
          else this.log.warn({ status: { code: status.code, message: status.message } }, 'watch error event');
          return;
        }
        this.failures = 0;
        const rv = object?.metadata?.resourceVersion;
        if (type === 'BOOKMARK') {
          if (rv) this.resourceVersion = rv;
          return;
        }
        if (!object?.metadata?.name) return;
        if (type === 'ADDED' || type === 'MODIFIED') this.upsert(object);
        else if (type === 'DELETED') this.remove(object);
        if (rv) this.resourceVersion = rv;
      };
      // Server-side timeout, randomised like client-go's reflector so that watches spread out.
      const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
      this.options.listerWatcher
        .watch({ resourceVersion: this.resourceVersion, timeoutSeconds }, onEvent, onDone)
        .then((connection) => {
          if (settled || this.stopped) connection.abort();
          else this.connection = connection;
          if (this.stopped) finish({ kind: 'closed' });
        })
        .catch((err: unknown) => onDone(err ?? new Error('watch could not start')));
    });
  }

  private transform(raw: RawObject): T {
    return this.options.transform ? this.options.transform(raw) : (raw as unknown as T);
  }

  private upsert(raw: RawObject): void {
    const key = objectKey(raw.metadata!);
    const old = this.store.get(key);
    if (this.options.filter && !this.options.filter(raw)) {
      // Stopped matching (e.g. a label was removed): to this store's users it is gone.
      if (old) {
        this.store.delete(key);
        this.emitDelete(old);
      }
      return;
    }
    const obj = this.transform(raw);
    this.store.set(key, obj);
    if (old) this.emitUpdate(old, obj);
    else this.emitAdd(obj);
  }

  private remove(raw: RawObject): void {
    const key = objectKey(raw.metadata!);
    const old = this.store.get(key);
    if (!old) return;
    this.store.delete(key);
    this.emitDelete(old);
  }

  private emitAdd(obj: T): void {
    for (const h of this.handlers) if (h.add) this.call(() => h.add!(obj));
  }

  private emitUpdate(oldObj: T, newObj: T): void {
    for (const h of this.handlers) if (h.update) this.call(() => h.update!(oldObj, newObj));
  }

  private emitDelete(obj: T): void {
    for (const h of this.handlers) if (h.delete) this.call(() => h.delete!(obj));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // One faulty handler must not stop the store from following the API server.
      this.log.error({ err }, 'informer handler threw');
    }
  }
}

function isGoneError(err: unknown): boolean {
  if (isGone(err)) return true;
  const e = err as { statusCode?: number; code?: number } | null;
  return e?.statusCode === 410 || e?.code === 410;
}

/** The client gave up on a silent connection: reconnect at once, no backoff. */
function isClientTimeout(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'TimeoutError';
}

function describe(err: unknown): string {
  if (err instanceof KubeApiError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
