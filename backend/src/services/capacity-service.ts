// Serves the capacity model to the API: the model's snapshot, stamped, plus the orphan count of
// the last cloud inventory. The JSON of a revision is built once and reused by every request and
// every live stream until the model changes, so reading costs nothing per caller. It comes in two
// variants: with pod names, and without them for readers who may not list pods (each built once).
import { gzipSync } from 'node:zlib';
import type { CapacitySnapshot, CapacitySummary, PodNames } from '@peer-pods-console/contract';
import type { CapacityModel } from '../capacity/model.ts';
import type { CapacityService } from './types.ts';

export interface CapacityServiceOptions {
  model: Pick<CapacityModel, 'snapshot' | 'subscribe' | 'revision'>;
  /** Orphans in the last cloud inventory, or null before the first one. */
  orphanCount: () => number | null;
}

interface Variant {
  summary: CapacitySummary;
  json: string;
  gzip?: Buffer;
}

const HIDDEN_POD = { namespace: null, name: null };

/**
 * The summary as a reader who may not list pods sees it: every count and state, no pod's
 * namespace or name, nor what embeds one.
 */
export function withoutPodNames(summary: CapacitySummary): CapacitySummary {
  return {
    ...summary,
    podNames: 'hidden',
    nodes: summary.nodes.map((node) => ({
      ...node,
      // A VM is named podvm-<pod name>-<sandbox id>, and on Azure its id ends in that name.
      vms: node.vms.map((vm) => ({ ...vm, id: null, name: null, pod: vm.pod ? HIDDEN_POD : undefined })),
    })),
    pending: summary.pending.map((pod) => ({
      ...pod,
      ...HIDDEN_POD,
      // The scheduler quotes the objects it names (a StatefulSet's claim "data-web-0" names its pod).
      message: pod.message.replace(/"[^"]*"/g, '"…"'),
    })),
    unaccounted: summary.unaccounted.map((pod) => ({ ...pod, ...HIDDEN_POD })),
  };
}

export class ModelCapacityService implements CapacityService {
  private cached: { key: string; shown: Variant; hidden?: Variant } | undefined;

  constructor(private readonly options: CapacityServiceOptions) {}

  snapshot(podNames: PodNames): CapacitySummary {
    return this.variant(podNames).summary;
  }

  snapshotJson(podNames: PodNames): { revision: number; etag: string; json: string; gzip: () => Buffer } {
    const variant = this.variant(podNames);
    // Compressed once per revision too: a 1,000-node snapshot is ~450 KB of JSON and ~10x less gzipped.
    const gzip = () => (variant.gzip ??= gzipSync(variant.json, { level: 6 }));
    // The body carries the model's revision, the orphan count and whether pod names are in it: the
    // tag names all three, so a 304 never confirms the other variant to a reader.
    const { revision, orphans } = variant.summary;
    const etag = `"capacity-${revision}-${orphans ?? 'unknown'}${podNames === 'hidden' ? '-no-pod-names' : ''}"`;
    return { revision, etag, json: variant.json, gzip };
  }

  subscribe(listener: () => void): () => void {
    return this.options.model.subscribe(() => listener());
  }

  private variant(podNames: PodNames): Variant {
    const current = this.current();
    if (podNames === 'shown') return current.shown;
    if (!current.hidden) {
      const summary = withoutPodNames(current.shown.summary);
      current.hidden = { summary, json: JSON.stringify(summary) };
    }
    return current.hidden;
  }

  private current() {
    const orphans = this.options.orphanCount();
    const key = `${this.options.model.revision}:${orphans}`;
    if (this.cached?.key !== key) {
      // The model builds its snapshot as the contract's type: nothing to convert.
      const snapshot: CapacitySnapshot = this.options.model.snapshot();
      const summary: CapacitySummary = {
        ...snapshot,
        generatedAt: new Date().toISOString(),
        orphans,
        podNames: 'shown',
      };
      this.cached = { key, shown: { summary, json: JSON.stringify(summary) } };
    }
    return this.cached;
  }
}
