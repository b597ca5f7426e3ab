// Capacity data names pods of every namespace (pending, unaccounted, each VM's pod), which `list
// nodes` does not cover: a reader who may not also `list pods` cluster-wide gets the same data
// with every pod namespace and name left out, on every route that carries it. The reviewer here
// is a stand-in whose answers the tests change, as an admin would grant or revoke a binding.
import { describe, expect, it } from 'vitest';
import type { CapacitySnapshot, CapacitySummary, NodeCapacityDetail, Permissions } from '@peer-pods-console/contract';
import { ModelCapacityService } from '../services/capacity-service.ts';
import type { UserInfo } from '../services/types.ts';
import type { ApiServices } from './api.ts';
import type { AccessReviewer, Permission } from './auth.ts';
import { listenApi } from './test/api-server.ts';

const ADMIN: UserInfo = { username: 'test-admin', groups: ['system:masters'] };
const NODE_READER: UserInfo = { username: 'node-reader', groups: ['system:authenticated'] };
/** May list nodes and read the cloud credentials, but not list pods. */
const CLOUD_READER: UserInfo = { username: 'cloud-reader', groups: ['system:authenticated'] };

/** Both may list nodes; only the users in `mayListPods` may list pods. */
class PodListReviewer {
  tokens = new Map<string, UserInfo>([
    ['admin-token', ADMIN],
    ['reader-token', NODE_READER],
    ['cloud-reader-token', CLOUD_READER],
  ]);
  mayListPods = new Set([ADMIN.username]);
  /** May get the cloud credentials Secret. */
  mayReadCloudSecret = new Set([ADMIN.username, CLOUD_READER.username]);
  async authenticate(token: string): Promise<UserInfo | null> {
    return this.tokens.get(token) ?? null;
  }
  async check(user: UserInfo, permission: Permission): Promise<{ allowed: boolean; reason: string }> {
    if (permission.resource === 'pods') {
      const clusterWideList = permission.verb === 'list' && !permission.namespace && !permission.group;
      return { allowed: clusterWideList && this.mayListPods.has(user.username), reason: '' };
    }
    if (permission.resource === 'secrets') return { allowed: this.mayReadCloudSecret.has(user.username), reason: '' };
    return { allowed: permission.resource === 'nodes' || user === ADMIN, reason: '' };
  }
}

/** Every pod name and namespace in the model below, and the VM name and id that embed one. */
const POD_IDENTITIES = ['shop', 'web-0', 'web-1', 'payroll', 'batch-7', 'podvm-web-0'];

const snapshot = {
  revision: 5,
  extendedResource: 'kata.peerpods.io/vm',
  targetRuntimeClass: 'kata-remote',
  totals: { pendingForCapacity: 1, unaccounted: 1, peerPods: 2, vms: 1 },
  nodes: [
    {
      name: 'worker-a',
      pods: 2,
      used: 2,
      vms: [
        {
          id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/podvm-web-0-1a2b3c4d',
          name: 'podvm-web-0-1a2b3c4d',
          state: 'running',
          pod: { namespace: 'shop', name: 'web-0' },
        },
      ],
    },
  ],
  configs: [],
  pending: [
    {
      namespace: 'shop',
      name: 'web-1',
      since: null,
      message: '0/1 nodes are available: 1 Insufficient kata.peerpods.io/vm.',
    },
  ],
  unaccounted: [
    { namespace: 'payroll', name: 'batch-7', nodeName: 'worker-a', phase: 'Running', reason: 'no request' },
  ],
} as unknown as CapacitySnapshot;

