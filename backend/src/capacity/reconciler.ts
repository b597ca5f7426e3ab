// The capacity reconciler: level-triggered reconcile(nodeName) that reads the node and the
// PeerPodConfigs from the informer caches, decides the node's VM limit (desired.ts) and, only
// when the node's status differs, writes one JSON patch on nodes/status that sets or removes
// both capacity and allocatable of the extended resource. Zero writes at steady state.
//
// Keys enter the work queue from events: a node added, or updated in a field that matters
// (labels, the override/CAA annotations, the resource's capacity/allocatable); a PeerPodConfig
// added, deleted or changed in limit/selector enqueues the nodes its old or new selector
// matches. Workers run only while this replica leads; on becoming leader every node is queued.
// A capacity value another field manager just wrote (other-writers.ts) goes to the front of the
// queue: until it is set back the scheduler may count by it, and another writer writes at the
// same moment as the reconciler's own burst (a PeerPodConfig change).
import type { Logger } from 'pino';
import type { ConfigRef } from '@peer-pods-console/contract';
import { VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import { isConflict, isNotFound, type KubeClient } from '../kube/client.ts';
import type { EventRecorder, ObjectReference } from '../kube/events.ts';
import type { Informer, RawObject } from '../kube/informer.ts';
import { TokenBucket, WorkQueue, type WorkQueueOptions } from '../kube/workqueue.ts';
import {
  configKey,
  decideCapacity,
  driftOf,
  limitProblem,
  parseWholeQuantity,
  planCapacityPatch,
  selectorMatches,
  selectorOf,
  type CapacityDecision,
  type ConfigFacts,
} from './desired.ts';
import type { CapacityMetrics, ReconcileResult } from './metrics.ts';
import { nodeTransform, type NodeView, type PeerPodConfigView } from './objects.ts';
import { otherWritersOf } from './other-writers.ts';

export interface CapacityReconcilerOptions {
  client: KubeClient;
  nodes: Informer<NodeView>;
  configs: Informer<PeerPodConfigView>;
  recorder: EventRecorder;
  logger: Logger;
  metrics: CapacityMetrics;
  extendedResource: string;
  defaultConfig: ConfigRef;
  /** managedFields manager of our writes. */
  fieldManager: string;
  /** Reconciles in flight at once; default 16. */
  workers?: number;
  queue?: WorkQueueOptions;
  /**
   * Budget of node writes; default 1,000/s, burst 2,000: a limit change on 5,000 nodes may go out
   * within 3 s (the API server's own pace is then the limit), while a write storm stays bounded.
   */
  writeQps?: number;
  writeBurst?: number;
  /** Attempts on the fresh node after a 409 before backing off; default 3. */
  conflictRetries?: number;
  /** Queue every node again this often (a safety net; writes only on drift). 0 disables; default 10 min. */
  resyncPeriodMs?: number;
  /** How long applied changes are collected into one Event per PeerPodConfig; default 1 s. */
  eventBatchMs?: number;
}

const PEERPODCONFIG_API = 'confidentialcontainers.org/v1alpha1';
const LISTED_NODES = 5;

interface AppliedBatch {
  ref: ConfigRef;
  /** value → node names */
  byValue: Map<number, string[]>;
}

/** Reconciles in flight at once when the options say nothing. */
export const DEFAULT_RECONCILE_WORKERS = 16;

export class CapacityReconciler {
  private readonly options: CapacityReconcilerOptions;
  private readonly log: Logger;
  private readonly toNodeView: (raw: RawObject) => NodeView;
  private readonly writeBucket: TokenBucket;
  private queue: WorkQueue | undefined;
  private workers: Promise<void>[] = [];
  private isLeader: () => boolean = () => false;
  private resyncTimer: ReturnType<typeof setInterval> | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  // What has been reported, so that Events mark transitions instead of repeating every reconcile.
  private readonly reportedOverride = new Map<string, string>();
  private readonly reportedCaaDrift = new Map<string, string>();
  private readonly reportedLimits = new Map<string, string>();
  private readonly overlapsByNode = new Map<string, Set<string>>();
  private readonly overlapNodes = new Map<string, Set<string>>();
  private readonly applied = new Map<string, AppliedBatch>();
  private eventTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: CapacityReconcilerOptions) {
    this.options = options;
    this.log = options.logger.child({ component: 'capacity-reconciler' });
    this.toNodeView = nodeTransform(options.extendedResource);
    this.writeBucket = new TokenBucket(options.writeQps ?? 1000, options.writeBurst ?? 2000);
    this.unsubscribe.push(
      options.nodes.addHandlers({
        add: (node) => this.enqueue(node.metadata.name),
        update: (oldNode, newNode) => {
          if (!nodeFieldsDiffer(oldNode, newNode)) return;
          if (oldNode.capacity !== newNode.capacity && otherWritersOf(newNode, options.fieldManager).length > 0) {
            this.queue?.addUrgent(newNode.metadata.name);
          } else {
            this.enqueue(newNode.metadata.name);
          }
        },
        delete: (node) => this.forgetNode(node.metadata.name),
      }),
      options.configs.addHandlers({
        add: (config) => this.configChanged(undefined, config),
        update: (oldConfig, newConfig) => this.configChanged(oldConfig, newConfig),
        delete: (config) => this.configChanged(config, undefined),
      }),
    );
  }

  /** True while workers run (this replica leads). */
  get running(): boolean {
    return this.queue !== undefined;
  }

  /** Nothing queued, in flight or waiting for a retry. */
  idle(): boolean {
    return !this.queue || this.queue.idle();
  }

  /** Starts workers and queues every node; `isLeader` is checked again right before each write. */
  start(isLeader: () => boolean): void {
    if (this.queue) return;
    this.isLeader = isLeader;
    const queue = new WorkQueue(this.options.queue);
    this.queue = queue;
    const count = this.options.workers ?? DEFAULT_RECONCILE_WORKERS;
    this.workers = Array.from({ length: count }, () => this.work(queue));
    for (const config of this.options.configs.values()) this.reportLimit(config);
    for (const node of this.options.nodes.values()) queue.add(node.metadata.name);
    const resync = this.options.resyncPeriodMs ?? 600_000;
    if (resync > 0) {
      this.resyncTimer = setInterval(() => {
        for (const node of this.options.nodes.values()) queue.add(node.metadata.name);
      }, resync);
      this.resyncTimer.unref();
    }
    this.log.info({ nodes: this.options.nodes.size, workers: count }, 'capacity reconciler started');
  }

  /** Stops the workers (after the reconciles in flight) and sends the batched Events. */
  async stop(): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    this.queue = undefined;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = undefined;
    queue.shutDown();
    await Promise.all(this.workers);
    this.workers = [];
    this.flushAppliedEvents();
    // A new leader reports afresh what is still wrong.
    this.reportedOverride.clear();
    this.reportedCaaDrift.clear();
    this.reportedLimits.clear();
    this.overlapsByNode.clear();
    this.overlapNodes.clear();
    this.log.info('capacity reconciler stopped');
  }

  /** Detaches from the informers (the reconciler cannot be started again after this). */
  async close(): Promise<void> {
    await this.stop();
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /**
   * Brings one node to its decided capacity. Safe to call any number of times: it writes only
   * when the node's status differs, and the write is conditional on the resourceVersion read.
   */
  async reconcile(nodeName: string): Promise<ReconcileResult> {
    const { client, extendedResource, fieldManager, metrics } = this.options;
    let node = this.options.nodes.getByName(nodeName);
    if (!node) {
      this.forgetNode(nodeName);
      return 'node-gone';
    }
    const retries = this.options.conflictRetries ?? 3;
    for (let attempt = 0; ; attempt += 1) {
      const decision = this.decide(node);
      if (attempt === 0) this.reportNode(node, decision);
      if (decision.caaOwner !== undefined) return 'caa-owned';
      const ops = planCapacityPatch(decision, node, extendedResource);
      if (!ops) return decision.desired.state === 'undetermined' ? 'undetermined' : 'in-sync';
      await this.writeBucket.take();
      if (!this.isLeader()) return 'not-leader';
      try {
        await client.request({
          method: 'PATCH',
          path: `/api/v1/nodes/${encodeURIComponent(nodeName)}/status`,
          query: { fieldManager },
          contentType: 'application/json-patch+json',
          responseType: 'none', // the updated node comes back through the watch
          // The resourceVersion makes the patch conditional: if the node changed since it was
          // read (e.g. CAA just took ownership), the API server answers 409 instead of applying.
          body: [{ op: 'replace', path: '/metadata/resourceVersion', value: node.metadata.resourceVersion }, ...ops],
        });
      } catch (err) {
        if (isNotFound(err)) return 'node-gone';
        if (!isConflict(err) || attempt >= retries) throw err;
        metrics.conflicts.inc();
        // The cache lags the write that beat us: decide again on the node as it is now.
        node = this.toNodeView(
          await client.request<RawObject>({ method: 'GET', path: `/api/v1/nodes/${encodeURIComponent(nodeName)}` }),
        );
        continue;
      }
      metrics.writes.inc();
      this.recordApplied(node, decision);
      return 'written';
    }
  }

  private decide(node: NodeView): CapacityDecision {
    return decideCapacity(
      { name: node.metadata.name, labels: node.metadata.labels, annotations: node.metadata.annotations },
      this.configFacts(),
      { defaultConfig: this.options.defaultConfig },
    );
  }

  private *configFacts(): Iterable<ConfigFacts> {
    for (const c of this.options.configs.values()) {
      yield { namespace: c.metadata.namespace, name: c.metadata.name, limit: c.limit, nodeSelector: c.nodeSelector };
    }
  }

  private enqueue(nodeName: string): void {
    this.queue?.add(nodeName);
  }

  private async work(queue: WorkQueue): Promise<void> {
    const { metrics } = this.options;
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      const end = metrics.duration.startTimer();
      try {
        const result = await this.reconcile(key);
        metrics.reconciles.inc({ result });
        if (result === 'not-leader') {
          // The lease lapsed while its renewal was still being retried. If it is renewed in time
          // nothing starts the reconciler again, so the node must stay queued; if leadership is
          // really lost, stop() discards this queue anyway.
          queue.addRateLimited(key);
        } else {
          queue.forget(key);
        }
      } catch (err) {
        metrics.reconciles.inc({ result: 'error' });
        metrics.errors.inc();
        this.log.warn(
          { node: key, err: (err as Error).message, retries: queue.numRequeues(key) },
          'reconcile failed; retrying with backoff',
        );
        queue.addRateLimited(key);
      } finally {
        end();
        queue.done(key);
      }
    }
  }

  private configChanged(oldConfig: PeerPodConfigView | undefined, newConfig: PeerPodConfigView | undefined): void {
    if (
      oldConfig &&
      newConfig &&
      oldConfig.limit === newConfig.limit &&
      sameSelector(oldConfig.nodeSelector, newConfig.nodeSelector)
    ) {
      return;
    }
    if (newConfig) this.reportLimit(newConfig);
    else if (oldConfig) this.reportedLimits.delete(configKey(oldConfig.metadata));
    if (!this.queue) return;
    const selectors = [oldConfig, newConfig]
      .filter((c): c is PeerPodConfigView => c !== undefined)
      .map((c) => selectorOf(c));
    for (const node of this.options.nodes.values()) {
      if (selectors.some((s) => selectorMatches(s, node.metadata.labels))) this.queue.add(node.metadata.name);
    }
  }

  private forgetNode(nodeName: string): void {
    this.reportedOverride.delete(nodeName);
    this.reportedCaaDrift.delete(nodeName);
    this.updateOverlaps(nodeName, new Set());
  }

  // ---- Events ----

  private nodeRef(node: NodeView): ObjectReference {
    return { apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid };
  }

  private configRef(ref: ConfigRef): ObjectReference {
    const config = this.options.configs.getByName(ref.name, ref.namespace);
    return {
      apiVersion: PEERPODCONFIG_API,
      kind: 'PeerPodConfig',
      namespace: ref.namespace,
      name: ref.name,
      uid: config?.metadata.uid,
    };
  }

  private reportLimit(config: PeerPodConfigView): void {
    if (!this.queue) return; // only the leader speaks
    const key = configKey(config.metadata);
    const problem = limitProblem({
      namespace: config.metadata.namespace,
      name: config.metadata.name,
      limit: config.limit,
    });
    const signature = problem?.message ?? '';
    if ((this.reportedLimits.get(key) ?? '') === signature) return;
    this.reportedLimits.set(key, signature);
    if (problem)
      this.options.recorder.event(this.configRef(config.metadata), 'Warning', 'InvalidLimit', problem.message);
  }

  private reportNode(node: NodeView, decision: CapacityDecision): void {
    const name = node.metadata.name;
    const { recorder, extendedResource } = this.options;

    const override = decision.problems.find((p) => p.kind === 'invalid-override');
    const overrideSignature = override?.message ?? '';
    if ((this.reportedOverride.get(name) ?? '') !== overrideSignature) {
      this.reportedOverride.set(name, overrideSignature);
      if (override) recorder.event(this.nodeRef(node), 'Warning', 'InvalidVmLimitOverride', override.message);
    }

    const overlapKeys = new Set<string>();
    for (const p of decision.problems) {
      if (p.kind !== 'selector-overlap') continue;
      for (const other of p.others) overlapKeys.add(`${configKey(other)}\u0000${configKey(p.winner)}`);
    }
    this.updateOverlaps(name, overlapKeys);

    let caaSignature = '';
    let caaMessage = '';
    if (decision.caaOwner !== undefined) {
      const drift = driftOf(decision.desired, { capacity: node.capacity });
      if (drift) {
        const wanted =
          decision.desired.state === 'advertise'
            ? `the configured limit is ${decision.desired.value}`
            : 'no PeerPodConfig selects it';
        caaSignature = `${drift}:${node.capacity ?? ''}:${wanted}`;
        caaMessage =
          `${extendedResource} is advertised by cloud-api-adaptor (owner ${decision.caaOwner || 'unknown'}) as ` +
          `${node.capacity ?? 'nothing'}, but ${wanted}; not changed here because cloud-api-adaptor owns it ` +
          `(set PEERPODS_LIMIT_PER_NODE in peer-pods-cm, or remove the ${'kata.peerpods.io/caa-owner'} annotation to hand it over)`;
      }
    }
    if ((this.reportedCaaDrift.get(name) ?? '') !== caaSignature) {
      this.reportedCaaDrift.set(name, caaSignature);
      if (caaSignature) recorder.event(this.nodeRef(node), 'Warning', 'CapacityDriftOwnedByCaa', caaMessage);
    }
  }

  /** Tracks which (loser, winner) config pairs overlap on which nodes; reports a pair when it appears. */
  private updateOverlaps(nodeName: string, keys: Set<string>): void {
    const before = this.overlapsByNode.get(nodeName) ?? new Set<string>();
    for (const key of before) {
      if (keys.has(key)) continue;
      const nodes = this.overlapNodes.get(key);
      nodes?.delete(nodeName);
      if (nodes && nodes.size === 0) this.overlapNodes.delete(key);
    }
    for (const key of keys) {
      if (before.has(key)) continue;
      const nodes = this.overlapNodes.get(key) ?? new Set<string>();
      const fresh = nodes.size === 0;
      nodes.add(nodeName);
      this.overlapNodes.set(key, nodes);
      if (fresh && this.queue) {
        const [loser, winner] = key.split('\u0000') as [string, string];
        const [ns, name] = splitKey(loser);
        this.options.recorder.event(
          this.configRef({ namespace: ns, name }),
          'Warning',
          'NodeSelectorOverlap',
          `nodeSelector also matches node ${nodeName} (and possibly others), which ${winner} selects too; ` +
            `${winner} decides the VM limit there, so this config's limit is not applied on those nodes`,
        );
      }
    }
    if (keys.size > 0) this.overlapsByNode.set(nodeName, keys);
    else this.overlapsByNode.delete(nodeName);
  }

  private recordApplied(node: NodeView, decision: CapacityDecision): void {
    const { recorder, extendedResource } = this.options;
    const name = node.metadata.name;
    const desired = decision.desired;
    const before = node.capacity === undefined ? 'nothing' : String(parseWholeQuantity(node.capacity) ?? node.capacity);
    if (desired.state === 'advertise' && desired.source === 'config') {
      const key = configKey(desired.config);
      const batch = this.applied.get(key) ?? { ref: desired.config, byValue: new Map<number, string[]>() };
      const nodes = batch.byValue.get(desired.value) ?? [];
      nodes.push(name);
      batch.byValue.set(desired.value, nodes);
      this.applied.set(key, batch);
      this.eventTimer ??= setTimeout(() => this.flushAppliedEvents(), this.options.eventBatchMs ?? 1000);
      this.log.debug({ node: name, from: before, to: desired.value, config: key }, 'advertised');
    } else if (desired.state === 'advertise') {
      recorder.event(
        this.nodeRef(node),
        'Normal',
        'CapacityAdvertised',
        `set ${extendedResource} to ${desired.value} (was ${before}) from the node's ${VM_LIMIT_OVERRIDE_ANNOTATION} annotation`,
      );
      this.log.info({ node: name, from: before, to: desired.value }, 'advertised from the override annotation');
    } else {
      recorder.event(
        this.nodeRef(node),
        'Normal',
        'CapacityRemoved',
        `removed ${extendedResource} (was ${before}): no PeerPodConfig selects this node and it has no override`,
      );
      this.log.info({ node: name, from: before }, 'removed: no PeerPodConfig selects the node');
    }
  }

  private flushAppliedEvents(): void {
    if (this.eventTimer) clearTimeout(this.eventTimer);
    this.eventTimer = undefined;
    const { recorder, extendedResource } = this.options;
    for (const batch of this.applied.values()) {
      for (const [value, nodes] of batch.byValue) {
        const listed = nodes.slice(0, LISTED_NODES).join(', ');
        const more = nodes.length > LISTED_NODES ? ` and ${nodes.length - LISTED_NODES} more` : '';
        const message = `set ${extendedResource} to ${value} on ${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${listed}${more}`;
        recorder.event(this.configRef(batch.ref), 'Normal', 'CapacityAdvertised', message);
        this.log.info({ config: configKey(batch.ref), value, nodes: nodes.length }, 'advertised');
      }
    }
    this.applied.clear();
  }
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((k) => a[k] === b[k]);
}

function sameSelector(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameRecord(a, b);
}

/** Whether a node changed in a field the decision or the write depends on (not heartbeats, conditions, images…). */
export function nodeFieldsDiffer(a: NodeView, b: NodeView): boolean {
  return (
    a.capacity !== b.capacity ||
    a.allocatable !== b.allocatable ||
    a.hasCapacityMap !== b.hasCapacityMap ||
    a.hasAllocatableMap !== b.hasAllocatableMap ||
    !sameRecord(a.metadata.labels, b.metadata.labels) ||
    !sameRecord(a.metadata.annotations, b.metadata.annotations)
  );
}
