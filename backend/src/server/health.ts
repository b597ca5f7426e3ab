// The health port's handler: GET /healthz (liveness), /readyz (the Readiness report; 503 while a
// gating check fails) and /metrics (Prometheus text). A listener of its own, because the API port
// is reachable through the console's plugin proxy by any signed-in user, and the webhook port by
// any source: the chart admits only the monitoring namespaces and the kubelet's probes here.
// A lean node:http handler, like the webhook's: three fixed paths need no framework.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging.ts';
import type { Readiness } from './readiness.ts';

export const DEFAULT_METRICS_PORT = 9444;

export interface HealthHandlerOptions {
  readiness: Readiness;
  metricsRegistry: Registry;
  logger: Logger;
}

const TEXT = 'text/plain; charset=utf-8';

function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

export function createHealthHandler(options: HealthHandlerOptions): RequestListener {
  const { readiness, metricsRegistry: registry, logger } = options;
  return (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const known = path === '/healthz' || path === '/readyz' || path === '/metrics';
    if (!known) return answer(res, 404, TEXT, 'no such path; this port serves /healthz, /readyz and /metrics\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return answer(res, 405, TEXT, `${path} accepts GET and HEAD only\n`);
    }
    if (path === '/healthz') return answer(res, 200, TEXT, 'ok\n');
    if (path === '/readyz') {
      const report = readiness.report();
      return answer(res, report.ready ? 200 : 503, 'application/json', JSON.stringify(report));
    }
    registry.metrics().then(
      (text) => answer(res, 200, registry.contentType, text),
      (error: Error) => {
        logger.error({ err: error.message }, 'metrics collection failed');
        answer(res, 500, TEXT, 'metrics collection failed\n');
      },
    );
  };
}
