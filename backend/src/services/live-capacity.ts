// The capacity the live stream (GET /api/v1/events) sends: one feed shared by every open stream.
// Model changes are coalesced for a window (200 ms); at its end the feed diffs the summary it
// published last against the current one (diffCapacity: the model keeps unchanged rows the same
// objects, so this costs a pointer comparison per row) and hands every stream the same delta,
// serialised at most once per variant (with and without pod names). A stream starts from the
// summary published last, so the next delta follows it. The feed runs only while a stream listens.
import type { CapacityDelta, CapacitySummary, PodNames } from '@peer-pods-console/contract';
import { diffCapacity } from '@peer-pods-console/contract/capacity-delta';
import type { LiveCapacityUpdate } from './types.ts';
import { deltaWithoutPodNames, withoutPodNames } from './pod-names.ts';

export interface LiveCapacityFeedOptions {
  /** The summary now, with pod names. */
  current: () => CapacitySummary;
  /** Calls back on every model change; returns the unsubscribe function. */
  onChange: (listener: () => void) => () => void;
  /** How long changes are gathered into one delta (ms). */
  coalesceMs?: number;
}

/** A published summary, serialised on demand, once per variant. */
class Published {
  private json?: string;
  private hidden?: { summary: CapacitySummary; json: string };

  constructor(readonly summary: CapacitySummary) {}

  serialised(podNames: PodNames): string {
    if (podNames === 'shown') return (this.json ??= JSON.stringify(this.summary));
    this.hidden ??= (() => {
      const summary = withoutPodNames(this.summary);
      return { summary, json: JSON.stringify(summary) };
    })();
    return this.hidden.json;
  }
}

export class LiveCapacityFeed {
  private readonly listeners = new Set<(update: LiveCapacityUpdate) => void>();
  private published: Published | undefined;
  private stopWatching: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LiveCapacityFeedOptions) {}

  /** The summary the next delta starts from, as JSON of the variant asked for. */
  snapshot(podNames: PodNames): { revision: number; json: () => string } {
    const published = this.published ?? new Published(this.options.current());
    return { revision: published.summary.revision, json: () => published.serialised(podNames) };
  }

  /** Calls back with each delta; returns the unsubscribe function. */
  subscribe(listener: (update: LiveCapacityUpdate) => void): () => void {
    if (this.listeners.size === 0) this.start();
    this.listeners.add(listener);
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.stop();
    };
  }

  private start(): void {
    this.published = new Published(this.options.current());
    this.stopWatching = this.options.onChange(() => {
      this.timer ??= setTimeout(() => this.publish(), this.options.coalesceMs ?? 200);
    });
  }

  private stop(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.published = undefined;
  }

  private publish(): void {
    this.timer = undefined;
    const previous = this.published;
    if (!previous) return;
    const next = this.options.current();
    if (next === previous.summary) return;
    const delta = diffCapacity(previous.summary, next);
    this.published = new Published(next);
    const update = deltaUpdate(delta);
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch {
        // A listener's failure (a stream that just closed) is its own business.
      }
    }
  }
}

function deltaUpdate(delta: CapacityDelta): LiveCapacityUpdate {
  let shown: string | undefined;
  let hidden: string | undefined;
  return {
    from: delta.from,
    to: delta.to,
    json: (podNames) =>
      podNames === 'shown'
        ? (shown ??= JSON.stringify(delta))
        : (hidden ??= JSON.stringify(deltaWithoutPodNames(delta))),
  };
}
