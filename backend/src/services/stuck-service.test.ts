import { describe, expect, it } from 'vitest';
import { VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import { CapacityModel } from '../capacity/model.ts';
import type { NodeView, PodView } from '../capacity/objects.ts';
import type { KubeRequest } from '../kube/client.ts';
import { memoryLogger } from '../../test/memory-logger.ts';
import { StuckService, stuckForReader, tellingEvent } from './stuck-service.ts';

const KATA = 'node-role.kubernetes.io/kata-oc';
const NOW = Date.parse('2026-05-01T12:00:00Z');
const LONG_AGO = '2026-05-01T11:00:00Z';
const QUOTA =
  'Failed to create pod sandbox: rpc error: code = Unknown desc = remote hypervisor call failed: rpc error: code = Unknown desc = creating an instance : creating instance podvm-web-0-1a2b3c4d (<nil>): operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 1, api error VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to.';
const FULL =
  "0/2 nodes are available: 1 Insufficient kata.peerpods.io/vm, 1 node(s) didn't match Pod's node affinity/selector.";

function node(name: string, annotations: Record<string, string> = {}): NodeView {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: '1',
      labels: { [KATA]: '', 'kubernetes.io/hostname': name },
      annotations,
    },
    capacity: '1',
    allocatable: '1',
    hasCapacityMap: true,
    hasAllocatableMap: true,
    capacityManagers: [],
  };
}

function pod(name: string, rest: Partial<PodView> = {}, created = LONG_AGO): PodView {
  return {
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: created },
    runtimeClassName: 'kata-remote',
    vmRequest: 1,
    requestsVm: true,
    phase: 'Pending',
    terminal: false,
    terminating: false,
    ...rest,
  };
}

/** A Warning Event as the kubelet or the scheduler writes it. */
function warning(reason: string, message: string, at: string, count = 1) {
  return { type: 'Warning', reason, message, count, firstTimestamp: LONG_AGO, lastTimestamp: at };
}

function setup(pods: PodView[], events: Record<string, unknown[]> = {}) {
  const model = new CapacityModel();
  model.upsertConfig({
    metadata: {
      name: 'peerpodconfig-openshift',
      namespace: 'openshift-sandboxed-containers-operator',
      uid: 'c',
      resourceVersion: '1',
    },
    limit: '1',
    nodeSelector: { [KATA]: '' },
  });
  model.upsertNode(node('w1'));
  model.upsertNode(node('w2', { [VM_LIMIT_OVERRIDE_ANNOTATION]: '1' }));
  for (const p of pods) model.upsertPod(p);
  model.setVms({ w1: [{ id: 'i-0abc', name: 'podvm-web-0-1a2b3c4d', pod: { namespace: 'shop', name: 'web-0' } }] });
  const requests: KubeRequest[] = [];
  let failing = false;
  const client = {
    request: async <T>(req: KubeRequest): Promise<T> => {
      requests.push(req);
      if (failing) throw new Error('GET events: 403 forbidden');
      const uid = /involvedObject\.uid=([^,]+)/.exec(String(req.query?.fieldSelector))?.[1] ?? '';
      return { items: events[uid] ?? [] } as T;
    },
  };
  const logs = memoryLogger();
  const service = new StuckService({
    client,
    logger: logs.logger,
    pods: () => pods,
    model,
    graceSeconds: 120,
    now: () => NOW,
  });
  return { service, requests, logs, fail: () => (failing = true) };
}

