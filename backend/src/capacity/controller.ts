// Wires the capacity feature for the backend: informers feed the live model on every replica;
// the reconciler runs only on the replica that holds the Lease (or always, with leader election
// off). start() resolves once the caches have synced; stop() releases the lease by default.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ConfigRef } from '@peer-pods-console/contract';
import {
  DEFAULT_EXTENDED_RESOURCE,
  DEFAULT_PEER_POD_CONFIG,
  DEFAULT_RUNTIME_CLASS,
} from '@peer-pods-console/contract/capacity';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { KubeClient } from '../kube/client.ts';
import { EventRecorder } from '../kube/events.ts';
import type { BackoffOptions } from '../kube/informer.ts';
import { LeaderElector } from '../kube/leader-election.ts';
import type { WorkQueueOptions } from '../kube/workqueue.ts';
import { recordOutsideChanges } from './change-recorder.ts';
import { createCapacityInformers, type CapacityInformers } from './informers.ts';
import { createCapacityMetrics } from './metrics.ts';
import { CapacityModel } from './model.ts';
import { CapacityReconciler } from './reconciler.ts';

/** The part of the backend's Readiness this feature reports to. */
export interface ReadinessReporter {
  register(name: string, detail?: string): void;
  set(name: string, ready: boolean, detail?: string): void;
}

