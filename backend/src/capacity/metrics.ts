// Prometheus metrics of the capacity reconciler. Counters and the latency histogram are updated
// by the reconciler; the gauges read the live model at scrape time (O(1): the model keeps totals).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type ReconcileResult =
  'in-sync' | 'written' | 'caa-owned' | 'undetermined' | 'node-gone' | 'not-leader' | 'error';

export interface CapacityMetrics {
  reconciles: Counter<'result'>;
  errors: Counter<string>;
  duration: Histogram<string>;
  /** PATCHes on nodes/status (one per node whose value changed). */
  writes: Counter<string>;
  conflicts: Counter<string>;
  /** Changes of a node's advertised value away from its limit by another field manager (other-writers.ts). */
  flaps: Counter<'writer'>;
}

export interface CapacityGaugeSource {
  advertisedNodes(): number;
  driftNodes(): number;
  isLeader(): boolean;
}

export function createCapacityMetrics(registry: Registry, source: CapacityGaugeSource): CapacityMetrics {
  const registers = [registry];
  new Gauge({
    name: 'peerpods_capacity_nodes_advertised',
    help: 'Nodes that carry the peer-pod VM extended resource in status.capacity',
    registers,
    collect() {
      this.set(source.advertisedNodes());
    },
  });
  new Gauge({
    name: 'peerpods_capacity_nodes_in_drift',
    help: 'Nodes whose advertised peer-pod VM capacity differs from the configured limit',
    registers,
    collect() {
      this.set(source.driftNodes());
    },
  });
  new Gauge({
    name: 'peerpods_capacity_leader',
    help: '1 while this replica holds the capacity reconciler lease',
    registers,
    collect() {
      this.set(source.isLeader() ? 1 : 0);
    },
  });
  return {
    reconciles: new Counter({
      name: 'peerpods_capacity_reconciles_total',
      help: 'Node reconciles by result',
      labelNames: ['result'],
      registers,
    }),
    errors: new Counter({
      name: 'peerpods_capacity_reconcile_errors_total',
      help: 'Node reconciles that failed and were retried with backoff',
      registers,
    }),
    duration: new Histogram({
      name: 'peerpods_capacity_reconcile_duration_seconds',
      help: 'Time to reconcile one node, including its write when there is one',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    writes: new Counter({
      name: 'peerpods_capacity_node_writes_total',
      help: 'JSON patches written to nodes/status',
      registers,
    }),
    conflicts: new Counter({
      name: 'peerpods_capacity_write_conflicts_total',
      help: 'Node writes refused with 409 because the node changed since it was read (retried on the fresh node)',
      registers,
    }),
    flaps: new Counter({
      name: 'peerpods_capacity_other_writer_flaps_total',
      help: "Changes of a node's advertised peer-pod VM capacity away from its limit by another field manager (label writer), seen by this replica",
      labelNames: ['writer'],
      registers,
    }),
  };
}
