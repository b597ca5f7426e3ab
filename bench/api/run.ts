// Benchmark: GET /api/v1/capacity through the whole backend (TLS, bearer token, TokenReview and
// SubjectAccessReview — cached after the first call — and the capacity model) with 1,000 nodes and
// 10,000 peer pods on a real API server. Baseline in the same run: /healthz on the same server,
// which pays TLS and Express but no auth and no model. Prints one JSON object.
//
//   npx tsx bench/api/run.ts [--nodes 1000] [--pods 10000] [--seconds 15]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { startControlPlane } from '../../hack/controlplane/controlplane.ts';
import {
  createPeerPodConfig,
  createWorkerNodes,
  PEERPOD_RESOURCE,
  RUNTIME_CLASS,
} from '../../hack/controlplane/fixtures.ts';
import { issueCertificate } from '../../hack/pki.ts';
import { measureCapacityReads } from './capacity-reads.ts';

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
  // The backend runs as its own process, as in production, so the load generator does not
  // share its event loop.
  const backendProcess = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    env: {
      ...process.env,
      KUBECONFIG: cp.kubeconfigPath,
      HOST: '127.0.0.1',
      PORT: '0',
      METRICS_PORT: '0',
      TLS_CERT_FILE: join(dir, 'tls.crt'),
      TLS_KEY_FILE: join(dir, 'tls.key'),
      PLUGIN_ASSETS_DIR: '',
      LEADER_ELECTION: 'false',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const backendUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    backendProcess.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"(https:\/\/[^"]+)"/.exec(out);
      if (match) resolve(match[1]!);
    });
    backendProcess.on('exit', (code) => reject(new Error(`backend exited with ${code}`)));
  });
  backendProcess.stdout!.resume();
  const backendRss = () => {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${backendProcess.pid}/status`, 'utf8'));
    return Math.round(Number(match?.[1] ?? 0) / 1024);
  };
  const { request } = await import('node:https');
  const getJson = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request(
        `${backendUrl}${path}`,
        { rejectUnauthorized: false, headers: { Authorization: `Bearer ${cp.adminToken}` } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      )
        .on('error', reject)
        .end();
    });
  started = Date.now();
  let summaryBody = '';
  for (;;) {
    const res = await getJson('api/v1/capacity');
    if (res.status === 200 && (JSON.parse(res.body) as { totals: { used: number } }).totals.used >= podCount) {
      summaryBody = res.body;
      break;
    }
    if (Date.now() - started > 120_000) throw new Error('the capacity model did not see every pod within 120 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`model synced (${podCount} VMs in use) ${Date.now() - started} ms after start`);

  const reads = await measureCapacityReads(backendUrl.replace(/\/$/, ''), cp.adminToken, seconds);
  const responseBytes = Buffer.byteLength(summaryBody);
  const snapshotNodes = (JSON.parse(summaryBody) as { nodes: unknown[] }).nodes.length;
  const rssMb = backendRss();
  backendProcess.kill('SIGTERM');

  console.log(
    JSON.stringify({
      nodes: nodeCount,
      pods: podCount,
      snapshotNodes,
      responseBytes,
      ...reads,
      backendRssMb: rssMb,
    }),
  );
} finally {
  await cp.stop();
}
