import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CapacityModel } from './model.ts';
import { registerModelGauges, type StuckCount } from './model-metrics.ts';
import type { NodeView, PeerPodConfigView, PodView } from './objects.ts';

const KATA = 'node-role.kubernetes.io/kata-oc';
let rv = 0;

function node(name: string, options: { labels?: Record<string, string>; capacity?: string } = {}): NodeView {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: String(++rv),
      labels: options.labels ?? { [KATA]: '' },
      annotations: {},
    },
    capacity: options.capacity,
    allocatable: options.capacity,
    hasCapacityMap: true,
    hasAllocatableMap: true,
    capacityManagers: [],
  };
}

function config(limit: string): PeerPodConfigView {
  return {
    metadata: {
      name: 'peerpodconfig-openshift',
      namespace: 'openshift-sandboxed-containers-operator',
      uid: 'uid-config',
      resourceVersion: String(++rv),
    },
    limit,
    nodeSelector: { [KATA]: '' },
  };
}

function pod(name: string, options: Partial<Omit<PodView, 'metadata'>> = {}): PodView {
  return {
    metadata: { name, namespace: 'apps', uid: `uid-${name}`, resourceVersion: String(++rv) },
    runtimeClassName: 'kata-remote',
    vmRequest: 1,
    requestsVm: true,
    phase: 'Running',
    terminal: false,
    terminating: false,
    ...options,
  };
}

const NOW = Date.parse('2026-01-01T00:30:00Z');

/** A model with w1 (2 VMs, both in use), w2 (not advertised), a plain worker, one pod pending for capacity. */
function clusterModel(): CapacityModel {
  const model = new CapacityModel();
  model.upsertConfig(config('2'));
  model.upsertNode(node('w1', { capacity: '2' }));
  model.upsertNode(node('w2'));
  model.upsertNode(node('plain', { labels: {} }));
  model.upsertPod(pod('a', { nodeName: 'w1' }));
  model.upsertPod(pod('b', { nodeName: 'w1', phase: 'Pending' }));
  model.upsertPod(
    pod('waiting', {
      phase: 'Pending',
      unschedulable: {
        reason: 'Unschedulable',
        message: '0/3 nodes are available: 1 Insufficient kata.peerpods.io/vm.',
        since: '2026-01-01T00:20:00Z',
      },
    }),
  );
  return model;
}

async function samples(registry: Registry, name: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values.map((v) => ({ labels: { ...v.labels } as Record<string, string>, value: v.value }));
}

async function byNode(registry: Registry, name: string): Promise<Record<string, number>> {
  return Object.fromEntries((await samples(registry, name)).map((s) => [s.labels.node, s.value]));
}

async function single(registry: Registry, name: string): Promise<number | undefined> {
  return (await samples(registry, name))[0]?.value;
}

function registryFor(model: CapacityModel, stuck?: StuckCount[]): Registry {
  const registry = new Registry();
  registerModelGauges(registry, {
    snapshot: () => model.snapshot(),
    stuck: stuck && { countStuck: () => Promise.resolve(stuck) },
    now: () => NOW,
  });
  return registry;
}

