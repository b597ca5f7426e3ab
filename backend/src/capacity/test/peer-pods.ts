// Peer pods as the webhook leaves them, for the capacity integration tests and the benchmark.
import type { V1Pod } from '@kubernetes/client-node';

export interface PeerPodOptions {
  runtimeClassName?: string;
  /** VM request; undefined for a pod that escaped the webhook (no request at all). */
  vms?: number;
  nodeSelector?: Record<string, string>;
  /** Bind directly, without the scheduler. */
  nodeName?: string;
  resource?: string;
}

/** A peer pod as the webhook leaves it: runtime class kata-remote, the VM resource in the first container. */
export function peerPod(name: string, namespace: string, options: PeerPodOptions = {}): V1Pod {
  const resource = options.resource ?? 'kata.peerpods.io/vm';
  const amount = options.vms === undefined ? undefined : { [resource]: String(options.vms) };
  return {
    metadata: { name, namespace },
    spec: {
      runtimeClassName: options.runtimeClassName ?? 'kata-remote',
      nodeSelector: options.nodeSelector,
      nodeName: options.nodeName,
      containers: [
        {
          name: 'app',
          image: 'registry.access.redhat.com/ubi9/ubi-minimal',
          resources: amount ? { requests: amount, limits: amount } : {},
        },
      ],
    },
  };
}
