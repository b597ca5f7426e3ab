// Prometheus gauges of the live capacity model, per node and for the cluster, plus the stuck peer
// pods. Every value is read from the model's snapshot when Prometheus scrapes (collect()), so none
// is ever stale; the snapshot is cached per revision, so a scrape costs one pass over the rows.
// Labels stay bounded: `node` (only nodes that take part in peer pods), `drift` and `reason` (fixed
// vocabularies); never a pod's name. The chart's alert rules (charts/peer-pods-console/rules/) read
// these names.
import type { CapacitySnapshot, NodeCapacity } from '@peer-pods-console/contract';
import { Gauge, type Registry } from 'prom-client';

/** Stuck peer pods of one node (null: not bound and pinned nowhere) and reason. */
export interface StuckCount {
  node: string | null;
  reason: string;
  pods: number;
}

/** What services/stuck-service.ts offers the metrics. */
export interface StuckCountSource {
  countStuck(): Promise<readonly StuckCount[]>;
}

export interface ModelGaugeSource {
  snapshot(): CapacitySnapshot;
  /** Stuck peer pods; without it the stuck gauges report nothing. */
  stuck?: StuckCountSource;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

/** A node has series only when it takes part: it should or does carry the resource, or runs peer pods. */
export function takesPart(node: NodeCapacity): boolean {
  return (
    node.desiredState !== 'absent' ||
    node.advertised !== null ||
    node.allocatable !== null ||
    node.pods > 0 ||
    node.pendingPinned > 0 ||
    node.drift !== null
  );
}

type NodeValue = (node: NodeCapacity) => number | null;

const NODE_GAUGES: [name: string, help: string, value: NodeValue][] = [
  [
    'peerpods_node_vm_capacity',
    'Peer-pod VMs the node advertises (status.capacity of the extended resource); absent when it advertises none',
    (n) => n.advertised,
  ],
  [
    'peerpods_node_vm_allocatable',
    'Peer-pod VMs allocatable on the node (status.allocatable, what the scheduler reads); absent when none',
    (n) => n.allocatable,
  ],
  [
    'peerpods_node_vm_limit',
    "The node's VM limit (its override, else its PeerPodConfig's limit); absent when no limit applies",
    (n) => n.desired,
  ],
  ['peerpods_node_vms_in_use', 'Peer-pod VMs requested by the non-terminal peer pods bound to the node', (n) => n.used],
  [
    'peerpods_node_vms_free',
    'Peer-pod VMs still free on the node (allocatable minus in use, at least 0)',
    (n) => n.free,
  ],
  ['peerpods_node_peer_pods', 'Non-terminal peer pods bound to the node', (n) => n.pods],
  [
    'peerpods_node_peer_pods_starting',
    'Peer pods bound to the node still in phase Pending (their VM is being created)',
    (n) => n.pendingHere,
  ],
  [
    'peerpods_node_peer_pods_pending_pinned',
    'Unscheduled peer pods pinned to this node waiting for a free VM here',
    (n) => n.pendingPinned,
  ],
  [
    'peerpods_node_other_writers',
    'Field managers besides the backend that own or changed the extended resource on the node',
    (n) => n.otherWriters.length,
  ],
  [
    'peerpods_node_other_writer_flaps',
    "Times another writer changed the node's advertised value away from its limit, since this replica started",
    (n) => n.flaps,
  ],
  ['peerpods_node_cloud_vms', "Cloud VMs of the node's peer pods in the last inventory", (n) => n.vms.length],
];

type SnapshotValue = (snapshot: CapacitySnapshot, now: number) => number;

const CLUSTER_GAUGES: [name: string, help: string, value: SnapshotValue][] = [
  [
    'peerpods_capacity_nodes_matching',
    'Nodes that should advertise peer-pod VMs (a PeerPodConfig or an override applies)',
    (s) => s.totals.matchingNodes,
  ],
  [
    'peerpods_capacity_nodes_not_advertised',
    'Nodes that should advertise peer-pod VMs but carry none',
    (s) => s.nodes.filter((n) => n.drift === 'not-advertised').length,
  ],
  [
    'peerpods_capacity_nodes_full',
    'Nodes with VMs allocatable and none free',
    (s) => s.nodes.filter((n) => (n.allocatable ?? 0) > 0 && n.free === 0).length,
  ],
  [
    'peerpods_capacity_nodes_caa_owned',
    'Nodes whose advertisement cloud-api-adaptor owns',
    (s) => s.totals.caaOwnedNodes,
  ],
  [
    'peerpods_capacity_other_writer_nodes',
    'Nodes with another writer of the extended resource',
    (s) => s.totals.otherWriterNodes,
  ],
  ['peerpods_capacity_vm_capacity', 'Peer-pod VMs advertised on all nodes (status.capacity)', (s) => s.totals.capacity],
  ['peerpods_capacity_vm_allocatable', 'Peer-pod VMs allocatable on all nodes', (s) => s.totals.allocatable],
  ['peerpods_capacity_vm_limit', 'The VM limits of all matching nodes, summed', (s) => s.totals.desired],
  ['peerpods_capacity_vms_in_use', 'Peer-pod VMs in use on all nodes', (s) => s.totals.used],
  ['peerpods_capacity_vms_free', 'Peer-pod VMs free on all nodes', (s) => s.totals.free],
  [
    'peerpods_capacity_pending_peer_pods',
    'Unscheduled peer pods waiting because no node has a free peer-pod VM',
    (s) => s.totals.pendingForCapacity,
  ],
  [
    'peerpods_capacity_pending_oldest_seconds',
    'How long the longest-waiting peer pod has been pending for capacity (0 when none)',
    oldestPendingSeconds,
  ],
  [
    'peerpods_capacity_unaccounted_peer_pods',
    'Peer pods without the extended resource request: the scheduler counts them against no limit',
    (s) => s.totals.unaccounted,
  ],
];

function oldestPendingSeconds(snapshot: CapacitySnapshot, now: number): number {
  let oldest = now;
  for (const pod of snapshot.pending) {
    const since = pod.since === null ? NaN : Date.parse(pod.since);
    if (!Number.isNaN(since)) oldest = Math.min(oldest, since);
  }
  return Math.max(0, (now - oldest) / 1000);
}

/** Registers the model's gauges on the registry. */
export function registerModelGauges(registry: Registry, source: ModelGaugeSource): void {
  const registers = [registry];
  const now = source.now ?? Date.now;
  const nodes = () => source.snapshot().nodes.filter(takesPart);
  for (const [name, help, value] of NODE_GAUGES) {
    new Gauge({
      name,
      help,
      labelNames: ['node'],
      registers,
      collect() {
        this.reset();
        for (const node of nodes()) {
          const v = value(node);
          if (v !== null) this.set({ node: node.name }, v);
        }
      },
    });
  }
  new Gauge({
    name: 'peerpods_node_capacity_drift',
    help: 'Nodes whose advertised peer-pod VMs depart from their limit: not-advertised, differs or unexpected (1 per node in drift)',
    labelNames: ['node', 'drift'],
    registers,
    collect() {
      this.reset();
      for (const node of nodes()) if (node.drift !== null) this.set({ node: node.name, drift: node.drift }, 1);
    },
  });
  for (const [name, help, value] of CLUSTER_GAUGES) {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(value(source.snapshot(), now()));
      },
    });
  }
  registerStuckGauges(registry, source.stuck);
}

