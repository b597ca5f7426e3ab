import { CAA_OWNER_ANNOTATION, VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import { describe, expect, it } from 'vitest';
import { CapacityModel, type CapacityChange } from './model.ts';
import type { NodeView, PodView } from './objects.ts';
import { config, KATA, node, pod } from './test/model-views.ts';

const insufficient = {
  reason: 'Unschedulable',
  message:
    "0/4 nodes are available: 2 Insufficient kata.peerpods.io/vm, 2 node(s) didn't match Pod's node affinity/selector.",
  since: '2026-01-01T00:00:00Z',
};

describe('CapacityModel', () => {
  it('shows per node the decided limit, what is advertised and the drift', () => {
    const m = new CapacityModel();
    m.upsertConfig(config('10'));
    m.upsertNode(node('w1', { capacity: '10' }));
    m.upsertNode(node('w2'));
    m.upsertNode(node('w3', { capacity: '4' }));
    m.upsertNode(node('other', { labels: {}, capacity: '2' }));
    const rows = Object.fromEntries(m.snapshot().nodes.map((n) => [n.name, n]));
    expect(rows.w1).toMatchObject({
      source: 'config',
      desired: 10,
      advertised: 10,
      allocatable: 10,
      drift: null,
      free: 10,
    });
    expect(rows.w1!.config).toEqual({
      namespace: 'openshift-sandboxed-containers-operator',
      name: 'peerpodconfig-openshift',
    });
    expect(rows.w2).toMatchObject({ desired: 10, advertised: null, drift: 'not-advertised' });
    expect(rows.w3).toMatchObject({ desired: 10, advertised: 4, drift: 'differs' });
    expect(rows.other).toMatchObject({ source: 'none', desiredState: 'absent', desired: null, drift: 'unexpected' });
    expect(m.totals()).toMatchObject({
      nodes: 4,
      matchingNodes: 3,
      advertisedNodes: 3,
      capacity: 16,
      desired: 30,
      driftNodes: 3,
    });
  });

  it('counts VMs used by non-terminal peer pods bound to each node, and what is free', () => {
    const m = new CapacityModel();
    m.upsertConfig(config('3'));
    m.upsertNode(node('w1', { capacity: '3' }));
    m.upsertPod(pod('a', { nodeName: 'w1' }));
    m.upsertPod(pod('b', { nodeName: 'w1', phase: 'Pending' }));
    m.upsertPod(pod('done', { nodeName: 'w1', phase: 'Succeeded', terminal: true }));
    expect(m.node('w1')).toMatchObject({ used: 2, free: 1, pods: 2, pendingHere: 1, overcommitted: false });
    m.deletePod(pod('a', { nodeName: 'w1' }));
    expect(m.node('w1')).toMatchObject({ used: 1, free: 2, pods: 1 });
    m.upsertPod(pod('b', { nodeName: 'w1', phase: 'Failed', terminal: true }));
    expect(m.node('w1')).toMatchObject({ used: 0, free: 3, pods: 0, pendingHere: 0 });
    expect(m.totals()).toMatchObject({ used: 0, free: 3, allocatable: 3 });
  });

  it('keeps use that arrived before its node, and shows overcommitment after the limit is lowered', () => {
    const m = new CapacityModel();
    m.upsertPod(pod('a', { nodeName: 'w1' }));
    m.upsertPod(pod('b', { nodeName: 'w1' }));
    m.upsertPod(pod('c', { nodeName: 'w1' }));
    m.upsertConfig(config('3'));
    m.upsertNode(node('w1', { capacity: '3' }));
    expect(m.node('w1')).toMatchObject({ used: 3, free: 0 });
    m.upsertConfig(config('1'));
    expect(m.node('w1')).toMatchObject({ desired: 1, advertised: 3, drift: 'differs' });
    m.upsertNode(node('w1', { capacity: '1' }));
    expect(m.node('w1')).toMatchObject({ used: 3, free: 0, overcommitted: true, drift: null });
  });

  it('lists peer pods pending for lack of capacity, and only those', () => {
    const m = new CapacityModel();
    m.upsertPod(pod('waiting', { unschedulable: insufficient, phase: 'Pending' }));
    m.upsertPod(
      pod('other-reason', {
        unschedulable: { reason: 'Unschedulable', message: '0/3 nodes: 3 Insufficient cpu.' },
        phase: 'Pending',
      }),
    );
    m.upsertPod(pod('not-yet-tried', { phase: 'Pending' }));
    expect(m.snapshot().pending).toEqual([
      {
        namespace: 'apps',
        name: 'waiting',
        since: '2026-01-01T00:00:00Z',
        message: insufficient.message,
        pinnedNode: null,
      },
    ]);
    expect(m.totals().pendingForCapacity).toBe(1);
    m.upsertPod(pod('waiting', { nodeName: 'w1', phase: 'Pending' }));
    expect(m.totals().pendingForCapacity).toBe(0);
  });

  it('counts a pending pod whose nodeSelector names one node as pending on that node', () => {
    const m = new CapacityModel();
    m.upsertConfig(config('1'));
    m.upsertNode(node('w1', { capacity: '1', labels: { [KATA]: '', 'kubernetes.io/hostname': 'w1' } }));
    m.upsertNode(node('w2', { capacity: '1', labels: { [KATA]: '', 'kubernetes.io/hostname': 'w2' } }));
    m.upsertPod(
      pod('pinned', {
        phase: 'Pending',
        unschedulable: insufficient,
        placement: { nodeSelector: { 'kubernetes.io/hostname': 'w2' } },
      }),
    );
    m.upsertPod(pod('anywhere', { phase: 'Pending', unschedulable: insufficient }));
    const snapshot = m.snapshot();
    expect(snapshot.pending.map((p) => [p.name, p.pinnedNode])).toEqual([
      ['anywhere', null],
      ['pinned', 'w2'],
    ]);
    expect(snapshot.nodes.map((n) => [n.name, n.pendingPinned])).toEqual([
      ['w1', 0],
      ['w2', 1],
    ]);
    m.deletePod(pod('pinned'));
    expect(m.node('w2')?.pendingPinned).toBe(0);
  });

  it('moves the pin of required node affinity as nodes come, go and change their labels', () => {
    const m = new CapacityModel();
    const zone = (z: string) => ({ [KATA]: '', 'topology.kubernetes.io/zone': z });
    m.upsertNode(node('w1', { labels: zone('a') }));
    m.upsertNode(node('w2', { labels: zone('a') }));
    const affinity = {
      requiredTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] }],
    };
    m.upsertPod(pod('zonal', { phase: 'Pending', unschedulable: insufficient, placement: affinity }));
    // Two nodes admit it: not pinned.
    expect(m.snapshot().pending[0]?.pinnedNode).toBeNull();
    m.upsertNode(node('w2', { labels: zone('b') }));
    expect(m.snapshot().pending[0]?.pinnedNode).toBe('w1');
    expect(m.node('w1')?.pendingPinned).toBe(1);
    m.upsertNode(node('w3', { labels: zone('a') }));
    expect(m.snapshot().pending[0]?.pinnedNode).toBeNull();
    expect(m.node('w1')?.pendingPinned).toBe(0);
    m.deleteNode('w1');
    expect(m.snapshot().pending[0]?.pinnedNode).toBe('w3');
    expect(m.node('w3')?.pendingPinned).toBe(1);
  });

  it('counts pods of the runtime class without the resource request as unaccounted', () => {
    const m = new CapacityModel();
    m.upsertPod(pod('escaped', { vmRequest: 0, requestsVm: false, nodeName: 'w1', namespace: 'kube-system' }));
    m.upsertPod(pod('fine', { nodeName: 'w1' }));
    const [escaped] = m.snapshot().unaccounted;
    expect(m.snapshot().unaccounted).toHaveLength(1);
    expect(escaped).toMatchObject({ namespace: 'kube-system', name: 'escaped', nodeName: 'w1', phase: 'Running' });
    expect(escaped!.reason).toContain('kata.peerpods.io/vm');
    m.deletePod(pod('escaped', { namespace: 'kube-system' }));
    expect(m.totals().unaccounted).toBe(0);
  });

  it('marks overrides, CAA ownership and invalid settings', () => {
    const m = new CapacityModel();
    m.upsertConfig(config('10'));
    m.upsertNode(node('override', { annotations: { [VM_LIMIT_OVERRIDE_ANNOTATION]: '2' }, capacity: '2' }));
    m.upsertNode(node('bad-override', { annotations: { [VM_LIMIT_OVERRIDE_ANNOTATION]: 'x' }, capacity: '10' }));
    m.upsertNode(node('caa', { annotations: { [CAA_OWNER_ANNOTATION]: 'pod-1' }, capacity: '10' }));
    m.upsertNode(node('caa-drift', { annotations: { [CAA_OWNER_ANNOTATION]: 'pod-2' }, capacity: '7' }));
    expect(m.node('override')).toMatchObject({ source: 'override', override: 2, desired: 2, drift: null });
    expect(m.node('bad-override')).toMatchObject({ source: 'config', override: null, desired: 10 });
    expect(m.node('bad-override')!.problems[0]).toContain(VM_LIMIT_OVERRIDE_ANNOTATION);
    expect(m.node('caa')).toMatchObject({ caaOwner: 'pod-1', drift: null });
    expect(m.node('caa-drift')).toMatchObject({ caaOwner: 'pod-2', drift: 'differs' });
    expect(m.totals()).toMatchObject({ caaOwnedNodes: 2, driftNodes: 1 });
    m.upsertConfig(config('ten'));
    expect(m.node('bad-override')).toMatchObject({ desiredState: 'undetermined', desired: null, drift: null });
    expect(m.snapshot().configs[0]).toMatchObject({ limit: 'ten', validLimit: null });
    expect(m.snapshot().configs[0]!.problem).toContain('"ten"');
  });

  it('follows a limit change on every node the config selects', () => {
    const m = new CapacityModel();
    m.upsertConfig(config('5'));
    for (let i = 0; i < 10; i += 1) m.upsertNode(node(`w${i}`, { capacity: '5' }));
    expect(m.totals().driftNodes).toBe(0);
    m.upsertConfig(config('6'));
    expect(m.totals()).toMatchObject({ driftNodes: 10, desired: 60, capacity: 50 });
    expect(m.snapshot().configs[0]!.nodes).toBe(10);
    m.deleteConfig(config('6'));
    expect(m.totals()).toMatchObject({ matchingNodes: 0, driftNodes: 10 });
  });

  it('takes VMs per node through setVms', () => {
    const m = new CapacityModel();
    m.upsertNode(node('w1'));
    m.setVms({ w1: [{ id: 'i-1', name: 'podvm-a-12345678' }], gone: [{ id: 'i-2', name: 'podvm-b' }] });
    expect(m.node('w1')!.vms).toEqual([{ id: 'i-1', name: 'podvm-a-12345678' }]);
    expect(m.totals().vms).toBe(1);
    m.setVms(new Map());
    expect(m.node('w1')!.vms).toEqual([]);
    expect(m.totals().vms).toBe(0);
  });

  it("finds a pod's PeerPod by the pod uid", () => {
    const m = new CapacityModel();
    m.upsertPeerPod({
      metadata: { name: 'pp', namespace: 'apps', uid: 'u', resourceVersion: '1' },
      podUid: 'pod-uid',
      instanceID: 'i-9',
    });
    expect(m.peerPodOf('pod-uid')?.instanceID).toBe('i-9');
    expect(m.totals().peerPods).toBe(1);
    m.deletePeerPod({ metadata: { name: 'pp', namespace: 'apps', uid: 'u', resourceVersion: '2' } });
    expect(m.peerPodOf('pod-uid')).toBeUndefined();
  });

  it('stamps snapshots with a revision that only grows, and they survive JSON', () => {
    const m = new CapacityModel();
    const r0 = m.snapshot().revision;
    m.upsertConfig(config('1'));
    m.upsertNode(node('w1', { capacity: '1' }));
    const s1 = m.snapshot();
    expect(s1.revision).toBeGreaterThan(r0);
    expect(m.snapshot()).toBe(s1); // cached until something changes
    m.upsertPod(pod('a', { nodeName: 'w1' }));
    expect(m.snapshot().revision).toBeGreaterThan(s1.revision);
    expect(JSON.parse(JSON.stringify(m.snapshot()))).toEqual(m.snapshot());
  });

  it('rebuilds only the rows of nodes touched since the last snapshot; the others stay the same objects', () => {
    const m = new CapacityModel();
    m.upsertConfig(config('10'));
    for (const name of ['w10', 'w2', 'w1']) m.upsertNode(node(name, { capacity: '10' }));
    const before = m.snapshot();
    m.upsertPod(pod('p1', { nodeName: 'w2' }));
    m.upsertNode(node('w3', { capacity: '10' }));
    const after = m.snapshot();
    expect(after.nodes.map((n) => n.name)).toEqual(['w1', 'w2', 'w3', 'w10']);
    expect(after.nodes[0]).toBe(before.nodes[0]);
    expect(after.nodes[3]).toBe(before.nodes[2]);
    expect(after.nodes[1]).not.toBe(before.nodes[1]);
    expect(after.nodes[1]).toMatchObject({ name: 'w2', used: 1 });
    m.deleteNode('w1');
    expect(m.snapshot().nodes.map((n) => n.name)).toEqual(['w2', 'w3', 'w10']);
  });

  it('tells subscribers once per event-loop turn which rows changed', async () => {
    const m = new CapacityModel();
    const changes: CapacityChange[] = [];
    const off = m.subscribe((c) => changes.push(c));
    m.upsertConfig(config('1'));
    m.upsertNode(node('w1'));
    m.upsertNode(node('w2'));
    m.upsertPod(pod('p', { unschedulable: insufficient }));
    m.deleteNode('w2');
    await new Promise((r) => setImmediate(r));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      revision: m.revision,
      nodes: ['w1'],
      removedNodes: ['w2'],
      configs: true,
      pending: true,
    });
    off();
    m.upsertNode(node('w3'));
    await new Promise((r) => setImmediate(r));
    expect(changes).toHaveLength(1);
  });

  describe('another writer of the resource', () => {
    const OURS = 'peer-pods-console';
    const overridden = (capacity: string, managers: string[]) =>
      node('w1', { annotations: { [VM_LIMIT_OVERRIDE_ANNOTATION]: '2' }, capacity, allocatable: '2', managers });

    it('counts a change away from the limit by another manager as a flap, naming it', () => {
      const m = new CapacityModel();
      const seen: unknown[] = [];
      m.onFlap((flap) => seen.push(flap));
      m.upsertConfig(config('10'));
      m.upsertNode(overridden('2', [OURS]));
      m.upsertNode(overridden('10', ['manager']));
      expect(m.node('w1')).toMatchObject({ otherWriters: ['manager'], flaps: 1, drift: 'differs' });
      expect(m.node('w1')!.lastFlap).toEqual({ at: expect.any(String), writer: 'manager' });
      expect(seen).toEqual([{ node: 'w1', writer: 'manager', value: '10', desired: 2 }]);
      expect(m.totals()).toMatchObject({ flaps: 1, otherWriterNodes: 1, otherWriters: ['manager'] });
    });

    it('keeps the writer and the count after the reconciler sets the value back', () => {
      const m = new CapacityModel();
      m.upsertConfig(config('10'));
      m.upsertNode(overridden('2', [OURS]));
      m.upsertNode(overridden('10', ['manager']));
      m.upsertNode(overridden('2', [OURS]));
      m.upsertNode(overridden('10', ['manager']));
      m.upsertNode(overridden('2', [OURS]));
      expect(m.node('w1')).toMatchObject({ otherWriters: ['manager'], flaps: 2, drift: null });
      expect(m.totals()).toMatchObject({ flaps: 2, otherWriterNodes: 1, otherWriters: ['manager'] });
    });

    it('does not count our own writes, writes of the limit itself, or events that do not change the value', () => {
      const m = new CapacityModel();
      const seen: unknown[] = [];
      m.onFlap((flap) => seen.push(flap));
      m.upsertConfig(config('10'));
      m.upsertNode(node('w1', { capacity: '4', managers: [OURS] }));
      m.upsertNode(node('w1', { capacity: '10', managers: [OURS] }));
      m.upsertNode(node('w2', { capacity: '4', managers: [OURS] }));
      m.upsertNode(node('w2', { capacity: '10', managers: ['manager'] }));
      m.upsertNode(node('w2', { capacity: '10', managers: ['manager'], labels: { [KATA]: '', x: 'y' } }));
      m.upsertConfig(config('12'));
      expect(seen).toEqual([]);
      expect(m.totals().flaps).toBe(0);
      // The owner of an equal value is still another writer: it will write the next limit too.
      expect(m.node('w2')).toMatchObject({ otherWriters: ['manager'], flaps: 0 });
      expect(m.node('w1')).toMatchObject({ otherWriters: [], flaps: 0, lastFlap: null });
    });

    it('counts the resource put on a node that must not carry it (a different nodeSelector)', () => {
      const m = new CapacityModel();
      m.upsertConfig(config('10'));
      m.upsertNode(node('plain', { labels: { 'node-role.kubernetes.io/worker': '' } }));
      m.upsertNode(
        node('plain', { labels: { 'node-role.kubernetes.io/worker': '' }, capacity: '10', managers: ['manager'] }),
      );
      expect(m.node('plain')).toMatchObject({ drift: 'unexpected', otherWriters: ['manager'], flaps: 1 });
    });

    it('ignores nodes whose advertisement cloud-api-adaptor owns', () => {
      const m = new CapacityModel();
      m.upsertConfig(config('10'));
      const caa = (capacity: string) =>
        node('caa', { annotations: { [CAA_OWNER_ANNOTATION]: 'pod-1' }, capacity, managers: ['cloud-api-adaptor'] });
      m.upsertNode(caa('10'));
      m.upsertNode(caa('7'));
      expect(m.node('caa')).toMatchObject({ otherWriters: [], flaps: 0 });
      expect(m.totals()).toMatchObject({ otherWriterNodes: 0, otherWriters: [], flaps: 0 });
    });

    it('forgets a deleted node in the totals', () => {
      const m = new CapacityModel({ fieldManager: 'console-b' });
      m.upsertConfig(config('10'));
      m.upsertNode(overridden('2', ['console-b']));
      m.upsertNode(overridden('10', [OURS]));
      expect(m.totals()).toMatchObject({ flaps: 1, otherWriters: [OURS] });
      m.deleteNode('w1');
      expect(m.totals()).toMatchObject({ flaps: 0, otherWriterNodes: 0, otherWriters: [] });
    });
  });

  it('keeps incremental totals equal to a recount from scratch after any sequence of events', () => {
    // A seeded pseudo-random walk over node, config and pod events.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const m = new CapacityModel();
    const nodes = new Map<string, NodeView>();
    const pods = new Map<string, PodView>();
    let current = config('4');
    m.upsertConfig(current);
    for (let step = 0; step < 3000; step += 1) {
      // Snapshots along the way, so the last one is built from rows kept since (as the live stream reads it).
      if (step % 97 === 0) m.snapshot();
      const choice = random(10);
      const nodeName = `w${random(12)}`;
      if (choice < 3) {
        const n = node(nodeName, {
          labels: random(4) === 0 ? {} : { [KATA]: '' },
          capacity: random(3) === 0 ? undefined : String(random(6)),
          annotations: random(6) === 0 ? { [VM_LIMIT_OVERRIDE_ANNOTATION]: String(random(5)) } : {},
        });
        nodes.set(nodeName, n);
        m.upsertNode(n);
      } else if (choice === 3 && nodes.has(nodeName)) {
        nodes.delete(nodeName);
        m.deleteNode(nodeName);
      } else if (choice === 4) {
        current = config(String(random(8)));
        m.upsertConfig(current);
      } else if (choice < 9) {
        const name = `p${random(40)}`;
        const phase = ['Pending', 'Running', 'Succeeded'][random(3)]!;
        const p = pod(name, {
          nodeName: random(4) === 0 ? undefined : nodeName,
          phase,
          terminal: phase === 'Succeeded',
          vmRequest: random(3),
          requestsVm: random(5) !== 0,
          unschedulable: random(2) === 0 ? insufficient : undefined,
          placement: [
            undefined,
            { nodeSelector: { [KATA]: '' } },
            { requiredTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
          ][random(3)],
        });
        pods.set(name, p);
        m.upsertPod(p);
      } else {
        const name = `p${random(40)}`;
        if (pods.has(name)) {
          m.deletePod(pods.get(name)!);
          pods.delete(name);
        }
      }
    }
    const fresh = new CapacityModel();
    fresh.upsertConfig(current);
    for (const n of nodes.values()) fresh.upsertNode(n);
    for (const p of pods.values()) fresh.upsertPod(p);
    expect(m.totals()).toEqual(fresh.totals());
    const strip = (s: ReturnType<CapacityModel['snapshot']>) => ({ ...s, revision: 0 });
    expect(strip(m.snapshot())).toEqual(strip(fresh.snapshot()));
  });
});
