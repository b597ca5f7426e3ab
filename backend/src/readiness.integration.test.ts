// The replica's readiness — what puts the pod, and so the webhook, behind its Services — does not
// wait for caches the webhook does not use. Here the API server's pod listing fails (as it can
// be slow or refused on a large cluster): the backend is ready and admits peer pods at once, its
// API answers 503 naming the cache still loading, and all of it serves once the listing succeeds.
// Also: /readyz and /metrics are served on the health port only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../hack/controlplane/controlplane.ts';
import { issueCertificate } from '../../hack/pki.ts';
import { startFaultProxy, type FaultProxy } from '../test/fault-proxy.ts';
import { startBackend, type RunningBackend } from './backend.ts';
import { loadConfig } from './config.ts';
import type { ReadinessReport } from './server/readiness.ts';
import { waitFor } from './kube/test/cluster.ts';
import { admissionReview, peerPodWithSidecars } from './webhook/test/fixtures.ts';

let cp: ControlPlane;
let proxy: FaultProxy;
let backend: RunningBackend;
let dir: string;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(url: string, options: { method?: string; body?: string; token?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: cp.caCertPem,
        headers: {
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
          ...(options.body ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const isPodList = (r: { method: string; url: string }) => r.method === 'GET' && r.url.startsWith('/api/v1/pods?');

beforeAll(async () => {
  cp = await startControlPlane({ scheduler: false });
  proxy = await startFaultProxy({ target: cp.server, targetCa: cp.caCertPem });
  // Every list of pods fails until the test lets them through; everything else reaches the API server.
  proxy.inject({
    match: isPodList,
    times: Infinity,
    respond: {
      status: 503,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'fault injected',
        code: 503,
      }),
    },
  });

  dir = mkdtempSync(join(tmpdir(), 'readiness-it-'));
  const serving = await issueCertificate(cp.ca, {
    commonName: 'readiness',
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  writeFileSync(join(dir, 'tls.crt'), serving.certPem);
  writeFileSync(join(dir, 'tls.key'), serving.keyPem);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // Plain HTTP to the proxy (which speaks TLS to the API server): client-node insists on the flag.
      clusters: [{ name: 'proxied', cluster: { server: proxy.endpoint, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'admin', user: { token: cp.adminToken } }],
      contexts: [{ name: 'proxied', context: { cluster: 'proxied', user: 'admin' } }],
      'current-context': 'proxied',
    }),
  );
  const config = loadConfig([], {
    KUBECONFIG: kubeconfig,
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    WEBHOOK_PORT: '0',
    TLS_CERT_FILE: join(dir, 'tls.crt'),
    TLS_KEY_FILE: join(dir, 'tls.key'),
    WEBHOOK_CERT_FILE: join(dir, 'tls.crt'),
    WEBHOOK_KEY_FILE: join(dir, 'tls.key'),
    PLUGIN_ASSETS_DIR: '',
    LEADER_ELECTION: 'false',
  });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  backend = await startBackend(config, { logDestination: quiet });
});

afterAll(async () => {
  await backend?.stop();
  await proxy?.stop();
  await cp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('readiness while the pods cache cannot load', () => {
  it('is ready (200) and reports the caches as informational, not gating', async () => {
    await waitFor('a failed pod listing', () => proxy.requests.some((r) => r.injected && isPodList(r)));
    const answer = await call(`${backend.metricsUrl}/readyz`);
    expect(answer.status).toBe(200);
    const report = JSON.parse(answer.body) as ReadinessReport;
    expect(report.ready).toBe(true);
    expect(report.checks.serving).toMatchObject({ ready: true });
    expect(report.informational['capacity-informers']).toMatchObject({ ready: false });
    expect(backend.capacity.informers.pods.hasSynced()).toBe(false);
  });

  it('admits a peer pod through the webhook', async () => {
    const answer = await call(`${backend.webhookUrl}/mutate-v1-pod?timeout=10s`, {
      method: 'POST',
      body: JSON.stringify(admissionReview(peerPodWithSidecars(), { uid: 'while-loading' })),
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      response: { uid: 'while-loading', allowed: true, patchType: 'JSONPatch' },
    });
  });

  it('answers the capacity API with 503 and Retry-After, naming the pods cache', async () => {
    // The other caches list within moments; then only the pods are named.
    const answer = await waitFor('503 naming only the pods', async () => {
      const res = await call(`${backend.url}api/v1/capacity`, { token: cp.adminToken });
      return res.status === 503 && res.body.includes('still loading pods from') ? res : undefined;
    });
    expect(answer.headers['retry-after']).toBe('5');
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'not_ready' } });
  });

  it('serves /readyz and /metrics on the health port only', async () => {
    expect((await call(`${backend.url}readyz`)).status).toBe(404);
    expect((await call(`${backend.url}metrics`)).status).toBe(404);
    expect((await call(`${backend.webhookUrl}/metrics`)).status).toBe(404);
    const metrics = await call(`${backend.metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^peerpods_webhook_admissions_total\{outcome="mutated"\} 1$/m);
  });

  it('serves the capacity API once the pods can be listed', async () => {
    proxy.clearFaults();
    await waitFor(
      'the capacity API answering 200',
      async () => (await call(`${backend.url}api/v1/capacity`, { token: cp.adminToken })).status === 200,
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    const report = JSON.parse((await call(`${backend.metricsUrl}/readyz`)).body) as ReadinessReport;
    expect(report.informational['capacity-informers']).toMatchObject({ ready: true });
  }, 60_000);
});
