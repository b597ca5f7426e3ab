import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging.ts';
import { createHealthHandler } from './health.ts';
import { Readiness, type ReadinessReport } from './readiness.ts';

let readiness: Readiness;
let server: Server;
let base: string;
const registry = new Registry();
new Counter({ name: 'test_requests_total', help: 'a sample', registers: [registry] }).inc(3);

beforeAll(async () => {
  server = createServer((req, res) =>
    createHealthHandler({ readiness, metricsRegistry: registry, logger: createLogger('silent') })(req, res),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  readiness = new Readiness();
});

describe('the health port', () => {
  it('answers /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
  });

  it('answers /readyz with 503 naming the gating check that does not hold, then 200', async () => {
    readiness.register('serving', 'opening the API and webhook ports');
    let res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      ready: false,
      checks: { serving: { ready: false, detail: 'opening the API and webhook ports' } },
      informational: {},
    });
    readiness.set('serving', true, 'listening');
    res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
  });

  it('stays ready while an informational check (a cache still loading) does not hold, and reports it', async () => {
    readiness.set('serving', true, 'listening');
    const caches = readiness.informational();
    caches.register('capacity-informers', 'listing nodes, PeerPodConfigs, peer pods and PeerPods');
    let res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ready: true,
      checks: { serving: { ready: true, detail: 'listening' } },
      informational: {
        'capacity-informers': { ready: false, detail: 'listing nodes, PeerPodConfigs, peer pods and PeerPods' },
      },
    });
    caches.set('capacity-informers', true, 'caches synced');
    res = await fetch(`${base}/readyz`);
    expect(((await res.json()) as ReadinessReport).informational).toEqual({
      'capacity-informers': { ready: true, detail: 'caches synced' },
    });
  });

  it('answers /readyz with 503 once shutting down, whatever the checks say', async () => {
    readiness.set('serving', true, 'listening');
    readiness.markShuttingDown();
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, checks: { shutdown: { ready: false } } });
  });

  it('serves /metrics in the Prometheus text format', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toMatch(/^test_requests_total 3$/m);
  });

  it('accepts a query string, as scrapers and probes may send one', async () => {
    expect((await fetch(`${base}/healthz?verbose`)).status).toBe(200);
  });

  it('answers other paths with 404 and other methods with 405', async () => {
    const unknown = await fetch(`${base}/api/v1/capacity`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('/healthz, /readyz and /metrics');
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
