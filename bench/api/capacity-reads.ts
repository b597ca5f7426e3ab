// GET /api/v1/capacity under load, against /healthz on the same server as the baseline (TLS and
// Express, no auth, no model): 8 callers kept busy (throughput, and the latency a burst of readers
// sees), then a steady 20 requests a second (what dashboards cause). Shared by bench/api and
// bench/scale.
import autocannon from 'autocannon';

export const TARGET_P95_MS = 50;

export interface LatencySummary {
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  /** autocannon reports p97.5 and p99; p95 lies below p97.5, so p97.5 is its bound. */
  p95BoundMs: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface CapacityReads {
  connections: number;
  seconds: number;
  saturated: { capacity: LatencySummary; baselineHealthz: LatencySummary };
  steady20PerSecond: { capacity: LatencySummary; baselineHealthz: LatencySummary };
  throughputRatioVsHealthz: number;
  targetP95Ms: number;
  /**
   * Judged on the saturated run (8 callers at once, stricter than any dashboard); the steady run's
   * few hundred samples show the shared machine's hiccups in their tail.
   */
  metTarget: boolean;
}

const CONNECTIONS = 8;

function summary(r: autocannon.Result): LatencySummary {
  return {
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p95BoundMs: r.latency.p97_5,
    p99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

/** `baseUrl` without a trailing slash; `token` a bearer token allowed to read the capacity. */
export async function measureCapacityReads(baseUrl: string, token: string, seconds: number): Promise<CapacityReads> {
  const run = (path: string, headers: Record<string, string>, steadyRate?: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      autocannon(
        {
          url: `${baseUrl}${path}`,
          headers,
          connections: steadyRate ? 2 : CONNECTIONS,
          ...(steadyRate ? { overallRate: steadyRate } : {}),
          duration: seconds,
          tlsOptions: { rejectUnauthorized: false },
        } as autocannon.Options,
        (err, result) => (err ? reject(err) : resolve(result)),
      );
    });
  // Browsers always offer gzip; the backend compresses each revision's snapshot once.
  const auth = { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'gzip' };
  // One warm-up run fills the TokenReview and SubjectAccessReview caches.
  await run('/api/v1/capacity', auth);
  const baseline = await run('/healthz', {});
  const capacity = await run('/api/v1/capacity', auth);
  const steadyBaseline = await run('/healthz', {}, 20);
  const steady = await run('/api/v1/capacity', auth, 20);
  return {
    connections: CONNECTIONS,
    seconds,
    saturated: { capacity: summary(capacity), baselineHealthz: summary(baseline) },
    steady20PerSecond: { capacity: summary(steady), baselineHealthz: summary(steadyBaseline) },
    throughputRatioVsHealthz: Number((capacity.requests.average / Math.max(baseline.requests.average, 1)).toFixed(2)),
    targetP95Ms: TARGET_P95_MS,
    metTarget: capacity.latency.p97_5 <= TARGET_P95_MS && capacity.non2xx === 0 && capacity.errors === 0,
  };
}
