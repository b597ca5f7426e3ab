import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KubeApiError } from './client.ts';
import {
  Informer,
  type ListerWatcher,
  type ListPage,
  type RawObject,
  type StoredObject,
  type WatchEventType,
} from './informer.ts';

const logger = pino({ level: 'silent' });

interface OpenWatch {
  resourceVersion: string;
  onEvent: (type: WatchEventType, object: RawObject) => void;
  onDone: (err: unknown) => void;
  aborted: boolean;
}

/** An in-memory API: objects with resourceVersions, paginated lists and one watch at a time. */
class FakeApi implements ListerWatcher {
  objects = new Map<string, RawObject>();
  rv = 100;
  lists: { limit: number; continueToken?: string }[] = [];
  watches: OpenWatch[] = [];
  failWatchesWith: unknown[] = [];
  expireContinueOnce = false;
  private snapshot: RawObject[] = [];

  async listPage({ limit, continueToken }: { limit: number; continueToken?: string }): Promise<ListPage> {
    this.lists.push({ limit, continueToken });
    if (continueToken && this.expireContinueOnce) {
      this.expireContinueOnce = false;
      throw new KubeApiError(410, 'Expired', 'continue token expired', 'GET', '/x');
    }
    if (!continueToken) this.snapshot = [...this.objects.values()].map((o) => structuredClone(o));
    const start = continueToken ? Number(continueToken) : 0;
    const items = this.snapshot.slice(start, start + limit);
    const next = start + limit < this.snapshot.length ? String(start + limit) : undefined;
    return { items, resourceVersion: String(this.rv), continueToken: next };
  }

  async watch(
    options: { resourceVersion: string },
    onEvent: OpenWatch['onEvent'],
    onDone: OpenWatch['onDone'],
  ): Promise<{ abort(): void }> {
    const w: OpenWatch = { resourceVersion: options.resourceVersion, onEvent, onDone, aborted: false };
    this.watches.push(w);
    const failure = this.failWatchesWith.shift();
    if (failure) setImmediate(() => onDone(failure));
    return { abort: () => (w.aborted = true) };
  }

  get open(): OpenWatch {
    return this.watches[this.watches.length - 1]!;
  }

  put(name: string, data: Record<string, unknown> = {}, namespace = 'ns', silent = false): void {
    const key = `${namespace}/${name}`;
    const type: WatchEventType = this.objects.has(key) ? 'MODIFIED' : 'ADDED';
    this.rv += 1;
    const obj: RawObject = { metadata: { name, namespace, resourceVersion: String(this.rv) }, ...data };
    this.objects.set(key, obj);
    if (!silent) this.open.onEvent(type, structuredClone(obj));
  }

  remove(name: string, namespace = 'ns', silent = false): void {
    const key = `${namespace}/${name}`;
    const obj = this.objects.get(key)!;
    this.objects.delete(key);
    this.rv += 1;
    if (!silent)
      this.open.onEvent('DELETED', { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } });
  }
}

type Item = StoredObject & { size?: number };