async function startApi(reviewer: PodListReviewer, streamRecheckMs = 60_000) {
  const capacity = new ModelCapacityService({
    model: { revision: 5, snapshot: () => snapshot, subscribe: () => () => {} },
    orphanCount: () => 0,
  });
  const services = {
    capacity,
    peerPodConfigNamespace: 'openshift-sandboxed-containers-operator',
    cloudCredential: async () => ({ namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-secret' }),
    vms: {
      inventory: async () => ({ provider: 'aws', fetchedAt: null, vms: [], dangling: [], scope: null, error: null }),
    },
    setup: { report: async () => ({ checks: [] }) },
  } as unknown as ApiServices;
  const { get } = await listenApi({ reviewer: reviewer as unknown as AccessReviewer, services, streamRecheckMs });
  return get;
}

/** The `data:` of each `event: capacity` a stream sends, read until `count` have arrived. */
async function capacityEvents(res: Response, count: number): Promise<string[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const events = () => [...text.matchAll(/event: capacity\ndata: (.*)\n\n/g)].map(([, data]) => data!);
  while (events().length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  await reader.cancel();
  return events();
}

const expectNoPodIdentity = (body: string) => {
  for (const identity of POD_IDENTITIES) expect(body, identity).not.toContain(identity);
};

describe('a user who may list nodes but not pods', () => {
  it('reads /capacity with every count and no pod namespace or name', async () => {
    const get = await startApi(new PodListReviewer());
    const res = await get('/capacity', 'reader-token');
    const body = await res.text();
    expect(res.status).toBe(200);
    expectNoPodIdentity(body);
    expect(JSON.parse(body)).toMatchObject({
      podNames: 'hidden',
      totals: { pendingForCapacity: 1, unaccounted: 1, peerPods: 2, vms: 1 },
      nodes: [{ name: 'worker-a', pods: 2, vms: [{ state: 'running', pod: { namespace: null, name: null } }] }],
      pending: [
        { namespace: null, name: null, message: '0/1 nodes are available: 1 Insufficient kata.peerpods.io/vm.' },
      ],
      unaccounted: [{ namespace: null, name: null, nodeName: 'worker-a', phase: 'Running' }],
    } satisfies Partial<Record<keyof CapacitySummary, unknown>>);
  });

  it('gets another ETag than a user who may list pods, and no 304 for theirs', async () => {
    const get = await startApi(new PodListReviewer());
    const shown = (await get('/capacity', 'admin-token')).headers.get('etag')!;
    const hidden = (await get('/capacity', 'reader-token')).headers.get('etag')!;
    expect(hidden).not.toBe(shown);
    const revalidated = await get('/capacity', 'reader-token', { 'If-None-Match': shown });
    expect(revalidated.status).toBe(200);
    expectNoPodIdentity(await revalidated.text());
    expect((await get('/capacity', 'reader-token', { 'If-None-Match': hidden })).status).toBe(304);
  });

  it('reads /capacity/nodes/:name without pod names', async () => {
    const get = await startApi(new PodListReviewer());
    const res = await get('/capacity/nodes/worker-a', 'reader-token');
    const body = await res.text();
    expect(res.status).toBe(200);
    expectNoPodIdentity(body);
    expect(JSON.parse(body)).toMatchObject({
      podNames: 'hidden',
      node: { name: 'worker-a', pods: 2, vms: [{ id: null, name: null }] },
      unaccounted: [{ namespace: null, name: null, nodeName: 'worker-a' }],
    } satisfies Partial<Record<keyof NodeCapacityDetail, unknown>>);
  });

  it('gets live events without pod names', async () => {
    const get = await startApi(new PodListReviewer());
    const [first] = await capacityEvents(await get('/events', 'reader-token'), 1);
    expectNoPodIdentity(first!);
    expect(JSON.parse(first!)).toMatchObject({ podNames: 'hidden', pending: [{ name: null }] });
  });

  it('is told so by /permissions', async () => {
    const get = await startApi(new PodListReviewer());
    expect(await (await get('/permissions', 'reader-token')).json()).toMatchObject({
      canRead: true,
      canListPods: false,
    } satisfies Partial<Permissions>);
  });
});

describe('a user who may list pods cluster-wide', () => {
  it('reads pod names in /capacity, /capacity/nodes/:name and /events', async () => {
    const get = await startApi(new PodListReviewer());
    const summary = (await (await get('/capacity', 'admin-token')).json()) as CapacitySummary;
    expect(summary.podNames).toBe('shown');
    expect(summary.pending[0]).toMatchObject({ namespace: 'shop', name: 'web-1' });
    expect(summary.unaccounted[0]).toMatchObject({ namespace: 'payroll', name: 'batch-7' });
    const detail = (await (await get('/capacity/nodes/worker-a', 'admin-token')).json()) as NodeCapacityDetail;
    expect(detail.node.vms[0]).toMatchObject({
      name: 'podvm-web-0-1a2b3c4d',
      pod: { namespace: 'shop', name: 'web-0' },
    });
    const [first] = await capacityEvents(await get('/events', 'admin-token'), 1);
    expect(JSON.parse(first!)).toMatchObject({ podNames: 'shown', pending: [{ name: 'web-1' }] });
    expect(await (await get('/permissions', 'admin-token')).json()).toMatchObject({ canListPods: true });
  });

  it('no longer gets pod names on an open stream once that permission is taken away', async () => {
    const reviewer = new PodListReviewer();
    const get = await startApi(reviewer, 20);
    const res = await get('/events', 'admin-token');
    const events = capacityEvents(res, 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    reviewer.mayListPods.clear();
    const [first, second] = await events;
    expect(JSON.parse(first!)).toMatchObject({ podNames: 'shown' });
    expectNoPodIdentity(second!);
    expect(JSON.parse(second!)).toMatchObject({ podNames: 'hidden' });
  });

  it('is asked for list pods without a namespace or group (the core API, cluster-wide)', async () => {
    const reviewer = new PodListReviewer();
    const asked: Permission[] = [];
    const check = reviewer.check.bind(reviewer);
    reviewer.check = async (user, permission) => {
      asked.push(permission);
      return check(user, permission);
    };
    const get = await startApi(reviewer);
    await get('/capacity', 'admin-token');
    expect(asked).toContainEqual({ verb: 'list', resource: 'pods' });
  });
});

describe('routes whose whole answer is about pods', () => {
  it('refuse /vms and /setup to a user who may read the cloud credentials but not list pods', async () => {
    const get = await startApi(new PodListReviewer());
    for (const path of ['/vms', '/setup']) {
      const res = await get(path, 'cloud-reader-token');
      expect(res.status, path).toBe(403);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toContain('list pods');
      expect(body.error.message).toContain('cloud-reader');
    }
  });

  it('answer /vms and /setup to a user who may list pods and read the cloud credentials', async () => {
    const get = await startApi(new PodListReviewer());
    expect((await get('/vms', 'admin-token')).status).toBe(200);
    expect((await get('/setup', 'admin-token')).status).toBe(200);
  });
});
