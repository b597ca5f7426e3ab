import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeClient, KubeRequest } from '../kube/client.ts';
import type { RawObject } from '../kube/informer.ts';
import { createCapacityInformers, POD_LIST_PAGE_SIZE, type CapacityInformers } from './informers.ts';
import { peerPod } from './test/peer-pods.ts';

const R = 'kata.peerpods.io/vm';

function plainPod(name: string): RawObject {
  return {
    metadata: { name, namespace: 'apps', uid: `uid-${name}`, resourceVersion: '1' },
    spec: { nodeName: 'worker-0', containers: [{ name: 'app', image: 'app', resources: { requests: { cpu: '1' } } }] },
    status: { phase: 'Running' },
  };
}

function stored(pod: ReturnType<typeof peerPod>, rv = '1'): RawObject {
  return { ...pod, metadata: { ...pod.metadata, uid: `uid-${pod.metadata!.name}`, resourceVersion: rv } } as RawObject;
}

/** The pods a fake API server holds, listed in pages by limit/continue, and the one open watch. */
function fakeApiServer(pods: RawObject[]) {
  const lists: { limit: unknown; continue: unknown }[] = [];
  let watchEvent: ((event: unknown) => void) | undefined;
  const client = {
    async request<T>(req: KubeRequest): Promise<T> {
      const query = req.query ?? {};
      if (!req.path.endsWith('/pods')) return { items: [], metadata: { resourceVersion: '1' } } as T;
      lists.push({ limit: query.limit, continue: query.continue });
      const start = Number(query.continue ?? 0);
      const end = start + Number(query.limit);
      return {
        items: pods.slice(start, end),
        metadata: { resourceVersion: '10', continue: end < pods.length ? String(end) : undefined },
      } as T;
    },
    async watch(req: { path: string }, onEvent: (event: unknown) => void) {
      if (req.path.endsWith('/pods')) watchEvent = onEvent;
      return { abort: () => undefined };
    },
  };
  return {
    client: client as unknown as KubeClient,
    lists,
    send: (type: string, object: RawObject) => watchEvent!({ type, object }),
    watching: () => watchEvent !== undefined,
  };
}

let informers: CapacityInformers | undefined;
afterEach(async () => {
  await informers?.pods.stop();
  informers = undefined;
});

async function podsInformer(api: ReturnType<typeof fakeApiServer>) {
  informers = createCapacityInformers({
    client: api.client,
    logger: pino({ level: 'silent' }),
    extendedResource: R,
    targetRuntimeClass: 'kata-remote',
    peerPodConfigNamespace: 'openshift-sandboxed-containers-operator',
  });
  const seen: string[] = [];
  informers.pods.addHandlers({
    add: (p) => seen.push(`add ${p.metadata.name}`),
    update: (_, p) => seen.push(`update ${p.metadata.name}`),
    delete: (p) => seen.push(`delete ${p.metadata.name}`),
  });
  informers.pods.start();
  await informers.pods.synced;
  await vi.waitFor(() => expect(api.watching()).toBe(true));
  return { pods: informers.pods, seen };
}

describe('the pods informer keeps only peer pods', () => {
  it('lists every pod in pages and stores only the peer pods, as the few fields capacity code reads', async () => {
    const all = Array.from({ length: 2 * POD_LIST_PAGE_SIZE + 50 }, (_, i) =>
      i % 5 === 0 ? stored(peerPod(`peer-${i}`, 'apps', { vms: 1, nodeName: 'worker-0' })) : plainPod(`pod-${i}`),
    );
    const api = fakeApiServer(all);

    const { pods, seen } = await podsInformer(api);

    // Pages with a limit and a continue token: no response holds the whole cluster's pods.
    expect(api.lists.map((l) => [l.limit, l.continue])).toEqual([
      [POD_LIST_PAGE_SIZE, undefined],
      [POD_LIST_PAGE_SIZE, String(POD_LIST_PAGE_SIZE)],
      [POD_LIST_PAGE_SIZE, String(2 * POD_LIST_PAGE_SIZE)],
    ]);
    expect(pods.size).toBe(all.length / 5);
    expect(seen.filter((s) => !s.startsWith('add peer-'))).toEqual([]);
    expect(Object.keys(pods.getByName('peer-0', 'apps')!).sort()).toEqual(
      [
        'metadata',
        'nodeName',
        'phase',
        'requestsVm',
        'runtimeClassName',
        'terminal',
        'terminating',
        'vmRequest',
      ].sort(),
    );
  });

  it('drops every later event of a pod that is not a peer pod, and tells no handler', async () => {
    const api = fakeApiServer([plainPod('web')]);
    const { pods, seen } = await podsInformer(api);

    api.send('ADDED', plainPod('api'));
    api.send('MODIFIED', { ...plainPod('web'), status: { phase: 'Failed' } });
    api.send('DELETED', plainPod('web'));

    expect(pods.size).toBe(0);
    expect(seen).toEqual([]);
  });

  it('keeps a pod that requests the VM resource without the runtime class, as escaped accounting', async () => {
    const api = fakeApiServer([]);
    const { pods } = await podsInformer(api);

    api.send('ADDED', stored(peerPod('by-hand', 'apps', { runtimeClassName: 'runc', vms: 1 })));

    expect(pods.getByName('by-hand', 'apps')).toMatchObject({ vmRequest: 1, runtimeClassName: 'runc' });
  });
});
