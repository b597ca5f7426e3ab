// "Why is my peer pod stuck?": every peer pod that has been Pending (not scheduled) or scheduled
// but not Running for longer than the grace period, with the stage, the reason classified from
// the scheduler's message or the pod's Warning Events (capacity/stuck-classifier.ts), since when,
// the fixes that would let this pod run, and its VM when the last inventory has one.
//
// Candidates come from the peer-pod informer's cache, so finding them lists nothing. Only their
// Events are read from the API server, one namespaced list per pod (fieldSelector on its uid and
// type Warning), a few at a time, for the oldest `maxEventLookups` candidates, each answer kept
// for a short while: on a large cluster with many stuck pods the cost stays bounded.
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { PodNames, StuckPeerPod, StuckPeerPods } from '@peer-pods-console/contract';
import type { StuckReason, StuckStage } from '@peer-pods-console/contract/operations';
import type { CapacityModel } from '../capacity/model.ts';
import type { PodView } from '../capacity/objects.ts';
import { classifyStuck, stuckFixes } from '../capacity/stuck-classifier.ts';
import type { KubeClient } from '../kube/client.ts';
import type { StuckPodService } from './types.ts';

export interface StuckServiceOptions {
  /** The backend's own client: it reads the candidates' Events. */
  client: Pick<KubeClient, 'request'>;
  logger: Logger;
  /** The peer-pod informer's cache. */
  pods: () => Iterable<PodView>;
  /** Node rows (limit source, VMs) and pins. */
  model: Pick<CapacityModel, 'node' | 'pinnedNodeOf' | 'extendedResource'>;
  graceSeconds: number;
  now?: () => number;
  /** How long one pod's Events answer serves (ms); default 15 s. */
  eventsTtlMs?: number;
  /** Event lists in flight at once; default 4. */
  concurrency?: number;
  /** Candidates (oldest first) whose Events are read per listing; the others are judged without; default 100. */
  maxEventLookups?: number;
}

/** Stuck peer pods per node (null: not bound, pinned nowhere) and reason: what the metrics export. */
export interface StuckCount {
  node: string | null;
  stage: StuckStage;
  reason: StuckReason;
  pods: number;
}

/** The Event that tells why, cut down to what the answer needs. */
interface TellingEvent {
  reason: string;
  message: string;
  firstSeen: string | null;
  count: number;
}

interface RawEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  metadata?: { creationTimestamp?: string };
}

/** Event messages are kept verbatim, up to this many characters. */
const MAX_MESSAGE = 4096;

/** The Event reasons that tell most, per stage (the kubelet's and the scheduler's). */
const TELLING: Record<StuckStage, readonly string[]> = {
  pending: ['FailedScheduling'],
  sandbox: ['FailedCreatePodSandBox'],
};

function lastSeen(event: RawEvent): number {
  const at =
    event.series?.lastObservedTime ?? event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp;
  const parsed = at ? Date.parse(at) : NaN;
  return Number.isNaN(parsed) ? 0 : parsed;
}

/** The newest Event of the stage's telling reasons, else the newest Warning of any reason. */
export function tellingEvent(events: readonly RawEvent[], stage: StuckStage): TellingEvent | null {
  const warnings = events.filter((e) => e.type === 'Warning' && typeof e.message === 'string');
  const preferred = warnings.filter((e) => TELLING[stage].includes(e.reason ?? ''));
  const pool = preferred.length > 0 ? preferred : warnings;
  if (pool.length === 0) return null;
  const newest = pool.reduce((a, b) => (lastSeen(b) >= lastSeen(a) ? b : a));
  const message = newest.message ?? '';
  return {
    reason: newest.reason ?? '',
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
    firstSeen: newest.firstTimestamp ?? newest.eventTime ?? newest.metadata?.creationTimestamp ?? null,
    count: Math.max(1, newest.series?.count ?? newest.count ?? 1),
  };
}

/** Runs `work` over the items, at most `limit` at a time, in order of the answers' positions. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * What a reader sees: without `list pods` cluster-wide no pod namespace, name or VM id (whose
 * name embeds the pod's); without `list events` cluster-wide no message.
 */
export function stuckForReader(
  all: StuckPeerPods,
  reader: { podNames: PodNames; messages: 'shown' | 'hidden' },
): StuckPeerPods {
  const pods = all.pods.map((pod) => ({
    ...pod,
    ...(reader.podNames === 'hidden' ? { namespace: null, name: null, vmId: null } : {}),
    ...(reader.messages === 'hidden' ? { message: null } : {}),
  }));
  return { ...all, pods, podNames: reader.podNames, messages: reader.messages };
}

export class StuckService implements StuckPodService {
  private readonly now: () => number;
  private readonly events: LRUCache<string, TellingEvent | 'none', { namespace: string; stage: StuckStage }>;
  private readonly concurrency: number;
  private readonly maxEventLookups: number;

