// The four informers the capacity model and reconciler read, with the filters and transforms
// that keep their stores small.
import type { Logger } from 'pino';
import type { KubeClient } from '../kube/client.ts';
import { apiListerWatcher, Informer, type BackoffOptions } from '../kube/informer.ts';
import {
  NODES,
  nodeTransform,
  PEERPODCONFIGS,
  peerPodConfigTransform,
  peerPodFilter,
  PEERPODS,
  peerPodTransform,
  PODS,
  podTransform,
  type NodeView,
  type PeerPodConfigView,
  type PeerPodView,
  type PodView,
} from './objects.ts';

export interface CapacityInformers {
  nodes: Informer<NodeView>;
  configs: Informer<PeerPodConfigView>;
  pods: Informer<PodView>;
  peerPods: Informer<PeerPodView>;
}

export interface CapacityInformerOptions {
  client: KubeClient;
  logger: Logger;
  extendedResource: string;
  targetRuntimeClass: string;
  /** Only nodes with these labels (sharding, or isolating tests); default all nodes. */
  nodeLabelSelector?: string;
  /**
   * The only namespace whose PeerPodConfigs count, as upstream reads only its own: one in
   * another namespace must not set node capacity (the setup checklist names it instead).
   */
  peerPodConfigNamespace: string;
  backoff?: Partial<BackoffOptions>;
  /** Pods per list page; default POD_LIST_PAGE_SIZE (the benchmark compares others). */
  podListPageSize?: number;
}

/**
 * Pods per page of the pods informer's list (client-go's reflector asks for as many). Each page is
 * one response held whole while it is parsed; the pages before it are already filtered down to
 * their peer pods, so the list's high-water mark is one page whatever the cluster's size. Against
 * pages of 100, at 150,000 pods: the list takes 10.5 s instead of 27.6 (bench/scale), and a page
 * of OpenShift-sized pods is 3.8 MB instead of 0.8, its peak RSS 15-20 MB higher
 * (bench/scale/non-peer-pods.ts).
 */
export const POD_LIST_PAGE_SIZE = 500;

export function createCapacityInformers(options: CapacityInformerOptions): CapacityInformers {
  const { client, logger, extendedResource, targetRuntimeClass, backoff } = options;
  return {
    nodes: new Informer({
      name: 'nodes',
      logger,
      backoff,
      listerWatcher: apiListerWatcher(client, NODES, { labelSelector: options.nodeLabelSelector }),
      transform: nodeTransform(extendedResource),
    }),
    configs: new Informer({
      name: 'peerpodconfigs',
      logger,
      backoff,
      listerWatcher: apiListerWatcher(client, PEERPODCONFIGS, { namespace: options.peerPodConfigNamespace }),
      transform: peerPodConfigTransform,
    }),
    pods: new Informer({
      name: 'peer-pods',
      logger,
      backoff,
      // All pods are listed and watched, and only peer pods kept: the API offers no field
      // selector on spec.runtimeClassName (nor on resource requests), so the filter runs on receipt.
      listerWatcher: apiListerWatcher(client, PODS),
      pageSize: options.podListPageSize ?? POD_LIST_PAGE_SIZE,
      filter: peerPodFilter(targetRuntimeClass, extendedResource),
      transform: podTransform(extendedResource),
    }),
    peerPods: new Informer({
      name: 'peerpods',
      logger,
      backoff,
      listerWatcher: apiListerWatcher(client, PEERPODS),
      transform: peerPodTransform,
    }),
  };
}
