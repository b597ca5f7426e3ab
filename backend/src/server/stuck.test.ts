// GET /stuck and GET /vms/:id/console-output, least privilege: `list nodes` reads why pods are
// stuck; pod names (and VM ids) need `list pods` cluster-wide, Event messages `list events`
// cluster-wide. The console output is cloud data, gated as the inventory is. The reviewer is a
// stand-in whose grants each test sets.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { StuckPeerPods, VmConsoleOutput } from '@peer-pods-console/contract';
import { createLogger } from '../logging.ts';
import type { UserInfo } from '../services/types.ts';
import { createApiRouter, type ApiServices } from './api.ts';
import type { AccessReviewer, Permission } from './auth.ts';
import { errorHandler } from './errors.ts';

const NAMESPACE = 'openshift-sandboxed-containers-operator';
const QUOTA_MESSAGE = 'creating an instance : api error VcpuLimitExceeded: You have requested more vCPU capacity';
const AZURE_VM = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/podvm-web-0-1a2b3c4d';

type Grant = 'nodes' | 'pods' | 'events' | 'secret';

/** Each user is granted what the test names; cluster-wide lists only. */
class GrantReviewer {
  grants = new Map<string, Set<Grant>>();
  async authenticate(token: string): Promise<UserInfo | null> {
    return { username: token, groups: ['system:authenticated'] };
  }
  async check(user: UserInfo, permission: Permission): Promise<{ allowed: boolean; reason: string }> {
    const granted = this.grants.get(user.username) ?? new Set();
    const clusterWideList = permission.verb === 'list' && !permission.namespace && !permission.group;
    const allowed =
      (permission.resource === 'nodes' && granted.has('nodes')) ||
      (permission.resource === 'pods' && clusterWideList && granted.has('pods')) ||
      (permission.resource === 'events' && clusterWideList && granted.has('events')) ||
      (permission.resource === 'secrets' && permission.verb === 'get' && granted.has('secret'));
    return { allowed, reason: '' };
  }
}

const stuckList: StuckPeerPods = {
  generatedAt: '2026-05-01T12:00:00.000Z',
  graceSeconds: 120,
  podNames: 'shown',
  messages: 'shown',
  pods: [
    {
      namespace: 'shop',
      name: 'web-0',
      stage: 'sandbox',
      nodeName: 'worker-a',
      pinned: false,
      reason: 'quota',
      message: QUOTA_MESSAGE,
      eventReason: 'FailedCreatePodSandBox',
      since: '2026-05-01T11:00:00Z',
      count: 3,
      fixes: ['check-quota'],
      vmId: 'i-0abc123',
    },
  ],
};

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function startApi(reviewer: GrantReviewer) {
  const asked: { node?: string }[] = [];
  const consoleAsked: string[] = [];
  const services = {
    capacity: { snapshot: () => ({}), snapshotJson: () => ({}), subscribe: () => () => {} },
    peerPodConfigNamespace: NAMESPACE,
    cloudCredential: async () => ({ namespace: NAMESPACE, name: 'peer-pods-secret' }),
    vms: {
      inventory: async () => ({ vms: [] }),
      consoleOutput: async (id: string): Promise<VmConsoleOutput | undefined> => {
        consoleAsked.push(id);
        if (id !== 'i-0abc123' && id !== AZURE_VM) return undefined;
        return {
          vmId: id,
          output: '[    0.000000] Linux version 6.1',
          capturedAt: null,
          truncated: false,
          unavailable: null,
        };
      },
    },
    setup: { report: async () => ({ checks: [] }) },
    stuck: {
      stuck: async (options: { node?: string } = {}) => {
        asked.push(options);
        return stuckList;
      },
    },
  } as unknown as ApiServices;
  const app = express();
  app.use('/api/v1', createApiRouter({ reviewer: reviewer as unknown as AccessReviewer, services }));
  app.use(errorHandler(createLogger('silent')));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const get = (path: string, token: string) =>
    fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { get, asked, consoleAsked };
}

