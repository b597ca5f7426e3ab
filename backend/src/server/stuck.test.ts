// GET /stuck and GET /vms/:id/console-output, least privilege: `list nodes` reads why pods are
// stuck; pod names (and VM ids) need `list pods` cluster-wide, Event messages `list events`
// cluster-wide. The console output is cloud data, gated as the inventory is. The reviewer is a
// stand-in whose grants each test sets.
import { describe, expect, it } from 'vitest';
import type { StuckPeerPods, VmConsoleOutput } from '@peer-pods-console/contract';
import type { ApiServices } from './api.ts';
import type { AccessReviewer } from './auth.ts';
import { listenApi } from './test/api-server.ts';
import { grantReviewer, type Grant } from './test/grant-reviewer.ts';

const NAMESPACE = 'openshift-sandboxed-containers-operator';
const QUOTA_MESSAGE = 'creating an instance : api error VcpuLimitExceeded: You have requested more vCPU capacity';
const AZURE_VM = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/podvm-web-0-1a2b3c4d';

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

async function startApi(reviewer: AccessReviewer) {
  const asked: { node?: string }[] = [];
  const consoleAsked: string[] = [];
  const services = {
    capacity: {
      snapshot: () => ({}),
      snapshotJson: () => ({}),
      liveSnapshot: () => ({ revision: 0, json: () => '{}' }),
      subscribeLive: () => () => {},
    },
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
  const { get } = await listenApi({ reviewer, services });
  return { get, asked, consoleAsked };
}

describe('GET /stuck', () => {
  it('refuses a user who may not list nodes', async () => {
    const { get, asked } = await startApi(grantReviewer({ nobody: [] }));
    const res = await get('/stuck', 'nobody');
    expect(res.status).toBe(403);
    expect(asked).toEqual([]);
  });

  it('gives a node reader the stages, reasons and fixes, without pod names, VM ids or messages', async () => {
    const { get } = await startApi(grantReviewer({ reader: ['nodes'] }));
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
    const { get } = await startApi(grantReviewer({ podReader: ['nodes', 'pods'], admin: ['nodes', 'pods', 'events'] }));
    expect(await (await get('/stuck', 'podReader')).json()).toMatchObject({
      podNames: 'shown',
      messages: 'hidden',
      pods: [{ namespace: 'shop', name: 'web-0', vmId: 'i-0abc123', message: null }],
    });
    expect(await (await get('/stuck', 'admin')).json()).toEqual(stuckList);
  });

  it('passes ?node= on, and answers a name that is not a node name with 400 naming the field', async () => {
    const { get, asked } = await startApi(grantReviewer({ reader: ['nodes'] }));
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
    const { get } = await startApi(grantReviewer({ admin: everything }));
    const res = await get('/vms/i-0abc123/console-output', 'admin');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ vmId: 'i-0abc123', output: '[    0.000000] Linux version 6.1' });
  });

  it('takes an Azure VM resource id URL-encoded', async () => {
    const { get, consoleAsked } = await startApi(grantReviewer({ admin: everything }));
    const res = await get(`/vms/${encodeURIComponent(AZURE_VM)}/console-output`, 'admin');
    expect(res.status).toBe(200);
    expect(consoleAsked).toEqual([AZURE_VM]);
  });

  it.each([
    ['may not list pods (the VM names its pod)', ['nodes', 'secret'] as Grant[]],
    ['may not get the cloud credentials', ['nodes', 'pods'] as Grant[]],
    ['may not list nodes', ['pods', 'secret'] as Grant[]],
  ])('refuses a user who %s', async (_why, grants) => {
    const { get, consoleAsked } = await startApi(grantReviewer({ user: grants }));
    expect((await get('/vms/i-0abc123/console-output', 'user')).status).toBe(403);
    expect(consoleAsked).toEqual([]);
  });

  it('answers an id that is no VM id with 400 naming the field, and a VM not in the inventory with 404', async () => {
    const { get } = await startApi(grantReviewer({ admin: everything }));
    const bad = await get('/vms/..%2F..%2Fsecrets/console-output', 'admin');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request', field: 'id' } });
    const unknown = await get('/vms/i-0fff/console-output', 'admin');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found', field: 'id' } });
  });
});