export interface LeaderElectionSettings {
  /** Default true. Off: this replica always reconciles (one replica only!). */
  enabled?: boolean;
  /** Default: hostname plus a random suffix. */
  identity?: string;
  /** Namespace of the Lease; default openshift-sandboxed-containers-operator. */
  namespace?: string;
  /** Default peer-pods-console-capacity. */
  name?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface CapacityControllerOptions {
  kubeConfig: KubeConfig;
  logger: Logger;
  /** Default kata-remote. */
  targetRuntimeClass?: string;
  /** Default kata.peerpods.io/vm. */
  extendedResource?: string;
  /** The PeerPodConfig that wins when several select a node; default the operator's. */
  defaultConfig?: ConfigRef;
  leaderElection?: LeaderElectionSettings;
  /** Where the metrics go; default a private registry (exposed as `registry`). */
  metricsRegistry?: Registry;
  readiness?: ReadinessReporter;
  /** Only nodes matching this label selector are read and written (sharding, test isolation). */
  nodeLabelSelector?: string;
  /** Event source component and managedFields manager; default peer-pods-console. */
  component?: string;
  workers?: number;
  writeQps?: number;
  writeBurst?: number;
  resyncPeriodMs?: number;
  queue?: WorkQueueOptions;
  informerBackoff?: Partial<BackoffOptions>;
}

export interface CapacityController {
  model: CapacityModel;
  reconciler: CapacityReconciler;
  informers: CapacityInformers;
  registry: Registry;
  identity: string;
  /** Starts informers and leader election; resolves when the caches have synced. */
  start(): Promise<void>;
  /** Stops everything; by default a leader releases its lease so another replica takes over at once. */
  stop(options?: { releaseLease?: boolean }): Promise<void>;
  isLeader(): boolean;
}

export const READINESS_CONDITION = 'capacity-informers';

export async function createCapacityController(options: CapacityControllerOptions): Promise<CapacityController> {
  const logger = options.logger.child({ feature: 'capacity' });
  const extendedResource = options.extendedResource ?? DEFAULT_EXTENDED_RESOURCE;
  const targetRuntimeClass = options.targetRuntimeClass ?? DEFAULT_RUNTIME_CLASS;
  const defaultConfig = options.defaultConfig ?? DEFAULT_PEER_POD_CONFIG;
  const component = options.component ?? 'peer-pods-console';
  const election = options.leaderElection ?? {};
  const electionEnabled = election.enabled ?? true;
  const identity = election.identity ?? `${hostname()}-${randomBytes(4).toString('hex')}`;
  const registry = options.metricsRegistry ?? new Registry();

  const client = await KubeClient.create(options.kubeConfig, { userAgent: `${component}/capacity` });
  const informers = createCapacityInformers({
    client,
    logger,
    extendedResource,
    targetRuntimeClass,
    nodeLabelSelector: options.nodeLabelSelector,
    peerPodConfigNamespace: defaultConfig.namespace,
    backoff: options.informerBackoff,
  });
  const model = new CapacityModel({ extendedResource, targetRuntimeClass, defaultConfig, fieldManager: component });
  informers.nodes.addHandlers(model.nodeHandlers());
  informers.configs.addHandlers(model.configHandlers());
  informers.pods.addHandlers(model.podHandlers());
  informers.peerPods.addHandlers(model.peerPodHandlers());

  let elector: LeaderElector | undefined;
  let started = false;
  let stopped = false;
  let leading = false;
  const isLeader = () => (electionEnabled ? (elector?.isLeader() ?? false) : started && !stopped);
  const metrics = createCapacityMetrics(registry, {
    advertisedNodes: () => model.totals().advertisedNodes,
    driftNodes: () => model.totals().driftNodes,
    isLeader,
  });
  // Every replica counts what its informer sees; only the leader sets the value back (reconciler.ts).
  model.onFlap((flap) => {
    metrics.flaps.inc({ writer: flap.writer });
    logger.warn(
      { node: flap.node, writer: flap.writer, value: flap.value ?? null, limit: flap.desired },
      `another writer changed ${extendedResource} on the node away from its limit`,
    );
  });
  const recorder = new EventRecorder({ client, logger, component, instance: identity });
  // Limit and override changes made outside the console become Events too (the leader's).
  const outsideChanges = recordOutsideChanges({ client, informers, recorder, isLeader, logger });
  const reconciler = new CapacityReconciler({
    client,
    nodes: informers.nodes,
    configs: informers.configs,
    recorder,
    logger,
    metrics,
    extendedResource,
    defaultConfig,
    fieldManager: component,
    workers: options.workers,
    writeQps: options.writeQps,
    writeBurst: options.writeBurst,
    resyncPeriodMs: options.resyncPeriodMs,
    queue: options.queue,
  });

  const allInformers = [informers.nodes, informers.configs, informers.pods, informers.peerPods];
  const synced = Promise.all(allInformers.map((i) => i.synced)).then(() => undefined);

  // Leadership callbacks run synchronously; the reconciler starts only once the caches are
  // complete, so a fresh leader never mistakes a half-listed world for the real one.
  const startLeading = () => {
    leading = true;
    void synced.then(() => {
      if (leading && !stopped) reconciler.start(isLeader);
    });
  };
  const stopLeading = () => {
    leading = false;
    void reconciler.stop();
  };
  if (electionEnabled) {
    elector = new LeaderElector({
      client,
      logger,
      identity,
      namespace: election.namespace ?? DEFAULT_PEER_POD_CONFIG.namespace,
      name: election.name ?? 'peer-pods-console-capacity',
      leaseDurationMs: election.leaseDurationMs,
      renewDeadlineMs: election.renewDeadlineMs,
      retryPeriodMs: election.retryPeriodMs,
      onStartedLeading: startLeading,
      onStoppedLeading: stopLeading,
      onNewLeader: (holder) => logger.info({ leader: holder ?? null }, 'capacity reconciler leader observed'),
    });
  }

  return {
    model,
    reconciler,
    informers,
    registry,
    identity,
    isLeader,
    async start() {
      if (started) return synced;
      started = true;
      options.readiness?.register(READINESS_CONDITION, 'listing nodes, PeerPodConfigs, peer pods and PeerPods');
      for (const informer of allInformers) informer.start();
      if (elector) elector.start();
      else startLeading();
      await synced;
      options.readiness?.set(READINESS_CONDITION, true, 'caches synced');
      logger.info(
        { nodes: informers.nodes.size, configs: informers.configs.size, peerPods: informers.pods.size },
        'capacity caches synced',
      );
    },
    async stop(stopOptions = {}) {
      if (stopped) return;
      stopped = true;
      options.readiness?.set(READINESS_CONDITION, false, 'stopped');
      leading = false;
      outsideChanges.stop();
      // Writes in flight finish before the lease is handed over.
      await reconciler.close();
      if (elector) await elector.stop({ release: stopOptions.releaseLease ?? true });
      await Promise.all(allInformers.map((i) => i.stop()));
      await recorder.flush();
      client.close();
    },
  };
}
