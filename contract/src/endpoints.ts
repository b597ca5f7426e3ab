// Where the backend's REST API lives and what its live stream says, named once for the server
// (backend/src/server/) and the plugin's client. Browser-safe on purpose: no imports, so the
// plugin takes these values without the schemas (and zod) in api.ts.

export const API_PREFIX = '/api/v1';

/**
 * Server-Sent Events on GET /api/v1/events. `event: capacity` carries a whole CapacitySummary:
 * the first event of a stream, and again whenever the stream cannot continue from what it last
 * sent (the reader gained or lost `list pods`, so podNames switches; it fell behind). Every other
 * event is `event: capacity-delta`, a CapacityDelta from the revision sent before to the next.
 * Each event's `id:` names the revision it leaves the reader at (see liveEventId): a reconnecting
 * EventSource sends it back as Last-Event-ID, and the stream resumes without a snapshot when it is
 * still the newest. A page that has just read GET /api/v1/capacity opens the stream with
 * `?since=<that summary's revision>` (LIVE_SINCE_PARAM) to the same effect: at 5,000 nodes the
 * summary is 2.6 MB, and it need not come twice. Last-Event-ID, when sent, wins.
 */
export const LIVE_SINCE_PARAM = 'since';
export const LIVE_EVENT_CAPACITY = 'capacity';
export const LIVE_EVENT_CAPACITY_DELTA = 'capacity-delta';
/**
 * `event: end` closes the stream, with `data: {"reason": …}`: `access` when the user's token or
 * permission no longer holds (do not reconnect: the next read says why), `lifetime` when the
 * stream has run its course (reconnect, as EventSource does by itself).
 */
export const LIVE_EVENT_END = 'end';
export type LiveStreamEndReason = 'access' | 'lifetime';

/** The SSE `id:` of a capacity event: its revision, and whether pod names are left out (as in the ETag). */
export const liveEventId = (revision: number, podNames: 'shown' | 'hidden'): string =>
  `${revision}${podNames === 'hidden' ? '-no-pod-names' : ''}`;
