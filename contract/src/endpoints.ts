// Where the backend's REST API lives and what its live stream says, named once for the server
// (backend/src/server/) and the plugin's client. Browser-safe on purpose: no imports, so the
// plugin takes these values without the schemas (and zod) in api.ts.

export const API_PREFIX = '/api/v1';

/**
 * Server-Sent Events on GET /api/v1/events: `event: capacity` carries a CapacitySummary; when the
 * user gains or loses `list pods`, the next one (within the stream's recheck) switches podNames.
 */
export const LIVE_EVENT_CAPACITY = 'capacity';
/**
 * `event: end` closes the stream, with `data: {"reason": …}`: `access` when the user's token or
 * permission no longer holds (do not reconnect: the next read says why), `lifetime` when the
 * stream has run its course (reconnect, as EventSource does by itself).
 */
export const LIVE_EVENT_END = 'end';
export type LiveStreamEndReason = 'access' | 'lifetime';
