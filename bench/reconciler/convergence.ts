// Every node's advertised VM capacity and allocatable as a watch delivers them: how the
// benchmarks see the reconciler converge. Shared by bench/reconciler and bench/scale.
import { pino } from 'pino';
import type { KubeClient } from '../../backend/src/kube/client.ts';
import { apiListerWatcher, Informer, type RawObject, type StoredObject } from '../../backend/src/kube/informer.ts';
import { waitFor } from '../../backend/src/kube/test/cluster.ts';
import { PEERPOD_RESOURCE } from '../../hack/controlplane/fixtures.ts';

interface Seen extends StoredObject {
  capacity?: string;
  allocatable?: string;
}

export interface NodeCapacityWatch {
  /** Resolves with the ms it took until `nodes` nodes advertise expected(name) in capacity and allocatable. */
  converged(what: string, nodes: number, expected: (name: string) => string): Promise<number>;
  stop(): Promise<void>;
}

export async function watchNodeCapacity(client: KubeClient): Promise<NodeCapacityWatch> {
  const observer = new Informer<Seen>({
    name: 'bench-nodes',
    logger: pino({ level: 'silent' }),
    listerWatcher: apiListerWatcher(client, { group: '', version: 'v1', plural: 'nodes', namespaced: false }),
    transform: (raw: RawObject) => {
      const status = raw.status as
        { capacity?: Record<string, string>; allocatable?: Record<string, string> } | undefined;
      return {
        metadata: { name: raw.metadata!.name!, resourceVersion: raw.metadata!.resourceVersion! },
        capacity: status?.capacity?.[PEERPOD_RESOURCE],
        allocatable: status?.allocatable?.[PEERPOD_RESOURCE],
      };
    },
  });
  observer.start();
  await observer.synced;
  const convergedTo = (nodes: number, expected: (name: string) => string) => {
    if (observer.size !== nodes) return false;
    for (const n of observer.values()) {
      const want = expected(n.metadata.name);
      if (n.capacity !== want || n.allocatable !== want) return false;
    }
    return true;
  };
  return {
    async converged(what, nodes, expected) {
      const started = Date.now();
      await waitFor(what, () => convergedTo(nodes, expected), { timeoutMs: 300_000, intervalMs: 5 });
      return Date.now() - started;
    },
    stop: () => observer.stop(),
  };
}
