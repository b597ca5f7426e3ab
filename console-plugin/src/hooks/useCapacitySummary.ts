import { useEffect, useState } from 'react';
import { applyCapacityDelta } from '@peer-pods-console/contract/capacity-delta';
import {
  LIVE_EVENT_CAPACITY,
  LIVE_EVENT_CAPACITY_DELTA,
  LIVE_EVENT_END,
  LIVE_SINCE_PARAM,
  type LiveStreamEndReason,
} from '@peer-pods-console/contract/endpoints';

import { backendApi, backendUrl, type CapacityDelta, type CapacitySummary } from '../api/backend';
import { useBackendQuery } from './useBackendQuery';

/**
 * The backend's Server-Sent Events stream: `event: capacity` carries a whole CapacitySummary,
 * `event: capacity-delta` what changed since the revision sent before.
 */
export const CAPACITY_EVENTS_PATH = '/events';
/** How often the summary is read again while the event stream is not connected. */
export const CAPACITY_POLL_MS = 10_000;

export type CapacitySummaryState = {
  summary: CapacitySummary | undefined;
  loaded: boolean;
  error: unknown;
  /** true while the live stream is connected; false means the data is refreshed by polling */
  live: boolean;
  refresh: () => void;
};

/**
 * The live capacity model: fetched once, then kept current by the backend's event stream, which
 * sends only what changed. The stream opens once the read has answered, at that summary's revision
 * (`?since=`), so the backend does not send the same summary again (2.6 MB at 5,000 nodes; a
 * returning page's read is a 304); when that summary is no longer the newest, or the read failed,
 * the stream starts with a whole summary. When the stream cannot be opened (a proxy that buffers,
 * EventSource missing), it polls every 10 s.
 */
export const useCapacitySummary = (): CapacitySummaryState => {
  const [streamed, setStreamed] = useState<CapacitySummary>();
  const [live, setLive] = useState(false);
  /** The backend ended the stream for lost access: until a read succeeds again, its error is what shows. */
  const [accessEnded, setAccessEnded] = useState(false);
  /** Counts the streams opened anew after a delta that did not follow (each starts with a whole summary). */
  const [resyncs, setResyncs] = useState(0);
  const query = useBackendQuery(backendApi.capacity, 'capacity', { pollMs: live ? undefined : CAPACITY_POLL_MS });
  const { refresh } = query;
  /**
   * Where the stream starts, set once the read first answers: from its summary (or, when the
   * read failed, from nothing). Later reads do not reopen the stream.
   */
  const [streamStart, setStreamStart] = useState<{ from: CapacitySummary | undefined }>();
  if (streamStart === undefined && (query.data !== undefined || query.error !== undefined)) {
    setStreamStart({ from: query.data });
  }

  useEffect(() => {
    if (typeof EventSource === 'undefined' || streamStart === undefined) return undefined;
    /** The summary this stream has led to so far: each delta applies to it. */
    let held: CapacitySummary | undefined = resyncs === 0 ? streamStart.from : undefined;
    const path = held
      ? `${CAPACITY_EVENTS_PATH}?${LIVE_SINCE_PARAM}=${encodeURIComponent(held.revision)}`
      : CAPACITY_EVENTS_PATH;
    const source = new EventSource(backendUrl(path), { withCredentials: true });
    const show = (summary: CapacitySummary) => {
      held = summary;
      setStreamed(summary);
      setLive(true);
    };
    const onCapacity = (event: MessageEvent<string>) => {
      try {
        show(JSON.parse(event.data) as CapacitySummary);
      } catch {
        // A torn message: the next delta will not follow what is held, and asks for a summary again.
      }
    };
    const onDelta = (event: MessageEvent<string>) => {
      let next: CapacitySummary | undefined;
      try {
        next = held && applyCapacityDelta(held, JSON.parse(event.data) as CapacityDelta);
      } catch {
        next = undefined;
      }
      if (next) {
        show(next);
        return;
      }
      // A revision was missed: a stream opened anew (without Last-Event-ID or since) starts with a whole summary.
      source.close();
      setResyncs((n) => n + 1);
    };
    // A stream that ends for its lifetime is reopened by EventSource itself, unnoticed. One that
    // ends because the user's token or permission no longer holds is not: what the page shows
    // is dropped and read again, so the user sees why instead of numbers that no longer update.
    const onEnd = (event: MessageEvent<string>) => {
      let reason: LiveStreamEndReason | undefined;
      try {
        reason = (JSON.parse(event.data) as { reason?: LiveStreamEndReason }).reason;
      } catch {
        reason = undefined;
      }
      if (reason !== 'access') return;
      source.close();
      setStreamed(undefined);
      setLive(false);
      setAccessEnded(true);
      refresh();
    };
    source.addEventListener(LIVE_EVENT_CAPACITY, onCapacity as EventListener);
    source.addEventListener(LIVE_EVENT_CAPACITY_DELTA, onDelta as EventListener);
    source.addEventListener(LIVE_EVENT_END, onEnd as EventListener);
    source.onerror = () => setLive(false);
    // Reconnected by EventSource with the last event's id: the stream goes on from what is held.
    source.onopen = () => {
      if (held) setLive(true);
    };
    return () => {
      source.removeEventListener(LIVE_EVENT_CAPACITY, onCapacity as EventListener);
      source.removeEventListener(LIVE_EVENT_CAPACITY_DELTA, onDelta as EventListener);
      source.removeEventListener(LIVE_EVENT_END, onEnd as EventListener);
      source.close();
    };
  }, [refresh, resyncs, streamStart]);

  // The newer of the two answers wins (the stream usually; a manual refresh may be newer).
  const fetched = query.data;
  const summary =
    streamed && (!fetched || streamed.revision >= fetched.revision || streamed.generatedAt >= fetched.generatedAt)
      ? streamed
      : fetched;
  if (accessEnded && query.error !== undefined) {
    return { summary: undefined, loaded: true, error: query.error, live: false, refresh: query.refresh };
  }
  return {
    summary,
    loaded: query.loaded || streamed !== undefined,
    error: summary ? undefined : query.error,
    live,
    refresh: query.refresh,
  };
};