describe('the capacity model gauges', () => {
  it('report per node what it advertises, its limit, what is in use, free and starting', async () => {
    const registry = registryFor(clusterModel());
    expect(await byNode(registry, 'peerpods_node_vm_capacity')).toEqual({ w1: 2 });
    expect(await byNode(registry, 'peerpods_node_vm_allocatable')).toEqual({ w1: 2 });
    expect(await byNode(registry, 'peerpods_node_vm_limit')).toEqual({ w1: 2, w2: 2 });
    expect(await byNode(registry, 'peerpods_node_vms_in_use')).toEqual({ w1: 2, w2: 0 });
    expect(await byNode(registry, 'peerpods_node_vms_free')).toEqual({ w1: 0, w2: 0 });
    expect(await byNode(registry, 'peerpods_node_peer_pods_starting')).toEqual({ w1: 1, w2: 0 });
    expect(await byNode(registry, 'peerpods_node_peer_pods')).toEqual({ w1: 2, w2: 0 });
  });

  it('name the drift of each node in drift, with a drift label', async () => {
    const registry = registryFor(clusterModel());
    expect(await samples(registry, 'peerpods_node_capacity_drift')).toEqual([
      { labels: { node: 'w2', drift: 'not-advertised' }, value: 1 },
    ]);
  });

  it('report the cluster totals, pending peer pods and how long the oldest has waited', async () => {
    const registry = registryFor(clusterModel());
    expect(await single(registry, 'peerpods_capacity_nodes_matching')).toBe(2);
    expect(await single(registry, 'peerpods_capacity_nodes_not_advertised')).toBe(1);
    expect(await single(registry, 'peerpods_capacity_nodes_full')).toBe(1);
    expect(await single(registry, 'peerpods_capacity_vm_capacity')).toBe(2);
    expect(await single(registry, 'peerpods_capacity_vms_in_use')).toBe(2);
    expect(await single(registry, 'peerpods_capacity_vms_free')).toBe(0);
    expect(await single(registry, 'peerpods_capacity_pending_peer_pods')).toBe(1);
    expect(await single(registry, 'peerpods_capacity_pending_oldest_seconds')).toBe(600);
    expect(await single(registry, 'peerpods_capacity_unaccounted_peer_pods')).toBe(0);
  });

  it('follow the model without re-registering: each scrape reads it as it is then', async () => {
    const model = clusterModel();
    const registry = registryFor(model);
    expect(await single(registry, 'peerpods_capacity_pending_peer_pods')).toBe(1);
    model.upsertPod(pod('waiting', { nodeName: 'w2' }));
    model.upsertNode(node('w2', { capacity: '2' }));
    expect(await single(registry, 'peerpods_capacity_pending_peer_pods')).toBe(0);
    expect(await single(registry, 'peerpods_capacity_pending_oldest_seconds')).toBe(0);
    expect(await byNode(registry, 'peerpods_node_vms_in_use')).toEqual({ w1: 2, w2: 1 });
    expect(await samples(registry, 'peerpods_node_capacity_drift')).toEqual([]);
  });

  it('give series only to nodes that take part in peer pods, and no label but node, drift and reason', async () => {
    const registry = registryFor(clusterModel(), [{ node: 'w1', reason: 'image', pods: 1 }]);
    const text = await registry.metrics();
    expect(text).not.toContain('node="plain"');
    const labelNames = new Set<string>();
    for (const metric of await registry.getMetricsAsJSON()) {
      for (const value of metric.values) for (const label of Object.keys(value.labels)) labelNames.add(label);
    }
    expect([...labelNames].sort()).toEqual(['drift', 'node', 'reason']);
  });

  it('report stuck peer pods per node and per reason from the stuck source, summed over the other', async () => {
    const registry = registryFor(clusterModel(), [
      { node: null, reason: 'capacity', pods: 1 },
      { node: 'w1', reason: 'capacity', pods: 1 },
      { node: 'w1', reason: 'image', pods: 1 },
      { node: 'w2', reason: 'image', pods: 2 },
    ]);
    expect(await byNode(registry, 'peerpods_node_peer_pods_stuck')).toEqual({ w1: 2, w2: 2 });
    expect(await samples(registry, 'peerpods_stuck_peer_pods')).toEqual([
      { labels: { reason: 'capacity' }, value: 2 },
      { labels: { reason: 'image' }, value: 3 },
    ]);
  });

  it('read the stuck pods once per scrape for both gauges', async () => {
    let readings = 0;
    const registry = new Registry();
    registerModelGauges(registry, {
      snapshot: () => clusterModel().snapshot(),
      stuck: {
        countStuck: () => {
          readings += 1;
          return Promise.resolve([{ node: 'w1', reason: 'network', pods: 1 }]);
        },
      },
    });
    expect(await registry.metrics()).toContain('peerpods_stuck_peer_pods{reason="network"} 1');
    expect(readings).toBe(1);
  });

  it('report no stuck series without a stuck source', async () => {
    const registry = registryFor(clusterModel());
    expect(await samples(registry, 'peerpods_stuck_peer_pods')).toEqual([]);
    expect(await samples(registry, 'peerpods_node_peer_pods_stuck')).toEqual([]);
  });
});