/** One reading of the stuck pods serves both gauges of a scrape (it may read Events). */
function sharedReading(stuck: StuckCountSource): () => Promise<readonly StuckCount[]> {
  let reading: Promise<readonly StuckCount[]> | undefined;
  return () => {
    if (!reading) {
      reading = stuck.countStuck();
      const forget = () => {
        reading = undefined;
      };
      reading.then(forget, forget);
    }
    return reading;
  };
}

function sumBy(counts: readonly StuckCount[], key: (count: StuckCount) => string | null): Map<string, number> {
  const sums = new Map<string, number>();
  for (const count of counts) {
    const k = key(count);
    if (k !== null) sums.set(k, (sums.get(k) ?? 0) + count.pods);
  }
  return sums;
}

function registerStuckGauges(registry: Registry, stuck: StuckCountSource | undefined): void {
  const registers = [registry];
  const read = stuck ? sharedReading(stuck) : async () => [];
  new Gauge({
    name: 'peerpods_node_peer_pods_stuck',
    help: 'Peer pods stuck past the grace period on the node, or pinned to it',
    labelNames: ['node'],
    registers,
    async collect() {
      const counts = await read();
      this.reset();
      for (const [node, pods] of sumBy(counts, (c) => c.node)) this.set({ node }, pods);
    },
  });
  new Gauge({
    name: 'peerpods_stuck_peer_pods',
    help: 'Peer pods stuck past the grace period (not scheduled, or their VM not coming up), by reason',
    labelNames: ['reason'],
    registers,
    async collect() {
      const counts = await read();
      this.reset();
      for (const [reason, pods] of sumBy(counts, (c) => c.reason)) this.set({ reason }, pods);
    },
  });
}