function recorder() {
  const events: string[] = [];
  return {
    events,
    handlers: {
      add: (o: Item) => events.push(`add ${o.metadata.name}`),
      update: (a: Item, b: Item) =>
        events.push(`update ${a.metadata.name} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
      delete: (o: Item) => events.push(`delete ${o.metadata.name}`),
    },
  };
}

const informers: Informer<Item>[] = [];
function informer(api: FakeApi, extra: Partial<ConstructorParameters<typeof Informer<Item>>[0]> = {}): Informer<Item> {
  const inf = new Informer<Item>({
    name: 'test',
    listerWatcher: api,
    logger,
    pageSize: 2,
    backoff: { initialMs: 1, maxMs: 5, jitter: 0 },
    ...extra,
  });
  informers.push(inf);
  return inf;
}

afterEach(async () => {
  await Promise.all(informers.splice(0).map((i) => i.stop()));
});

describe('Informer', () => {
  it('lists the API server as it is now, through its filter and transform, leaving its store as it was', async () => {
    const api = new FakeApi();
    api.objects.set('ns/a', { metadata: { name: 'a', namespace: 'ns', resourceVersion: '1' }, size: 1 });
    const inf = informer(api, {
      filter: (raw) => (raw as { size?: number }).size !== 0,
      transform: (raw) => ({ metadata: raw.metadata as Item['metadata'], size: ((raw as Item).size ?? 0) * 10 }),
    });
    inf.start();
    await inf.synced;
    // The watch misses these (silent): the store falls behind, as a stale cache would.
    api.put('b', { size: 2 }, 'ns', true);
    api.put('c', { size: 3 }, 'ns', true);
    api.put('zero', { size: 0 }, 'ns', true);
    api.expireContinueOnce = true;

    const now = await inf.listNow();

    expect(now.map((o) => [o.metadata.name, o.size]).sort()).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 30],
    ]);
    expect([...inf.values()].map((o) => o.metadata.name)).toEqual(['a']);
  });

  it('lists page by page, then watches from the list resourceVersion', async () => {
    const api = new FakeApi();
    for (const n of ['a', 'b', 'c'])
      api.objects.set(`ns/${n}`, { metadata: { name: n, namespace: 'ns', resourceVersion: '1' } });
    const inf = informer(api);
    const rec = recorder();
    inf.addHandlers(rec.handlers);
    inf.start();
    await inf.synced;
    expect(inf.hasSynced()).toBe(true);
    expect(api.lists.map((l) => l.continueToken)).toEqual([undefined, '2']);
    expect(rec.events.sort()).toEqual(['add a', 'add b', 'add c']);
    await vi.waitFor(() => expect(api.watches).toHaveLength(1));
    expect(api.open.resourceVersion).toBe('100');
    expect(inf.getByName('b', 'ns')?.metadata.name).toBe('b');
    expect(inf.get('ns/c')).toBeDefined();
  });

  it('applies watch events to the store and tells handlers', async () => {
    const api = new FakeApi();
    const inf = informer(api);
    const rec = recorder();
    inf.addHandlers(rec.handlers);
    inf.start();
    await vi.waitFor(() => expect(api.watches).toHaveLength(1));
    api.put('x');
    api.put('x', { spec: 1 });
    api.remove('x');
    expect(rec.events).toEqual(['add x', 'update x 101->102', 'delete x']);
    expect(inf.size).toBe(0);
    expect(inf.lastResourceVersion()).toBe('103');
  });

  it('stores the transformed object and drops objects that stop passing the filter', async () => {
    const api = new FakeApi();
    const inf = informer(api, {
      filter: (raw) => (raw as { keep?: boolean }).keep === true,
      transform: (raw) => ({
        metadata: {
          name: raw.metadata!.name!,
          namespace: raw.metadata!.namespace,
          resourceVersion: raw.metadata!.resourceVersion!,
        },
        size: JSON.stringify(raw).length,
      }),
    });
    const rec = recorder();
    inf.addHandlers(rec.handlers);
    inf.start();
    await vi.waitFor(() => expect(api.watches).toHaveLength(1));
    api.put('ignored', { keep: false });
    api.put('kept', { keep: true, bulk: 'x'.repeat(100) });
    expect(Object.keys(inf.getByName('kept', 'ns')!)).toEqual(['metadata', 'size']);
    api.put('kept', { keep: false });
    expect(rec.events).toEqual(['add kept', 'delete kept']);
    expect(inf.getByName('ignored', 'ns')).toBeUndefined();
  });

  it('lists again on 410 Gone and reconciles the store: deletes, updates, no-ops', async () => {
    const api = new FakeApi();
    const inf = informer(api);
    const rec = recorder();
    inf.addHandlers(rec.handlers);
    inf.start();
    await vi.waitFor(() => expect(api.watches).toHaveLength(1));
    api.put('stays');
    api.put('changes');
    api.put('goes');
    rec.events.length = 0;
    // While the watch is away: one object changes, one is deleted, one is created.
    api.put('changes', { v: 2 }, 'ns', true);
    api.remove('goes', 'ns', true);
    api.put('new', {}, 'ns', true);
    api.open.onEvent('ERROR', { kind: 'Status', code: 410, reason: 'Expired' } as RawObject);
    api.open.onDone(null);
    await vi.waitFor(() => expect(api.watches).toHaveLength(2));
    expect(api.lists.length).toBeGreaterThanOrEqual(2);
    expect(rec.events.sort()).toEqual(['add new', 'delete goes', 'update changes 102->104']);
    expect(api.open.resourceVersion).toBe(String(api.rv));
  });

  it('also lists again when the watch request itself answers 410', async () => {
    const api = new FakeApi();
    api.failWatchesWith.push(Object.assign(new Error('Gone'), { statusCode: 410 }));
    const inf = informer(api);
    inf.start();
    await vi.waitFor(() => expect(api.watches).toHaveLength(2));
    expect(api.lists).toHaveLength(2);
  });

  it('reconnects after a failure from the last resourceVersion seen, bookmarks included', async () => {
    const api = new FakeApi();
    const inf = informer(api);
    inf.start();
    await vi.waitFor(() => expect(api.watches).toHaveLength(1));
    api.put('a');
    api.open.onEvent('BOOKMARK', { metadata: { resourceVersion: '150' } });
    api.failWatchesWith.push(new Error('connect ECONNREFUSED'), new Error('connect ECONNREFUSED'));
    api.open.onDone(new Error('socket hang up'));
    await vi.waitFor(() => expect(api.watches).toHaveLength(4));
    expect(api.watches.slice(1).map((w) => w.resourceVersion)).toEqual(['150', '150', '150']);
    expect(api.lists).toHaveLength(1); // no relist needed: the version is still valid
    expect(inf.getByName('a', 'ns')).toBeDefined();
  });

  it('keeps retrying the list with backoff until the API server answers', async () => {
    const api = new FakeApi();
    let failures = 3;
    const listPage = api.listPage.bind(api);
    api.listPage = async (o) => {
      if (failures-- > 0) throw new KubeApiError(0, 'TransportError', 'connect ECONNREFUSED', 'GET', '/x');
      return listPage(o);
    };
    const inf = informer(api);
    inf.start();
    await inf.synced;
    expect(failures).toBe(-1);
  });

  it('restarts a paginated list whose continue token expired', async () => {
    const api = new FakeApi();
    for (const n of ['a', 'b', 'c', 'd', 'e'])
      api.objects.set(`ns/${n}`, { metadata: { name: n, namespace: 'ns', resourceVersion: '1' } });
    api.expireContinueOnce = true;
    const inf = informer(api);
    inf.start();
    await inf.synced;
    expect(api.lists.map((l) => l.continueToken)).toEqual([undefined, '2', undefined, '2', '4']);
    expect(inf.size).toBe(5);
  });

  it('replays the store to a handler registered late', async () => {
    const api = new FakeApi();
    api.objects.set('ns/a', { metadata: { name: 'a', namespace: 'ns', resourceVersion: '1' } });
    const inf = informer(api);
    inf.start();
    await inf.synced;
    const rec = recorder();
    const off = inf.addHandlers(rec.handlers);
    expect(rec.events).toEqual(['add a']);
    off();
    await vi.waitFor(() => expect(api.watches).toHaveLength(1));
    api.put('b');
    expect(rec.events).toEqual(['add a']);
  });

  it('stop aborts the watch and ends the loop', async () => {
    const api = new FakeApi();
    const inf = informer(api);
    inf.start();
    await vi.waitFor(() => expect(api.watches).toHaveLength(1));
    await inf.stop();
    expect(api.open.aborted).toBe(true);
    api.open.onDone(null);
    await new Promise((r) => setTimeout(r, 20));
    expect(api.watches).toHaveLength(1);
  });

  it('keeps following the API server when a handler throws', async () => {
    const api = new FakeApi();
    const inf = informer(api);
    inf.addHandlers({
      add: () => {
        throw new Error('boom');
      },
    });
    inf.start();
    await vi.waitFor(() => expect(api.watches).toHaveLength(1));
    api.put('a');
    api.put('b');
    expect(inf.size).toBe(2);
  });
});
