// Serves the capacity model to the API: the model's snapshot, stamped, plus the orphan count of
// the last cloud inventory. The JSON of a revision is built once, when first asked, and reused by
// every request until the model changes, so reading costs nothing per caller. It comes in two
// variants: with pod names, and without them for readers who may not list pods (pod-names.ts).
// The live stream reads the same summaries through one shared feed of deltas (live-capacity.ts).
import { gzipSync } from 'node:zlib';
import type { CapacitySnapshot, CapacitySummary, PodNames } from '@peer-pods-console/contract';
import type { CapacityModel } from '../capacity/model.ts';
import { LiveCapacityFeed } from './live-capacity.ts';
import { withoutPodNames } from './pod-names.ts';
import type { CapacityService, LiveCapacityUpdate } from './types.ts';

export interface CapacityServiceOptions {
  model: Pick<CapacityModel, 'snapshot' | 'subscribe' | 'revision'>;
  /** Orphans in the last cloud inventory, or null before the first one. */
  orphanCount: () => number | null;
  /** How long the live stream gathers model changes into one delta (ms); default 200. */
  coalesceMs?: number;
}

interface Variant {
  summary: CapacitySummary;
  json?: string;
  gzip?: Buffer;
}

export class ModelCapacityService implements CapacityService {
  private cached: { key: string; shown: Variant; hidden?: Variant } | undefined;
  private readonly live: LiveCapacityFeed;

  constructor(private readonly options: CapacityServiceOptions) {
    this.live = new LiveCapacityFeed({
      current: () => this.current().shown.summary,
      onChange: (listener) => options.model.subscribe(() => listener()),
      coalesceMs: options.coalesceMs,
    });
  }

  snapshot(podNames: PodNames): CapacitySummary {
    return this.variant(podNames).summary;
  }

  snapshotJson(podNames: PodNames): { revision: number; etag: string; json: string; gzip: () => Buffer } {
    const variant = this.variant(podNames);
    const json = (variant.json ??= JSON.stringify(variant.summary));
    // Compressed once per revision too: a 1,000-node snapshot is ~450 KB of JSON and ~10x less gzipped.
    const gzip = () => (variant.gzip ??= gzipSync(json, { level: 6 }));
    // The body carries the model's revision, the orphan count and whether pod names are in it: the
    // tag names all three, so a 304 never confirms the other variant to a reader.
    const { revision, orphans } = variant.summary;
    const etag = `"capacity-${revision}-${orphans ?? 'unknown'}${podNames === 'hidden' ? '-no-pod-names' : ''}"`;
    return { revision, etag, json, gzip };
  }

  liveSnapshot(podNames: PodNames): { revision: number; json: () => string } {
    return this.live.snapshot(podNames);
  }

  subscribeLive(listener: (update: LiveCapacityUpdate) => void): () => void {
    return this.live.subscribe(listener);
  }

  private variant(podNames: PodNames): Variant {
    const current = this.current();
    if (podNames === 'shown') return current.shown;
    current.hidden ??= { summary: withoutPodNames(current.shown.summary) };
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
      this.cached = { key, shown: { summary } };
    }
    return this.cached;
  }
}
