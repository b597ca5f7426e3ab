// GET /capacity/room, least privilege: it sums the nodes' limits (what `list nodes` shows) and
// reads the cloud account's sizes and quotas with the backend's credentials, so it needs both
// `list nodes` and `get` on the cloud credentials Secret; it names no pod, so not `list pods`.
import { describe, expect, it } from 'vitest';
import type { CapacityRoom } from '@peer-pods-console/contract';
import type { ApiServices } from './api.ts';
import { listenApi } from './test/api-server.ts';
import { grantReviewer, type Grant } from './test/grant-reviewer.ts';

const NAMESPACE = 'openshift-sandboxed-containers-operator';

const ROOM = { provider: 'aws', promisedVms: 200, moreVms: 32, exceeds: true } as unknown as CapacityRoom;

async function startApi(grants: Record<string, Grant[]>) {
  const asked: ({ fresh?: boolean } | undefined)[] = [];
  const services = {
    capacity: {
      snapshot: () => ({}),
      snapshotJson: () => ({}),
      liveSnapshot: () => ({ revision: 0, json: () => '{}' }),
      subscribeLive: () => () => {},
    },
    peerPodConfigNamespace: NAMESPACE,
    cloudCredential: async () => ({ namespace: NAMESPACE, name: 'peer-pods-secret' }),
    vms: { inventory: async () => ({ vms: [] }) },
    setup: { report: async () => ({ checks: [] }) },
    room: {
      room: async (options?: { fresh?: boolean }) => {
        asked.push(options);
        return ROOM;
      },
    },
  } as unknown as ApiServices;
  const { get } = await listenApi({ reviewer: grantReviewer(grants), services });
  return { get, asked };
}

describe('GET /capacity/room', () => {
  it('answers who may list nodes and read the cloud credentials, without `list pods`', async () => {
    const { get, asked } = await startApi({ admin: ['nodes', 'secret'] });
    const res = await get('/capacity/room', 'admin');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(ROOM);
    expect(asked).toEqual([{ fresh: false }]);
  });

  it('passes ?fresh=true on (the Refresh button)', async () => {
    const { get, asked } = await startApi({ admin: ['nodes', 'secret'] });
    await (await get('/capacity/room?fresh=true', 'admin')).arrayBuffer();
    expect(asked).toEqual([{ fresh: true }]);
  });

  it.each([
    ['may not read the cloud credentials', ['nodes', 'pods'] as Grant[], /may not get secrets peer-pods-secret/],
    ['may not list nodes', ['pods', 'secret'] as Grant[], /list nodes|nodes/],
  ])('refuses a user who %s, reading nothing from the cloud', async (_why, grants, message) => {
    const { get, asked } = await startApi({ user: grants });
    const res = await get('/capacity/room', 'user');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    expect(asked).toEqual([]);
  });
});