function reviewerGranting(grants: Record<string, Grant[]>): GrantReviewer {
  const reviewer = new GrantReviewer();
  for (const [user, granted] of Object.entries(grants)) reviewer.grants.set(user, new Set(granted));
  return reviewer;
}

describe('GET /stuck', () => {
  it('refuses a user who may not list nodes', async () => {
    const { get, asked } = await startApi(reviewerGranting({ nobody: [] }));
    const res = await get('/stuck', 'nobody');
    expect(res.status).toBe(403);
    expect(asked).toEqual([]);
  });

  it('gives a node reader the stages, reasons and fixes, without pod names, VM ids or messages', async () => {
    const { get } = await startApi(reviewerGranting({ reader: ['nodes'] }));
    const res = await get('/stuck', 'reader');
    const text = await res.text();
    expect(res.status).toBe(200);
    for (const secret of ['shop', 'web-0', 'i-0abc123', 'VcpuLimitExceeded']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({
      podNames: 'hidden',
      messages: 'hidden',
      pods: [
        {
          namespace: null,
          name: null,
          vmId: null,
          message: null,
          reason: 'quota',
          fixes: ['check-quota'],
          nodeName: 'worker-a',
        },
      ],
    });
  });

  it('shows pod names to who may list pods, and messages only to who may list events', async () => {
    const { get } = await startApi(
      reviewerGranting({ podReader: ['nodes', 'pods'], admin: ['nodes', 'pods', 'events'] }),
    );
    expect(await (await get('/stuck', 'podReader')).json()).toMatchObject({
      podNames: 'shown',
      messages: 'hidden',
      pods: [{ namespace: 'shop', name: 'web-0', vmId: 'i-0abc123', message: null }],
    });
    expect(await (await get('/stuck', 'admin')).json()).toEqual(stuckList);
  });

  it('passes ?node= on, and answers a name that is not a node name with 400 naming the field', async () => {
    const { get, asked } = await startApi(reviewerGranting({ reader: ['nodes'] }));
    expect((await get('/stuck?node=worker-a', 'reader')).status).toBe(200);
    expect(asked).toEqual([{ node: 'worker-a' }]);
    const bad = await get('/stuck?node=Worker_A', 'reader');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request', field: 'node' } });
  });
});

describe('GET /vms/:id/console-output', () => {
  const everything: Grant[] = ['nodes', 'pods', 'secret'];

  it('answers the VM’s console to who may read the inventory, never to be cached', async () => {
    const { get } = await startApi(reviewerGranting({ admin: everything }));
    const res = await get('/vms/i-0abc123/console-output', 'admin');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ vmId: 'i-0abc123', output: '[    0.000000] Linux version 6.1' });
  });

  it('takes an Azure VM resource id URL-encoded', async () => {
    const { get, consoleAsked } = await startApi(reviewerGranting({ admin: everything }));
    const res = await get(`/vms/${encodeURIComponent(AZURE_VM)}/console-output`, 'admin');
    expect(res.status).toBe(200);
    expect(consoleAsked).toEqual([AZURE_VM]);
  });

  it.each([
    ['may not list pods (the VM names its pod)', ['nodes', 'secret'] as Grant[]],
    ['may not get the cloud credentials', ['nodes', 'pods'] as Grant[]],
    ['may not list nodes', ['pods', 'secret'] as Grant[]],
  ])('refuses a user who %s', async (_why, grants) => {
    const { get, consoleAsked } = await startApi(reviewerGranting({ user: grants }));
    expect((await get('/vms/i-0abc123/console-output', 'user')).status).toBe(403);
    expect(consoleAsked).toEqual([]);
  });

  it('answers an id that is no VM id with 400 naming the field, and a VM not in the inventory with 404', async () => {
    const { get } = await startApi(reviewerGranting({ admin: everything }));
    const bad = await get('/vms/..%2F..%2Fsecrets/console-output', 'admin');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request', field: 'id' } });
    const unknown = await get('/vms/i-0fff/console-output', 'admin');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found', field: 'id' } });
  });
});
