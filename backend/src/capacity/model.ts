// The live capacity model: per node the decided limit, what is advertised, what peer pods use,
// drift and pending pods; cluster totals; peer pods pending for lack of capacity and peer pods
// that escaped the accounting. It is fed by informer events and updated in O(change) per event
// (a pod event touches its node's row and the totals; only a PeerPodConfig change revisits
// every node), so reading it never lists anything from the API server. It also counts the flaps
// other writers of the extended resource cause (other-writers.ts), since this process started.
//
// snapshot() is the API contract's CapacitySnapshot, stamped with a monotonically increasing
// revision. It rebuilds only the rows of nodes touched since the last one and keeps every other
// row the same object, so the live stream finds what changed by comparing pointers (and the
// snapshot of a 5,000-node cluster costs what changed, not 5,000 rows); subscribe() tells listeners which rows changed, coalesced per event-loop turn (what
// the SSE endpoint streams). setVms() is the hook through which the cloud inventory adds VMs per
// node.
import type {
  CapacitySnapshot,
  CapacityTotals,
  ConfigCapacity,
  ConfigRef,
  Drift,
  NodeCapacity,
  NodeVm,
  PendingPeerPod,
  UnaccountedPeerPod,
} from '@peer-pods-console/contract';
import {
  DEFAULT_EXTENDED_RESOURCE,
  DEFAULT_PEER_POD_CONFIG,
  DEFAULT_RUNTIME_CLASS,
} from '@peer-pods-console/contract/capacity';
import type { InformerHandlers } from '../kube/informer.ts';
import {
  configKey,
  decideCapacity,
  driftOf,
  limitProblem,
  parseLimit,
  parseWholeQuantity,
  selectorOf,
  type CapacityDecision,
  type ConfigFacts,
} from './desired.ts';
import type { NodeView, PeerPodConfigView, PeerPodView, PodView } from './objects.ts';
import { flapOf, otherWritersOf, type CapacityFlap } from './other-writers.ts';
import { admits, pinnedNodeOf, type LabelledNode, type PodPlacement } from './pinning.ts';

/** The model holds every pod's namespace and name; only the API leaves them out for some readers. */
type WithPodName<T> = T & { namespace: string; name: string };

export interface CapacityChange {
  revision: number;
  /** Rows added or changed. */
  nodes: string[];
  /** Rows removed. */
  removedNodes: string[];
  configs: boolean;
  pending: boolean;
  unaccounted: boolean;
}

export interface CapacityModelOptions {
  extendedResource?: string;
  targetRuntimeClass?: string;
  defaultConfig?: ConfigRef;
  /** The reconciler's managedFields manager; any other owner of the resource is another writer. Default peer-pods-console. */
  fieldManager?: string;
}

interface NodeEntry {
  view: NodeView;
  decision: CapacityDecision;
  advertised: number | null;
  allocatable: number | null;
  drift: Drift | null;
  /** Current other owners of the resource and writers of past flaps, sorted (see NodeCapacity). */
  otherWriters: string[];
  /** Writers of past flaps, kept when ownership moves back to the reconciler. */
  flapWriters: string[];
  flaps: number;
  lastFlap: { at: string; writer: string } | null;
  /** This row's share of the totals, subtracted before it is recomputed. */
  share: Share;
}

interface Share {
  matching: number;
  advertised: number;
  capacity: number;
  allocatable: number;
  desired: number;
  used: number;
  free: number;
  drift: number;
  caaOwned: number;
  vms: number;
  otherWriterNodes: number;
  flaps: number;
}

interface Usage {
  used: number;
  pods: number;
  pendingHere: number;
}

interface PodShare {
  nodeName?: string;
  vms: number;
  pendingHere: boolean;
}

const ZERO_SHARE: Share = {
  matching: 0,
  advertised: 0,
  capacity: 0,
  allocatable: 0,
  desired: 0,
  used: 0,
  free: 0,
  drift: 0,
  caaOwned: 0,
  vms: 0,
  otherWriterNodes: 0,
  flaps: 0,
};

