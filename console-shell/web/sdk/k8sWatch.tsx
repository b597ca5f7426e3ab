// The watches behind useK8sWatchResource(s), following the console's k8s actions and reducer:
//
// * a list is read in pages of 250, then watched over a WebSocket from the list's
//   resourceVersion (/api/kubernetes/...?watch=true); events are applied in batches every
//   500 ms; a closed socket resumes from the last resourceVersion seen (bookmarks included),
//   and a 410 Gone, or a socket that never opened (e.g. 403), starts over with a fresh list;
// * a single object is read with GET every 30 s and watched with fieldSelector=metadata.name;
//   every event replaces the data, as the console's modifyObject does;
// * an error keeps the data and the loaded flag (stale data beats an empty page) and sets
//   loadError; the next successful read clears it;
// * one watch per model+query, reference-counted across components; the last release stops it.
import type { K8sModel, K8sResourceCommon, WatchK8sResource } from '@openshift-console/dynamic-plugin-sdk';
import { k8sGet, k8sListRaw, resourceURL, selectorToString } from './k8sResource';

export type WatchState = { data: unknown; loaded: boolean; loadError: unknown };

type Query = {
  ns?: string;
  name?: string;
  labelSelector?: WatchK8sResource['selector'];
  fieldSelector?: string;
  limit?: number;
};

type WatchEvent = { type: string; object: K8sResourceCommon & { code?: number; message?: string } };

const PAGE_SIZE = 250;
const FLUSH_INTERVAL_MS = 500;
const OBJECT_POLL_MS = 30_000;
const LIST_RETRY_MS = 15_000;
const MAX_BACKOFF_MS = 15_000;

const referenceOf = (model: K8sModel) => `${model.apiGroup || 'core'}~${model.apiVersion}~${model.kind}`;

/** The console's query (makeQuery) for a watched resource. */
const queryOf = (resource: WatchK8sResource): Query => {
  const query: Query = {};
  if (resource.selector && Object.keys(resource.selector).length > 0) query.labelSelector = resource.selector;
  if (resource.namespace) query.ns = resource.namespace;
  if (resource.name) query.name = resource.name;
  if (resource.fieldSelector) query.fieldSelector = resource.fieldSelector;
  if (resource.limit) query.limit = resource.limit;
  return query;
};

/** The console's redux id for a watch: one watch per id. */
export const watchIdOf = (model: K8sModel, resource: WatchK8sResource): string => {
  const query = queryOf(resource);
  const qs = Object.keys(query).length > 0 ? `---${JSON.stringify(query)}` : '';
  return `${resource.isList ? 'list' : 'object'}:${referenceOf(model)}${qs}`;
};

// Namespace plus name identifies an object in a list (the console's getQN).
const qualifiedName = (o: K8sResourceCommon) =>
  (o.metadata?.namespace ? `(${o.metadata.namespace})-` : '') + (o.metadata?.name ?? '');

const withoutResourceVersion = (o: unknown): string =>
  JSON.stringify(o, (key, value: unknown) => (key === 'resourceVersion' ? undefined : value));

const listeners = new Set<() => void>();
let notifyScheduled = false;
const notify = () => {
  if (notifyScheduled) return;
  notifyScheduled = true;
  queueMicrotask(() => {
    notifyScheduled = false;
    for (const listener of [...listeners]) listener();
  });
};

export const subscribeToWatches = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

