// GET /capacity/room, least privilege: it sums the nodes' limits (what `list nodes` shows) and
// reads the cloud account's sizes and quotas with the backend's credentials, so it needs both
// `list nodes` and `get` on the cloud credentials Secret; it names no pod, so not `list pods`.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapacityRoom } from '@peer-pods-console/contract';
import { createLogger } from '../logging.ts';
import type { UserInfo } from '../services/types.ts';
import { createApiRouter, type ApiServices } from './api.ts';
import type { AccessReviewer, Permission } from './auth.ts';
import { errorHandler } from './errors.ts';

const NAMESPACE = 'openshift-sandboxed-containers-operator';

type Grant = 'nodes' | 'pods' | 'secret';

class GrantReviewer {
  constructor(private readonly grants: Record<string, Grant[]>) {}
  async authenticate(token: string): Promise<UserInfo | null> {
    return { username: token, groups: ['system:authenticated'] };
  }
  async check(user: UserInfo, permission: Permission): Promise<{ allowed: boolean; reason: string }> {
    const granted = new Set(this.grants[user.username] ?? []);
    const allowed =
      (permission.resource === 'nodes' && granted.has('nodes')) ||
      (permission.resource === 'pods' && granted.has('pods')) ||
      (permission.resource === 'secrets' && permission.verb === 'get' && granted.has('secret'));
    return { allowed, reason: '' };
  }
}

const ROOM = { provider: 'aws', promisedVms: 200, moreVms: 32, exceeds: true } as unknown as CapacityRoom;

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function startApi(grants: Record<string, Grant[]>) {
  const asked: ({ fresh?: boolean } | undefined)[] = [];
  const services = {
    capacity: { snapshot: () => ({}), snapshotJson: () => ({}), subscribe: () => () => {} },
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
  const app = express();
  app.use('/api/v1', createApiRouter({ reviewer: new GrantReviewer(grants) as unknown as AccessReviewer, services }));
  app.use(errorHandler(createLogger('silent')));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const get = (path: string, token: string) =>
    fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
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
