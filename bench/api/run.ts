// Benchmark: GET /api/v1/capacity through the whole backend (TLS, bearer token, TokenReview and
// SubjectAccessReview — cached after the first call — and the capacity model) with 1,000 nodes and
// 10,000 peer pods on a real API server. Baseline in the same run: /healthz on the same server,
// which pays TLS and Express but no auth and no model. Prints one JSON object.
//
//   npx tsx bench/api/run.ts [--nodes 1000] [--pods 10000] [--seconds 15]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { startControlPlane } from '../../hack/controlplane/controlplane.ts';
import {
  createPeerPodConfig,
  createWorkerNodes,
  PEERPOD_RESOURCE,
  RUNTIME_CLASS,
} from '../../hack/controlplane/fixtures.ts';
import { issueCertificate } from '../../hack/pki.ts';
import { startBackend } from '../../backend/src/backend.ts';
import { loadConfig } from '../../backend/src/config.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    pods: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '15' },
  },
});
const nodeCount = Number(values.nodes);
const podCount = Number(values.pods);
const seconds = Number(values.seconds);
const log = (line: string) => process.stderr.write(`[bench/api] ${line}\n`);

const cp = await startControlPlane({ scheduler: false });
try {
  const kc = cp.kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  let started = Date.now();
  await createWorkerNodes(kc, { count: nodeCount, namePrefix: 'bench-', concurrency: 32 });
  await createPeerPodConfig(kc, { limit: '10' });
  log(`${nodeCount} nodes in ${Date.now() - started} ms`);

  started = Date.now();
  let next = 0;
  const pod = (i: number): V1Pod => ({
    metadata: { name: `peer-${i}`, namespace: 'default' },
    spec: {
      runtimeClassName: RUNTIME_CLASS,
      nodeName: `bench-${i % nodeCount}`,
      containers: [
        {
          name: 'app',
          image: 'registry.access.redhat.com/ubi9/ubi-minimal',
          resources: { requests: { [PEERPOD_RESOURCE]: '1' }, limits: { [PEERPOD_RESOURCE]: '1' } },
        },
      ],
    },
  });
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < podCount) {
        const i = next++;
        await core.createNamespacedPod({ namespace: 'default', body: pod(i) });
      }
    }),
  );
  log(`${podCount} pods in ${Date.now() - started} ms`);

  const dir = mkdtempSync(join(tmpdir(), 'bench-api-'));
  const serving = await issueCertificate(cp.ca, {
    commonName: 'bench',
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  writeFileSync(join(dir, 'tls.crt'), serving.certPem);
  writeFileSync(join(dir, 'tls.key'), serving.keyPem);
  const backend = await startBackend(
    loadConfig([], {
      KUBECONFIG: cp.kubeconfigPath,
      HOST: '127.0.0.1',
      PORT: '0',
      TLS_CERT_FILE: join(dir, 'tls.crt'),
      TLS_KEY_FILE: join(dir, 'tls.key'),
      PLUGIN_ASSETS_DIR: '',
      LEADER_ELECTION: 'false',
      LOG_LEVEL: 'warn',
    }),
  );
  started = Date.now();
  while (backend.capacity.model.totals().used < podCount) {
    if (Date.now() - started > 120_000) throw new Error('the capacity model did not see every pod within 120 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`model synced (${backend.capacity.model.totals().used} VMs in use) ${Date.now() - started} ms after start`);

  const url = backend.url.replace(/\/$/, '');
  // Throughput with 8 connections kept busy; latency at a steady rate a dashboard would cause.
  const run = (path: string, headers: Record<string, string>, steadyRate?: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      autocannon(
        {
          url: `${url}${path}`,
          headers,
          connections: steadyRate ? 2 : 8,
          ...(steadyRate ? { overallRate: steadyRate } : {}),
          duration: seconds,
          tlsOptions: { rejectUnauthorized: false },
        } as autocannon.Options,
        (err, result) => (err ? reject(err) : resolve(result)),
      );
    });
  const auth = { Authorization: `Bearer ${cp.adminToken}` };
  // One warm-up call fills the TokenReview and SubjectAccessReview caches.
  await run('/api/v1/capacity', auth);
  const baseline = await run('/healthz', {});
  const capacity = await run('/api/v1/capacity', auth);
  const steadyBaseline = await run('/healthz', {}, 20);
  const steady = await run('/api/v1/capacity', auth, 20);
  const responseBytes = Buffer.byteLength(JSON.stringify(backend.capacity.model.snapshot()));
  const rssMb = Math.round(process.memoryUsage().rss / 1048576);
  const body = backend.capacity.model.snapshot();
  await backend.stop();

  const summary = (r: autocannon.Result) => ({
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    // autocannon reports p97.5 and p99; p95 lies between them, so report the upper one as the bound.
    p95BoundMs: r.latency.p97_5,
    p99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  });
  console.log(
    JSON.stringify({
      nodes: nodeCount,
      pods: podCount,
      snapshotNodes: body.nodes.length,
      connections: 8,
      seconds,
      responseBytes,
      saturated: { capacity: summary(capacity), baselineHealthz: summary(baseline) },
      steady20PerSecond: { capacity: summary(steady), baselineHealthz: summary(steadyBaseline) },
      throughputRatioVsHealthz: Number((capacity.requests.average / Math.max(baseline.requests.average, 1)).toFixed(2)),
      targetP95Ms: 50,
      metTarget: steady.latency.p97_5 <= 50 && steady.non2xx === 0 && steady.errors === 0,
      processRssMb: rssMb,
    }),
  );
} finally {
  await cp.stop();
}