  constructor(private readonly options: StuckServiceOptions) {
    this.now = options.now ?? Date.now;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.maxEventLookups = Math.max(0, options.maxEventLookups ?? 100);
    this.events = new LRUCache({
      max: 5000,
      ttl: options.eventsTtlMs ?? 15_000,
      // lru-cache joins concurrent lookups of one pod into one request, and keeps no failure.
      fetchMethod: async (uid, _stale, { context }) => this.readEvents(uid, context.namespace, context.stage),
    });
  }

  get graceSeconds(): number {
    return this.options.graceSeconds;
  }

  /** The stuck peer pods, oldest first; with `node`, those bound or pinned to it. Names and messages in full. */
  async stuck(options: { node?: string } = {}): Promise<StuckPeerPods> {
    const now = this.now();
    const candidates = this.candidates(now).filter((c) => options.node === undefined || c.nodeName === options.node);
    const lookups = candidates.slice(0, this.maxEventLookups);
    let failures = 0;
    const found = await mapLimited(lookups, this.concurrency, async (c) => {
      try {
        const event = await this.events.fetch(c.pod.metadata.uid, {
          context: { namespace: c.pod.metadata.namespace, stage: c.stage },
        });
        return event === 'none' || event === undefined ? null : event;
      } catch {
        failures += 1;
        return null;
      }
    });
    if (failures > 0) {
      this.options.logger.warn({ failures, pods: lookups.length }, 'could not read the Events of some stuck peer pods');
    }
    return {
      generatedAt: new Date(now).toISOString(),
      graceSeconds: this.options.graceSeconds,
      pods: candidates.map((c, i) => this.describe(c, found[i] ?? null)),
      podNames: 'shown',
      messages: 'shown',
    };
  }

  /**
   * Stuck peer pods counted per node and reason (node null: not bound and pinned nowhere), for the
   * metrics; it reads Events as stuck() does and shares its short cache.
   */
  async countStuck(): Promise<StuckCount[]> {
    const counts = new Map<string, StuckCount>();
    for (const pod of (await this.stuck()).pods) {
      const key = `${pod.nodeName ?? ''}\u0000${pod.stage}\u0000${pod.reason}`;
      const entry = counts.get(key) ?? { node: pod.nodeName, stage: pod.stage, reason: pod.reason, pods: 0 };
      entry.pods += 1;
      counts.set(key, entry);
    }
    // Sorted by node (unpinned first), stage and reason: the same pods always read the same.
    return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, count]) => count);
  }

  /** Peer pods not Running after the grace period, oldest first, with their stage and node. */
  private candidates(now: number): { pod: PodView; stage: StuckStage; nodeName: string | null; created: number }[] {
    const graceMs = this.options.graceSeconds * 1000;
    const out: { pod: PodView; stage: StuckStage; nodeName: string | null; created: number }[] = [];
    for (const pod of this.options.pods()) {
      if (pod.terminal || pod.terminating || pod.phase !== 'Pending') continue;
      const created = Date.parse(pod.metadata.creationTimestamp ?? '');
      if (Number.isNaN(created) || now - created < graceMs) continue;
      const stage: StuckStage = pod.nodeName ? 'sandbox' : 'pending';
      const nodeName = pod.nodeName ?? this.options.model.pinnedNodeOf(pod);
      out.push({ pod, stage, nodeName, created });
    }
    return out.sort(
      (a, b) =>
        a.created - b.created ||
        a.pod.metadata.namespace.localeCompare(b.pod.metadata.namespace) ||
        a.pod.metadata.name.localeCompare(b.pod.metadata.name),
    );
  }

  private describe(
    c: { pod: PodView; stage: StuckStage; nodeName: string | null },
    event: TellingEvent | null,
  ): StuckPeerPod {
    const { pod, stage, nodeName } = c;
    const { extendedResource } = this.options.model;
    // Pending: the scheduler's current word (the PodScheduled condition) over an older Event's.
    const message = (stage === 'pending' ? pod.unschedulable?.message : undefined) || event?.message || null;
    const reason =
      message === null ? 'other' : classifyStuck({ stage, eventReason: event?.reason, message, extendedResource });
    const row = nodeName === null ? undefined : this.options.model.node(nodeName);
    const pinned = stage === 'pending' && nodeName !== null;
    const vm =
      stage === 'sandbox'
        ? row?.vms.find((v) => v.pod?.namespace === pod.metadata.namespace && v.pod?.name === pod.metadata.name)
        : undefined;
    return {
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      stage,
      nodeName,
      pinned,
      reason,
      message,
      eventReason: event?.reason ?? null,
      since:
        event?.firstSeen ??
        (stage === 'pending' ? pod.unschedulable?.since : undefined) ??
        pod.metadata.creationTimestamp ??
        null,
      count: event?.count ?? 0,
      fixes: stuckFixes(reason, { pinnedNode: pinned ? nodeName : null, source: row?.source }),
      vmId: vm?.id ?? null,
    };
  }

  private async readEvents(uid: string, namespace: string, stage: StuckStage): Promise<TellingEvent | 'none'> {
    const list = await this.options.client.request<{ items?: RawEvent[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
      query: { fieldSelector: `involvedObject.uid=${uid},type=Warning`, limit: 100 },
      timeoutMs: 10_000,
    });
    return tellingEvent(list.items ?? [], stage) ?? 'none';
  }
}