const watchSocketUrl = (model: K8sModel, query: Query, resourceVersion: string | undefined): string => {
  const queryParams: Record<string, string> = { watch: 'true' };
  if (query.labelSelector) {
    const selector = encodeURIComponent(selectorToString(query.labelSelector));
    if (selector) queryParams.labelSelector = selector;
  }
  if (query.fieldSelector) queryParams.fieldSelector = encodeURIComponent(query.fieldSelector);
  if (resourceVersion) {
    queryParams.resourceVersion = encodeURIComponent(resourceVersion);
    queryParams.allowWatchBookmarks = 'true';
  }
  const path = resourceURL(model, { ns: query.ns, queryParams });
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${path}`;
};

abstract class Watch {
  refs = 1;
  stopped = false;
  state: WatchState;
  protected socket: WebSocket | undefined;
  protected timers = new Set<ReturnType<typeof setTimeout>>();
  protected backoffMs = 1000;

  constructor(
    protected readonly model: K8sModel,
    protected readonly query: Query,
    initialData: unknown,
  ) {
    this.state = { data: initialData, loaded: false, loadError: '' };
  }

  protected setState(patch: Partial<WatchState>) {
    if (this.stopped) return;
    this.state = { ...this.state, ...patch };
    notify();
  }

  protected later(fn: () => void, ms: number) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
  }

  protected nextBackoff(): number {
    const ms = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    return ms;
  }

  /** Opens a watch socket; `onEvents` gets batches, `onClose` whether the socket ever opened. */
  protected openSocket(
    query: Query,
    resourceVersion: string | undefined,
    onEvents: (events: WatchEvent[]) => void,
    onClose: (opened: boolean) => void,
  ) {
    const socket = new WebSocket(watchSocketUrl(this.model, query, resourceVersion));
    this.socket = socket;
    let opened = false;
    let buffer: WatchEvent[] = [];
    const flush = setInterval(() => {
      if (buffer.length === 0) return;
      const events = buffer;
      buffer = [];
      onEvents(events);
    }, FLUSH_INTERVAL_MS);
    socket.onopen = () => {
      opened = true;
      this.backoffMs = 1000;
    };
    socket.onmessage = (message: MessageEvent<string>) => {
      try {
        buffer.push(JSON.parse(message.data) as WatchEvent);
      } catch {
        console.warn('console shell: ignoring a watch message that is not JSON', message.data);
      }
      if (buffer.length >= 1000) {
        const events = buffer;
        buffer = [];
        onEvents(events);
      }
    };
    socket.onclose = () => {
      clearInterval(flush);
      if (buffer.length > 0 && !this.stopped) onEvents(buffer);
      buffer = [];
      if (this.socket === socket) this.socket = undefined;
      if (!this.stopped) onClose(opened);
    };
  }

  abstract start(): void;

  stop() {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.socket?.close();
    this.socket = undefined;
  }
}

class ListWatch extends Watch {
  private items = new Map<string, K8sResourceCommon>();
  private resourceVersion: string | undefined;

  constructor(model: K8sModel, query: Query) {
    super(model, query, []);
  }

  start() {
    void this.listAndWatch();
  }

  private publish(patch: Partial<WatchState> = {}) {
    this.setState({ ...patch, data: [...this.items.values()] });
  }

  private async listAndWatch() {
    try {
      const fresh = new Map<string, K8sResourceCommon>();
      let continueToken = '';
      let resourceVersion: string | undefined;
      do {
        const { ns, name: _name, ...rest } = this.query;
        const page = await k8sListRaw(this.model, {
          limit: PAGE_SIZE,
          ...rest,
          ...(ns && this.model.namespaced ? { ns } : {}),
          ...(continueToken ? { continue: continueToken } : {}),
        });
        if (this.stopped) return;
        for (const item of page.items ?? []) fresh.set(qualifiedName(item), item);
        continueToken = page.metadata?.continue ?? '';
        resourceVersion = page.metadata?.resourceVersion;
      } while (continueToken);
      this.items = fresh;
      this.resourceVersion = resourceVersion;
      this.publish({ loaded: true, loadError: '' });
      this.watchFrom(resourceVersion);
    } catch (err) {
      if (this.stopped) return;
      this.setState({ loadError: err });
      this.later(() => void this.listAndWatch(), LIST_RETRY_MS);
    }
  }

  private watchFrom(resourceVersion: string | undefined) {
    this.openSocket(
      this.query,
      resourceVersion,
      (events) => this.apply(events),
      (opened) => {
        // Resume where the stream stopped; a socket that never opened is re-listed, which
        // reports why (e.g. 403) as loadError.
        const delay = this.nextBackoff();
        if (opened && this.resourceVersion) this.later(() => this.watchFrom(this.resourceVersion), delay);
        else this.later(() => void this.listAndWatch(), delay);
      },
    );
  }

  private apply(events: WatchEvent[]) {
    let changed = false;
    for (const { type, object } of events) {
      if (type === 'ERROR') {
        // 410 Gone: the resourceVersion is too old; start over from a fresh list.
        this.resourceVersion = undefined;
        if (object?.code !== 410) this.setState({ loadError: new Error(object?.message ?? 'watch failed') });
        this.socket?.close();
        continue;
      }
      if (object?.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
      if (type === 'BOOKMARK') continue;
      const key = qualifiedName(object);
      if (type === 'DELETED') {
        changed = this.items.delete(key) || changed;
      } else if (type === 'ADDED' || type === 'MODIFIED') {
        const current = this.items.get(key);
        if (current && withoutResourceVersion(current) === withoutResourceVersion(object)) continue;
        this.items.set(key, object);
        changed = true;
      }
    }
    if (changed) this.publish({ loaded: true });
  }
}

class ObjectWatch extends Watch {
  constructor(model: K8sModel, query: Query) {
    super(model, query, {});
  }

  start() {
    const poll = () => {
      k8sGet({ model: this.model, name: this.query.name, ns: this.model.namespaced ? this.query.ns : undefined }).then(
        (object) => this.modify(object),
        (err: unknown) => this.setState({ loadError: err }),
      );
      this.later(poll, OBJECT_POLL_MS);
    };
    poll();
    if (this.model.verbs && !this.model.verbs.includes('watch')) return;
    this.watch();
  }

  private watch() {
    const { name, ...query } = this.query;
    if (name) query.fieldSelector = `metadata.name=${name}`;
    this.openSocket(
      query,
      undefined,
      (events) => {
        for (const event of events) if (event.type !== 'ERROR' && event.type !== 'BOOKMARK') this.modify(event.object);
      },
      () => this.later(() => this.watch(), this.nextBackoff()),
    );
  }

  private modify(object: K8sResourceCommon) {
    const current = this.state.data as K8sResourceCommon;
    if (this.state.loaded && withoutResourceVersion(current) === withoutResourceVersion(object)) {
      if (this.state.loadError) this.setState({ loadError: '' });
      return;
    }
    this.setState({ data: object, loaded: true, loadError: '' });
  }
}

const watches = new Map<string, Watch>();

/** Starts (or joins) the watch for `id`. */
export const acquireWatch = (id: string, model: K8sModel, resource: WatchK8sResource): void => {
  const existing = watches.get(id);
  if (existing) {
    existing.refs += 1;
    return;
  }
  const query = queryOf(resource);
  const watch = resource.isList ? new ListWatch(model, query) : new ObjectWatch(model, query);
  watches.set(id, watch);
  watch.start();
  notify();
};

/** Leaves the watch for `id`; the last one out stops it and forgets its data, as the console does. */
export const releaseWatch = (id: string): void => {
  const watch = watches.get(id);
  if (!watch) return;
  watch.refs -= 1;
  if (watch.refs > 0) return;
  watch.stop();
  watches.delete(id);
  notify();
};

export const getWatchState = (id: string): WatchState | undefined => watches.get(id)?.state;
