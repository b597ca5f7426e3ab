// Records core/v1 Events, as `kubectl describe` and the console show them.
//
// Repeats of the same event (same object, type, reason and message) are aggregated into one
// Event whose count and lastTimestamp grow, as the kubelet's recorder does. The Event's name is
// derived from that identity, so a restarted or newly elected replica continues the same Event
// (409 on create → bump its count) instead of adding a duplicate. Recording never throws and
// never blocks the caller: writes happen in the background, one at a time per Event.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { isAlreadyExists, isNotFound, metaTime, type KubeClient } from './client.ts';

export interface ObjectReference {
  apiVersion?: string;
  kind: string;
  name: string;
  /** Empty for cluster-scoped objects (their Events go to the `default` namespace). */
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  client: KubeClient;
  logger: Logger;
  /** source.component and reportingComponent, e.g. peer-pods-console. */
  component: string;
  /** reportingInstance, e.g. the pod name. */
  instance?: string;
  /** Remembered events (for aggregation); default 4096. */
  maxCached?: number;
}

export interface RecordedEvent {
  namespace: string;
  name: string;
  count: number;
}

interface CachedEvent {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
  /** Writes to one Event are chained so that counts never go backwards. */
  tail: Promise<void>;
}

const MAX_MESSAGE = 1024;

export class EventRecorder {
  private readonly cache = new Map<string, CachedEvent>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxCached: number;
  private readonly log: Logger;
  private readonly options: EventRecorderOptions;

  constructor(options: EventRecorderOptions) {
    this.options = options;
    this.maxCached = options.maxCached ?? 4096;
    this.log = options.logger.child({ component: 'events' });
  }

  /**
   * Records an Event and answers where it goes (its namespace and name). `annotations` carry a
   * machine-readable form of what the message says; they are part of the Event's identity.
   */
  event(
    ref: ObjectReference,
    type: EventType,
    reason: string,
    message: string,
    options: { annotations?: Record<string, string> } = {},
  ): { namespace: string; name: string } {
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
    const annotations =
      options.annotations && Object.keys(options.annotations).length > 0 ? options.annotations : undefined;
    const identity = [ref.kind, ref.namespace ?? '', ref.name, ref.uid ?? '', type, reason, text]
      .concat(annotations ? [JSON.stringify(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : 1)))] : [])
      .join('\u0000');
    let cached = this.cache.get(identity);
    if (cached) {
      this.cache.delete(identity); // re-insert: Map order is the LRU order
    } else {
      const namespace = ref.namespace || 'default';
      const suffix = createHash('sha256').update(identity).digest('hex').slice(0, 16);
      cached = {
        namespace,
        name: `${ref.name}.${suffix}`.slice(-253),
        count: 0,
        firstTimestamp: '',
        tail: Promise.resolve(),
      };
    }
    this.cache.set(identity, cached);
    if (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    const entry = cached;
    const write = entry.tail.then(() => this.write(entry, ref, type, reason, text, annotations));
    entry.tail = write;
    this.inFlight.add(write);
    void write.finally(() => this.inFlight.delete(write));
    return { namespace: entry.namespace, name: entry.name };
  }

  /** Resolves when every Event recorded so far has been written (or given up on). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async write(
    entry: CachedEvent,
    ref: ObjectReference,
    type: EventType,
    reason: string,
    message: string,
    annotations: Record<string, string> | undefined,
  ) {
    const { client } = this.options;
    const now = metaTime(new Date());
    const path = `/api/v1/namespaces/${encodeURIComponent(entry.namespace)}/events`;
    try {
      if (entry.count > 0) {
        try {
          await client.request({
            method: 'PATCH',
            path: `${path}/${encodeURIComponent(entry.name)}`,
            contentType: 'application/merge-patch+json',
            body: { count: entry.count + 1, lastTimestamp: now },
            responseType: 'none',
          });
          entry.count += 1;
          return;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          entry.count = 0; // expired (events live an hour): start a new one
        }
      }
      try {
        await client.request({
          method: 'POST',
          path,
          body: {
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name: entry.name, namespace: entry.namespace, annotations },
            involvedObject: {
              apiVersion: ref.apiVersion,
              kind: ref.kind,
              name: ref.name,
              namespace: ref.namespace || undefined,
              uid: ref.uid,
              resourceVersion: ref.resourceVersion,
            },
            type,
            reason,
            message,
            count: 1,
            firstTimestamp: now,
            lastTimestamp: now,
            source: { component: this.options.component },
            reportingComponent: this.options.component,
            reportingInstance: this.options.instance ?? '',
          },
        });
        entry.count = 1;
        entry.firstTimestamp = now;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        // Written before by this replica's predecessor: continue its count.
        const existing = await client.request<{ count?: number }>({
          method: 'GET',
          path: `${path}/${encodeURIComponent(entry.name)}`,
        });
        const count = (existing.count ?? 1) + 1;
        await client.request({
          method: 'PATCH',
          path: `${path}/${encodeURIComponent(entry.name)}`,
          contentType: 'application/merge-patch+json',
          body: { count, lastTimestamp: now },
        });
        entry.count = count;
      }
    } catch (err) {
      // Events are best effort: a failure here must never fail the reconcile that reported it.
      this.log.warn(
        { err: (err as Error).message, reason, object: `${ref.kind}/${ref.name}` },
        'could not record event',
      );
    }
  }
}
