// The objects the capacity model reads, as the informers' transforms leave them (objects.ts), for
// tests that feed the model by hand: a node selected by the default PeerPodConfig, a config, a
// bound running peer pod, unless told otherwise.
import type { NodeView, PeerPodConfigView, PodView } from '../objects.ts';

export const KATA = 'node-role.kubernetes.io/kata-oc';
let rv = 0;

export function node(
  name: string,
  options: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    capacity?: string;
    allocatable?: string;
    /** managedFields managers of the capacity of the resource. */
    managers?: string[];
  } = {},
): NodeView {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: String(++rv),
      labels: options.labels ?? { [KATA]: '' },
      annotations: options.annotations ?? {},
    },
    capacity: options.capacity,
    allocatable: options.allocatable ?? options.capacity,
    hasCapacityMap: true,
    hasAllocatableMap: true,
    capacityManagers: options.managers ?? [],
  };
}

export function config(
  limit: string,
  nodeSelector: Record<string, string> = { [KATA]: '' },
  name = 'peerpodconfig-openshift',
): PeerPodConfigView {
  return {
    metadata: {
      name,
      namespace: 'openshift-sandboxed-containers-operator',
      uid: `uid-${name}`,
      resourceVersion: String(++rv),
    },
    limit,
    nodeSelector,
  };
}

export function pod(name: string, options: Partial<Omit<PodView, 'metadata'>> & { namespace?: string } = {}): PodView {
  const { namespace, ...rest } = options;
  return {
    metadata: { name, namespace: namespace ?? 'apps', uid: `uid-${name}`, resourceVersion: String(++rv) },
    runtimeClassName: 'kata-remote',
    vmRequest: 1,
    requestsVm: true,
    phase: 'Running',
    terminal: false,
    terminating: false,
    ...rest,
  };
}