export class CapacityModel {
  readonly extendedResource: string;
  readonly targetRuntimeClass: string;
  private readonly defaultConfig: ConfigRef;
  private readonly fieldManager: string;
  private readonly nodes = new Map<string, NodeEntry>();
  /** Other writer → nodes whose otherWriters name it. */
  private readonly writerNodes = new Map<string, number>();
  private readonly flapListeners = new Set<(flap: CapacityFlap) => void>();
  private readonly configs = new Map<string, ConfigFacts>();
  private readonly usage = new Map<string, Usage>();
  private readonly podShares = new Map<string, PodShare>();
  private readonly pending = new Map<string, WithPodName<PendingPeerPod>>();
  /**
   * Pending pods with a nodeSelector or required node affinity, and how many known nodes admit
   * each: a node coming, going or changing its labels moves the count by one, and the pin (the one
   * node, when exactly one admits the pod) is looked up only when the count lands on one.
   */
  private readonly constrained = new Map<string, { placement: PodPlacement; admitting: number }>();
  /** Node → pending pods pinned to it (NodeCapacity.pendingPinned). */
  private readonly pinnedCounts = new Map<string, number>();
  private readonly unaccounted = new Map<string, WithPodName<UnaccountedPeerPod>>();
  private readonly peerPods = new Map<string, PeerPodView>();
  private readonly peerPodByPodUid = new Map<string, PeerPodView>();
  private vms = new Map<string, NodeVm[]>();
  private readonly sums: Share = { ...ZERO_SHARE };
  private revisionCounter = 0;
  private cached: CapacitySnapshot | undefined;
  /** Each node's row in the last snapshot, and their order; rows of stale nodes are rebuilt at the next. */
  private readonly rows = new Map<string, NodeCapacity>();
  private rowOrder: string[] = [];
  private readonly staleRows = new Set<string>();
  private readonly listeners = new Set<(change: CapacityChange) => void>();
  private pendingChange: CapacityChange | undefined;
  private readonly changedNodes = new Set<string>();
  private readonly removedNodes = new Set<string>();

  constructor(options: CapacityModelOptions = {}) {
    this.extendedResource = options.extendedResource ?? DEFAULT_EXTENDED_RESOURCE;
    this.targetRuntimeClass = options.targetRuntimeClass ?? DEFAULT_RUNTIME_CLASS;
    this.defaultConfig = options.defaultConfig ?? DEFAULT_PEER_POD_CONFIG;
    this.fieldManager = options.fieldManager ?? 'peer-pods-console';
  }

  get revision(): number {
    return this.revisionCounter;
  }

  // ---- informer wiring ----

  nodeHandlers(): InformerHandlers<NodeView> {
    return {
      add: (n) => this.upsertNode(n),
      update: (_, n) => this.upsertNode(n),
      delete: (n) => this.deleteNode(n.metadata.name),
    };
  }

  configHandlers(): InformerHandlers<PeerPodConfigView> {
    return {
      add: (c) => this.upsertConfig(c),
      update: (_, c) => this.upsertConfig(c),
      delete: (c) => this.deleteConfig(c),
    };
  }

  podHandlers(): InformerHandlers<PodView> {
    return {
      add: (p) => this.upsertPod(p),
      update: (_, p) => this.upsertPod(p),
      delete: (p) => this.deletePod(p),
    };
  }

  peerPodHandlers(): InformerHandlers<PeerPodView> {
    return {
      add: (p) => this.upsertPeerPod(p),
      update: (_, p) => this.upsertPeerPod(p),
      delete: (p) => this.deletePeerPod(p),
    };
  }

  // ---- updates ----

  upsertNode(view: NodeView): void {
    const old = this.nodes.get(view.metadata.name)?.view;
    this.recomputeNode(view.metadata.name, view);
    this.touch({ node: view.metadata.name });
    if (!old || !sameLabels(old.metadata.labels, view.metadata.labels)) this.repin(old, view);
  }

  deleteNode(name: string): void {
    const entry = this.nodes.get(name);
    if (!entry) return;
    this.apply(entry.share, -1);
    this.countWriters(entry.otherWriters, -1);
    this.nodes.delete(name);
    this.touch({ removedNode: name });
    this.repin(entry.view, undefined);
  }

  upsertConfig(view: PeerPodConfigView): void {
    this.configs.set(configKey(view.metadata), {
      namespace: view.metadata.namespace,
      name: view.metadata.name,
      limit: view.limit,
      nodeSelector: view.nodeSelector,
    });
    this.recomputeAllNodes();
  }

  deleteConfig(view: PeerPodConfigView): void {
    if (!this.configs.delete(configKey(view.metadata))) return;
    this.recomputeAllNodes();
  }