describe('StuckService', () => {
  it('lists a bound pod whose sandbox Events carry a quota error as stuck in the sandbox stage, with its VM', async () => {
    const { service } = setup([pod('web-0', { nodeName: 'w1' })], {
      'uid-web-0': [
        warning('FailedMount', 'MountVolume.SetUp failed for volume "x"', '2026-05-01T11:10:00Z'),
        warning('FailedCreatePodSandBox', QUOTA, '2026-05-01T11:05:00Z', 7),
      ],
    });
    const { pods, graceSeconds } = await service.stuck();
    expect(graceSeconds).toBe(120);
    expect(pods).toEqual([
      {
        namespace: 'shop',
        name: 'web-0',
        stage: 'sandbox',
        nodeName: 'w1',
        pinned: false,
        reason: 'quota',
        message: QUOTA,
        eventReason: 'FailedCreatePodSandBox',
        since: LONG_AGO,
        count: 7,
        fixes: ['check-quota'],
        vmId: 'i-0abc',
      },
    ]);
  });

  it('lists a pod pinned to a full node as pending on that node, with its override and limit as fixes', async () => {
    const pinned = pod('pinned', {
      unschedulable: { reason: 'Unschedulable', message: FULL, since: '2026-05-01T11:01:00Z' },
      placement: { nodeSelector: { 'kubernetes.io/hostname': 'w1' } },
    });
    const { service } = setup([pinned]);
    const [stuck] = (await service.stuck()).pods;
    expect(stuck).toMatchObject({
      stage: 'pending',
      nodeName: 'w1',
      pinned: true,
      reason: 'capacity',
      message: FULL,
      eventReason: null,
      since: '2026-05-01T11:01:00Z',
      fixes: ['raise-override', 'raise-limit'],
      vmId: null,
    });
  });

  it('offers only the override for a pod pinned to a node whose limit is an override', async () => {
    const pinned = pod('pinned', {
      unschedulable: { reason: 'Unschedulable', message: FULL },
      placement: { nodeSelector: { 'kubernetes.io/hostname': 'w2' } },
    });
    const { service } = setup([pinned]);
    expect((await service.stuck()).pods[0]?.fixes).toEqual(['raise-override']);
  });

  it('offers the cluster limit to a capacity-stuck pod any node would do', async () => {
    const { service } = setup([pod('any', { unschedulable: { reason: 'Unschedulable', message: FULL } })]);
    expect((await service.stuck()).pods[0]).toMatchObject({ nodeName: null, pinned: false, fixes: ['raise-limit'] });
  });

  it('leaves out pods within the grace period, running, finished or being deleted', async () => {
    const { service, requests } = setup([
      pod('young', {}, '2026-05-01T11:59:00Z'),
      pod('running', { phase: 'Running', nodeName: 'w1' }),
      pod('done', { phase: 'Succeeded', terminal: true, nodeName: 'w1' }),
      pod('leaving', { terminating: true, nodeName: 'w1' }),
    ]);
    expect((await service.stuck()).pods).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('keeps an unknown message verbatim as other, and filters by node', async () => {
    const strange = 'Failed to create pod sandbox: rpc error: code = Unknown desc = something nobody has seen';
    const { service } = setup([pod('odd', { nodeName: 'w2' }), pod('web-0', { nodeName: 'w1' })], {
      'uid-odd': [warning('FailedCreatePodSandBox', strange, '2026-05-01T11:30:00Z')],
    });
    const { pods } = await service.stuck({ node: 'w2' });
    expect(pods.map((p) => [p.name, p.reason, p.message, p.fixes])).toEqual([['odd', 'other', strange, []]]);
  });

  it('reads each pod’s Warning Events in its namespace by uid, and reuses the answer for a while', async () => {
    const { service, requests } = setup([pod('web-0', { nodeName: 'w1' })]);
    await service.stuck();
    await service.stuck();
    expect(requests).toEqual([
      {
        method: 'GET',
        path: '/api/v1/namespaces/shop/events',
        query: { fieldSelector: 'involvedObject.uid=uid-web-0,type=Warning', limit: 100 },
        timeoutMs: 10_000,
      },
    ]);
  });

  it('reads the Events of the oldest candidates only, up to maxEventLookups', async () => {
    const pods = Array.from({ length: 5 }, (_, i) => pod(`p${i}`, { nodeName: 'w1' }, `2026-05-01T10:0${i}:00Z`));
    const requests: KubeRequest[] = [];
    const model = new CapacityModel();
    const service = new StuckService({
      client: { request: async <T>(req: KubeRequest) => (requests.push(req), { items: [] } as T) },
      logger: memoryLogger().logger,
      pods: () => [...pods].reverse(),
      model,
      graceSeconds: 0,
      now: () => NOW,
      maxEventLookups: 2,
    });
    const { pods: stuck } = await service.stuck();
    expect(stuck.map((p) => p.name)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(requests.map((r) => r.query?.fieldSelector)).toEqual([
      'involvedObject.uid=uid-p0,type=Warning',
      'involvedObject.uid=uid-p1,type=Warning',
    ]);
  });

  it('still answers when Events cannot be read, and says so in the log without the error text', async () => {
    const { service, fail, logs } = setup([pod('web-0', { nodeName: 'w1' })]);
    fail();
    const [stuck] = (await service.stuck()).pods;
    expect(stuck).toMatchObject({ reason: 'other', message: null, eventReason: null, count: 0 });
    expect(logs.text()).toContain('could not read the Events');
  });

  it('counts stuck pods per node, stage and reason for the metrics', async () => {
    const { service } = setup(
      [
        pod('web-0', { nodeName: 'w1' }),
        pod('web-1', { nodeName: 'w1' }),
        pod('any', { unschedulable: { reason: 'Unschedulable', message: FULL } }),
      ],
      {
        'uid-web-0': [warning('FailedCreatePodSandBox', QUOTA, '2026-05-01T11:05:00Z')],
        'uid-web-1': [warning('FailedCreatePodSandBox', QUOTA, '2026-05-01T11:05:00Z')],
      },
    );
    expect(await service.countStuck()).toEqual([
      { node: null, stage: 'pending', reason: 'capacity', pods: 1 },
      { node: 'w1', stage: 'sandbox', reason: 'quota', pods: 2 },
    ]);
  });
});

describe('tellingEvent', () => {
  it('prefers the newest Event of the stage’s telling reason, counting a series', () => {
    const events = [
      warning('FailedCreatePodSandBox', 'old', '2026-05-01T11:00:00Z'),
      {
        ...warning('FailedCreatePodSandBox', 'new', '2026-05-01T11:20:00Z'),
        series: { count: 12, lastObservedTime: '2026-05-01T11:20:00Z' },
      },
      warning('BackOff', 'newest but less telling', '2026-05-01T11:30:00Z'),
      { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned shop/web-0 to w1' },
    ];
    expect(tellingEvent(events, 'sandbox')).toEqual({
      reason: 'FailedCreatePodSandBox',
      message: 'new',
      firstSeen: LONG_AGO,
      count: 12,
    });
    expect(tellingEvent(events, 'pending')?.message).toBe('newest but less telling');
    expect(tellingEvent([], 'pending')).toBeNull();
  });
});

describe('stuckForReader', () => {
  const all = {
    generatedAt: '2026-05-01T12:00:00.000Z',
    graceSeconds: 120,
    podNames: 'shown' as const,
    messages: 'shown' as const,
    pods: [
      {
        namespace: 'shop',
        name: 'web-0',
        stage: 'sandbox' as const,
        nodeName: 'w1',
        pinned: false,
        reason: 'quota' as const,
        message: QUOTA,
        eventReason: 'FailedCreatePodSandBox',
        since: LONG_AGO,
        count: 1,
        fixes: ['check-quota' as const],
        vmId: 'i-0abc',
      },
    ],
  };

  it('hides pod namespaces, names and VM ids from a reader who may not list pods', () => {
    const seen = stuckForReader(all, { podNames: 'hidden', messages: 'shown' });
    expect(seen.podNames).toBe('hidden');
    expect(seen.pods[0]).toMatchObject({ namespace: null, name: null, vmId: null, nodeName: 'w1', message: QUOTA });
  });

  it('hides messages from a reader who may not list events', () => {
    const seen = stuckForReader(all, { podNames: 'shown', messages: 'hidden' });
    expect(seen.messages).toBe('hidden');
    expect(seen.pods[0]).toMatchObject({ name: 'web-0', message: null, reason: 'quota', fixes: ['check-quota'] });
  });
});