  upsertPod(pod: PodView): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.removePodShare(key);
    const bound = pod.nodeName !== undefined && !pod.terminal;
    if (bound) {
      const share: PodShare = { nodeName: pod.nodeName, vms: pod.vmRequest, pendingHere: pod.phase === 'Pending' };
      this.podShares.set(key, share);
      const usage = this.usage.get(pod.nodeName!) ?? { used: 0, pods: 0, pendingHere: 0 };
      usage.used += share.vms;
      usage.pods += 1;
      usage.pendingHere += share.pendingHere ? 1 : 0;
      this.usage.set(pod.nodeName!, usage);
      this.refreshUsage(pod.nodeName!);
    }
    let pendingChanged = this.removePending(key);
    if (!pod.nodeName && !pod.terminal && this.waitsForCapacity(pod)) {
      let pinnedNode: string | null = null;
      if (pod.placement) {
        let admitting = 0;
        for (const node of this.labelledNodes()) if (admits(pod.placement, node)) admitting += 1;
        this.constrained.set(key, { placement: pod.placement, admitting });
        pinnedNode = admitting === 1 ? pinnedNodeOf(pod.placement, this.labelledNodes()) : null;
      }
      this.pending.set(key, {
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        since: pod.unschedulable?.since ?? null,
        message: pod.unschedulable?.message ?? '',
        pinnedNode,
      });
      this.countPinned(pinnedNode, 1);
      pendingChanged = true;
    }
    let unaccountedChanged = this.unaccounted.delete(key);
    if (!pod.terminal && pod.runtimeClassName === this.targetRuntimeClass && !pod.requestsVm) {
      this.unaccounted.set(key, {
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        nodeName: pod.nodeName ?? null,
        phase: pod.phase,
        reason:
          `no ${this.extendedResource} request: the scheduler does not count it against any node's VM limit ` +
          `(created in a namespace the webhook excludes, or while the webhook was not running)`,
      });
      unaccountedChanged = true;
    }
    this.touch({ pending: pendingChanged, unaccounted: unaccountedChanged, totals: true });
  }

  deletePod(pod: PodView): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.removePodShare(key);
    const pendingChanged = this.removePending(key);
    const unaccountedChanged = this.unaccounted.delete(key);
    this.touch({ pending: pendingChanged, unaccounted: unaccountedChanged, totals: true });
  }

  upsertPeerPod(view: PeerPodView): void {
    const key = `${view.metadata.namespace}/${view.metadata.name}`;
    const old = this.peerPods.get(key);
    if (old?.podUid) this.peerPodByPodUid.delete(old.podUid);
    this.peerPods.set(key, view);
    if (view.podUid) this.peerPodByPodUid.set(view.podUid, view);
    this.touch({ totals: true });
  }

  deletePeerPod(view: PeerPodView): void {
    const key = `${view.metadata.namespace}/${view.metadata.name}`;
    const old = this.peerPods.get(key);
    if (!old) return;
    this.peerPods.delete(key);
    if (old.podUid && this.peerPodByPodUid.get(old.podUid) === old) this.peerPodByPodUid.delete(old.podUid);
    this.touch({ totals: true });
  }

  /** Replaces the VMs attributed to nodes (the cloud inventory's hook). Nodes not named have none. */
  setVms(vmsByNode: ReadonlyMap<string, readonly NodeVm[]> | Readonly<Record<string, readonly NodeVm[]>>): void {
    const next = new Map<string, NodeVm[]>(
      vmsByNode instanceof Map
        ? [...vmsByNode].map(([k, v]) => [k, [...v]])
        : Object.entries(vmsByNode as Record<string, readonly NodeVm[]>).map(([k, v]) => [k, [...v]]),
    );
    const affected = new Set([...this.vms.keys(), ...next.keys()]);
    this.vms = next;
    for (const name of affected) {
      if (this.nodes.has(name)) {
        this.recomputeNode(name, this.nodes.get(name)!.view);
        this.touch({ node: name });
      }
    }
  }

  /**
   * The one node a pod is pinned to (pinning.ts), judged against the nodes known now; for a pod
   * pending for capacity, the model's own answer.
   */
  pinnedNodeOf(pod: PodView): string | null {
    const pending = this.pending.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    if (pending && !pod.nodeName) return pending.pinnedNode;
    return pinnedNodeOf(pod.nodeName ? { nodeName: pod.nodeName } : pod.placement, this.labelledNodes());
  }

  /** The PeerPod object (cloud instance record) of a pod, by the pod's uid. */
  peerPodOf(podUid: string): PeerPodView | undefined {
    return this.peerPodByPodUid.get(podUid);
  }

  // ---- reading ----

  totals(): CapacityTotals {
    const s = this.sums;
    return {
      nodes: this.nodes.size,
      matchingNodes: s.matching,
      advertisedNodes: s.advertised,
      capacity: s.capacity,
      allocatable: s.allocatable,
      desired: s.desired,
      used: s.used,
      free: s.free,
      driftNodes: s.drift,
      caaOwnedNodes: s.caaOwned,
      otherWriterNodes: s.otherWriterNodes,
      otherWriters: [...this.writerNodes.keys()].sort(),
      flaps: s.flaps,
      pendingForCapacity: this.pending.size,
      unaccounted: this.unaccounted.size,
      peerPods: this.peerPods.size,
      vms: s.vms,
    };
  }

  node(name: string): NodeCapacity | undefined {
    const entry = this.nodes.get(name);
    return entry ? this.row(entry) : undefined;
  }

  snapshot(): CapacitySnapshot {
    if (this.cached && this.cached.revision === this.revisionCounter) return this.cached;
    const nodes = this.nodeRows();
    const decidedBy = new Map<string, number>();
    for (const n of nodes)
      if (n.source === 'config' && n.config)
        decidedBy.set(configKey(n.config), (decidedBy.get(configKey(n.config)) ?? 0) + 1);
    const configs = [...this.configs.values()]
      .map((c): ConfigCapacity => {
        const parsed = parseLimit(c.limit);
        return {
          namespace: c.namespace,
          name: c.name,
          limit: typeof c.limit === 'string' ? c.limit : null,
          validLimit: parsed.ok ? parsed.value : null,
          problem: limitProblem(c)?.message ?? null,
          nodeSelector: { ...selectorOf(c) },
          nodes: decidedBy.get(configKey(c)) ?? 0,
        };
      })
      .sort((a, b) => configKey(a).localeCompare(configKey(b)));
    this.cached = {
      revision: this.revisionCounter,
      extendedResource: this.extendedResource,
      targetRuntimeClass: this.targetRuntimeClass,
      totals: this.totals(),
      nodes,
      configs,
      pending: [...this.pending.values()].sort(byNamespaceName),
      unaccounted: [...this.unaccounted.values()].sort(byNamespaceName),
    };
    return this.cached;
  }

  /** Listens to flaps as they are seen (the metric and the log). Returns the unsubscribe function. */
  onFlap(listener: (flap: CapacityFlap) => void): () => void {
    this.flapListeners.add(listener);
    return () => this.flapListeners.delete(listener);
  }

  /** Listens to changes, coalesced per event-loop turn. Returns the unsubscribe function. */
  subscribe(listener: (change: CapacityChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- internals ----

  /** Every node's row in name order, rebuilding only the rows of nodes touched since the last call. */
  private nodeRows(): NodeCapacity[] {
    let reorder = false;
    for (const name of this.staleRows) {
      const entry = this.nodes.get(name);
      if (entry) {
        reorder ||= !this.rows.has(name);
        this.rows.set(name, this.row(entry));
      } else {
        reorder ||= this.rows.delete(name);
      }
    }
    this.staleRows.clear();
    if (reorder) this.rowOrder = [...this.rows.keys()].sort(byNodeName);
    return this.rowOrder.map((name) => this.rows.get(name)!);
  }

  private waitsForCapacity(pod: PodView): boolean {
    const u = pod.unschedulable;
    return (
      u !== undefined && u.reason === 'Unschedulable' && u.message.includes(`Insufficient ${this.extendedResource}`)
    );
  }

  private *labelledNodes(): Generator<LabelledNode> {
    for (const [name, entry] of this.nodes) yield { name, labels: entry.view.metadata.labels };
  }

  private countPinned(nodeName: string | null, sign: 1 | -1): void {
    if (nodeName === null) return;
    const count = (this.pinnedCounts.get(nodeName) ?? 0) + sign;
    if (count > 0) this.pinnedCounts.set(nodeName, count);
    else this.pinnedCounts.delete(nodeName);
    if (this.nodes.has(nodeName)) this.touch({ node: nodeName });
  }

  private removePending(key: string): boolean {
    const old = this.pending.get(key);
    if (!old) return false;
    this.pending.delete(key);
    this.constrained.delete(key);
    this.countPinned(old.pinnedNode, -1);
    return true;
  }

  /** A node came (before undefined), went (now undefined) or changed its labels: the constrained pods it admits may move. */
  private repin(before: NodeView | undefined, now: NodeView | undefined): void {
    let changed = false;
    const labelled = (view: NodeView | undefined) => view && { name: view.metadata.name, labels: view.metadata.labels };
    const [was, is] = [labelled(before), labelled(now)];
    for (const [key, constraint] of this.constrained) {
      const entry = this.pending.get(key);
      if (!entry) continue;
      const delta =
        (is && admits(constraint.placement, is) ? 1 : 0) - (was && admits(constraint.placement, was) ? 1 : 0);
      if (delta === 0) continue;
      constraint.admitting += delta;
      const pinnedNode = constraint.admitting === 1 ? pinnedNodeOf(constraint.placement, this.labelledNodes()) : null;
      if (pinnedNode === entry.pinnedNode) continue;
      this.countPinned(entry.pinnedNode, -1);
      this.pending.set(key, { ...entry, pinnedNode });
      this.countPinned(pinnedNode, 1);
      changed = true;
    }
    if (changed) this.touch({ pending: true });
  }

  private removePodShare(key: string): void {
    const old = this.podShares.get(key);
    if (!old) return;
    this.podShares.delete(key);
    const usage = this.usage.get(old.nodeName!);
    if (usage) {
      usage.used -= old.vms;
      usage.pods -= 1;
      usage.pendingHere -= old.pendingHere ? 1 : 0;
      if (usage.pods === 0) this.usage.delete(old.nodeName!);
    }
    this.refreshUsage(old.nodeName!);
  }

  /** A pod change alters only used/free of one row. */
  private refreshUsage(nodeName: string): void {
    const entry = this.nodes.get(nodeName);
    if (!entry) return;
    this.apply(entry.share, -1);
    entry.share = this.shareOf(entry);
    this.apply(entry.share, 1);
    this.touch({ node: nodeName });
  }

  private recomputeAllNodes(): void {
    for (const [name, entry] of this.nodes) {
      this.recomputeNode(name, entry.view);
      this.touch({ node: name });
    }
    this.touch({ configs: true });
  }

  private recomputeNode(name: string, view: NodeView): void {
    const old = this.nodes.get(name);
    if (old) {
      this.apply(old.share, -1);
      this.countWriters(old.otherWriters, -1);
    }
    const decision = decideCapacity(
      { name, labels: view.metadata.labels, annotations: view.metadata.annotations },
      this.configs.values(),
      { defaultConfig: this.defaultConfig },
    );
    // Only a node update can show a flap: every other recompute passes the same view again.
    const flap = flapOf(old?.view, view, decision, this.fieldManager);
    const current = decision.caaOwner === undefined ? otherWritersOf(view, this.fieldManager) : [];
    const flapWriters = flap ? union(old?.flapWriters ?? [], current) : (old?.flapWriters ?? []);
    const entry: NodeEntry = {
      view,
      decision,
      advertised: view.capacity === undefined ? null : (parseWholeQuantity(view.capacity) ?? null),
      allocatable: view.allocatable === undefined ? null : (parseWholeQuantity(view.allocatable) ?? null),
      drift: driftOf(decision.desired, { capacity: view.capacity }),
      otherWriters: decision.caaOwner === undefined ? union(current, flapWriters) : [],
      flapWriters,
      flaps: (old?.flaps ?? 0) + (flap ? 1 : 0),
      lastFlap: flap ? { at: new Date().toISOString(), writer: flap.writer } : (old?.lastFlap ?? null),
      share: ZERO_SHARE,
    };
    entry.share = this.shareOf(entry);
    this.apply(entry.share, 1);
    this.countWriters(entry.otherWriters, 1);
    this.nodes.set(name, entry);
    if (flap) {
      for (const listener of this.flapListeners) {
        try {
          listener(flap);
        } catch {
          // A listener's failure is its own business, as with subscribe().
        }
      }
    }
  }

  private countWriters(writers: readonly string[], sign: 1 | -1): void {
    for (const writer of writers) {
      const nodes = (this.writerNodes.get(writer) ?? 0) + sign;
      if (nodes > 0) this.writerNodes.set(writer, nodes);
      else this.writerNodes.delete(writer);
    }
  }

  private shareOf(entry: NodeEntry): Share {
    const usage = this.usage.get(entry.view.metadata.name);
    const used = usage?.used ?? 0;
    const desired = entry.decision.desired;
    const allocatable = entry.allocatable ?? 0;
    return {
      matching: desired.state === 'advertise' ? 1 : 0,
      advertised: entry.view.capacity !== undefined ? 1 : 0,
      capacity: entry.advertised ?? 0,
      allocatable,
      desired: desired.state === 'advertise' ? desired.value : 0,
      used,
      free: Math.max(0, allocatable - used),
      drift: entry.drift ? 1 : 0,
      caaOwned: entry.decision.caaOwner !== undefined ? 1 : 0,
      vms: this.vms.get(entry.view.metadata.name)?.length ?? 0,
      otherWriterNodes: entry.otherWriters.length > 0 ? 1 : 0,
      flaps: entry.flaps,
    };
  }

  private apply(share: Share, sign: 1 | -1): void {
    for (const key of Object.keys(share) as (keyof Share)[]) this.sums[key] += sign * share[key];
  }

  private row(entry: NodeEntry): NodeCapacity {
    const { decision, view } = entry;
    const usage = this.usage.get(view.metadata.name) ?? { used: 0, pods: 0, pendingHere: 0 };
    const desired = decision.desired;
    const allocatable = entry.allocatable;
    return {
      name: view.metadata.name,
      source: desired.state === 'advertise' ? desired.source : desired.state === 'undetermined' ? 'config' : 'none',
      config: decision.matched[0] ?? null,
      matchedConfigs: decision.matched,
      override: desired.state === 'advertise' && desired.source === 'override' ? desired.value : null,
      desiredState: desired.state,
      desired: desired.state === 'advertise' ? desired.value : null,
      advertised: entry.advertised,
      allocatable,
      used: usage.used,
      free: Math.max(0, (allocatable ?? 0) - usage.used),
      overcommitted: usage.used > (allocatable ?? 0),
      pods: usage.pods,
      pendingHere: usage.pendingHere,
      pendingPinned: this.pinnedCounts.get(view.metadata.name) ?? 0,
      drift: entry.drift,
      caaOwner: decision.caaOwner ?? null,
      problems: decision.problems.map((p) => p.message),
      vms: this.vms.get(view.metadata.name) ?? [],
      otherWriters: entry.otherWriters,
      flaps: entry.flaps,
      lastFlap: entry.lastFlap,
    };
  }

  private touch(what: {
    node?: string;
    removedNode?: string;
    configs?: boolean;
    pending?: boolean;
    unaccounted?: boolean;
    totals?: boolean;
  }): void {
    this.revisionCounter += 1;
    if (what.node) this.staleRows.add(what.node);
    if (what.removedNode) this.staleRows.add(what.removedNode);
    if (what.node) {
      this.changedNodes.add(what.node);
      this.removedNodes.delete(what.node);
    }
    if (what.removedNode) {
      this.removedNodes.add(what.removedNode);
      this.changedNodes.delete(what.removedNode);
    }
    if (this.listeners.size === 0) {
      this.changedNodes.clear();
      this.removedNodes.clear();
      return;
    }
    const first = !this.pendingChange;
    const change = (this.pendingChange ??= {
      revision: 0,
      nodes: [],
      removedNodes: [],
      configs: false,
      pending: false,
      unaccounted: false,
    });
    change.configs ||= Boolean(what.configs);
    change.pending ||= Boolean(what.pending);
    change.unaccounted ||= Boolean(what.unaccounted);
    if (first) setImmediate(() => this.flush());
  }

  private flush(): void {
    const change = this.pendingChange;
    this.pendingChange = undefined;
    if (!change) return;
    change.revision = this.revisionCounter;
    change.nodes = [...this.changedNodes];
    change.removedNodes = [...this.removedNodes];
    this.changedNodes.clear();
    this.removedNodes.clear();
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure (e.g. a closed SSE stream) is its own business.
      }
    }
  }
}

/** Node names in the order people read them: worker-2 before worker-10. */
const byNodeName = new Intl.Collator('en', { numeric: true }).compare;

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Sorted, without repeats. */
function union(a: readonly string[], b: readonly string[]): string[] {
  if (b.every((x) => a.includes(x))) return a as string[];
  return [...new Set([...a, ...b])].sort();
}

function byNamespaceName(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  return a.namespace === b.namespace ? a.name.localeCompare(b.name) : a.namespace.localeCompare(b.namespace);
}
