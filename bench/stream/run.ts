// Benchmark: what the live stream (GET /api/v1/events) costs an open page as the cluster grows.
// One real API server (no scheduler: pods are bound by spec.nodeName) grows through the sizes
// asked, each node running 10 pods of which 2 are peer pods; the whole backend runs in its own
// process (TLS, TokenReview and SubjectAccessReview, the model, the SSE route). At each size:
//   - snapshotBytes: the first event, the whole summary (what every update cost before deltas);
//   - onePodChange: the bytes of the event that follows one peer pod changing state (Pending ↔
//     Running on the pods/status subresource), after a quiet second, median and largest of 5;
//   - churn: for --churn-seconds, 20 peer pods a second created or deleted on random nodes, and
//     the bytes per second each open page receives (and what whole summaries would have cost:
//     the same events, each a snapshot), with the backend's CPU.
// Prints one JSON object on stdout; progress and the growth table on stderr.
//
//   npx tsx bench/stream/run.ts [--sizes 50,1000,2000,5000] [--churn-seconds 20] [--pages 2]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeClient } from '../../backend/src/kube/client.ts';
import { peerPod } from '../../backend/src/capacity/test/peer-pods.ts';
import { startControlPlane } from '../../hack/controlplane/controlplane.ts';
import { createPeerPodConfig } from '../../hack/controlplane/fixtures.ts';
import { issueCertificate } from '../../hack/pki.ts';
import {
  BENCH_NAMESPACE,
  BuildTimeout,
  createBenchNamespace,
  growCluster,
  inBatches,
  peerPodsPerNode,
} from '../scale/cluster.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50,1000,2000,5000' },
    'churn-seconds': { type: 'string', default: '20' },
    pages: { type: 'string', default: '2' },
    /** Give up growing the cluster when one size takes longer than this to build (minutes). */
    'max-build-minutes': { type: 'string', default: '30' },
  },
});
const SIZES = values.sizes!.split(',').map(Number);
const CHURN_SECONDS = Number(values['churn-seconds']);
const CHURN_PER_SECOND = 20;
const PAGES = Number(values.pages);
const PODS_PER_NODE = 10;
const PEER_PODS_PER_NODE = peerPodsPerNode(PODS_PER_NODE);
const TARGET_BYTES = 5_000;
const NAMESPACE = BENCH_NAMESPACE;
/** No kubelet confirms a graceful deletion here: a pod deleted without this would stay, terminating. */
const NOW = { gracePeriodSeconds: 0 };
const log = (line: string) => process.stderr.write(`[bench/stream] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** An open page's stream: every event with its size and arrival, and every byte. */
interface Page {
  events: { event: string; bytes: number; at: number }[];
  bytes: { n: number; at: number }[];
  close(): void;
}

function openPage(url: string, token: string): Promise<Page> {
  return new Promise((resolve, reject) => {
    const page: Page = { events: [], bytes: [], close: () => req.destroy() };
    const options: RequestOptions = { rejectUnauthorized: false, headers: { Authorization: `Bearer ${token}` } };
    const req = request(url, options, (res) => {
      if (res.statusCode !== 200) reject(new Error(`GET /events answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        page.bytes.push({ n: Buffer.byteLength(chunk), at });
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          if (event) page.events.push({ event, bytes: Buffer.byteLength(frame), at });
          if (event === 'capacity' && page.events.length === 1) resolve(page);
        }
      });
    });
    req.on('error', (err) => reject(err));
    req.end();
  });
}

/** Resolves once no page has received an event for `quietMs`. */
async function quiet(pages: Page[], quietMs: number): Promise<void> {
  for (;;) {
    const last = Math.max(...pages.map((p) => p.events.at(-1)?.at ?? 0));
    const wait = last + quietMs - performance.now();
    if (wait <= 0) return;
    await sleep(wait);
  }
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

async function startBackend(kubeconfigPath: string, ca: Parameters<typeof issueCertificate>[0]) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-stream-'));
  const serving = await issueCertificate(ca, { commonName: 'bench', ipAddresses: ['127.0.0.1'], usage: 'server' });
  writeFileSync(join(dir, 'tls.crt'), serving.certPem);
  writeFileSync(join(dir, 'tls.key'), serving.keyPem);
  // Its own process, as in production, so the load and the pages do not share its event loop.
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    env: {
      ...process.env,
      KUBECONFIG: kubeconfigPath,
      HOST: '127.0.0.1',
      PORT: '0',
      METRICS_PORT: '0',
      WEBHOOK_PORT: '0',
      TLS_CERT_FILE: join(dir, 'tls.crt'),
      TLS_KEY_FILE: join(dir, 'tls.key'),
      PLUGIN_ASSETS_DIR: '',
      LEADER_ELECTION: 'false',
      // info: the line that names the URL the backend listens on.
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"(https:\/\/[^"]+)"/.exec(out);
      if (match) resolve(match[1]!.replace(/\/$/, ''));
    });
    child.on('exit', (code) => reject(new Error(`backend exited with ${code}`)));
  });
  child.stdout!.resume();
  return { child, url };
}

function getJson(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

const cp = await startControlPlane({ scheduler: false, log });
let backend: ChildProcess | undefined;
const results: Record<string, unknown>[] = [];
let stopped: { atNodes: number; reason: string } | undefined;
try {
  const kc = cp.kubeConfig();
  const client = await KubeClient.create(kc, { maxSockets: 64 });
  await createBenchNamespace(client);
  await createPeerPodConfig(kc, { limit: '10' });
  const started = await startBackend(cp.kubeconfigPath, cp.ca);
  backend = started.child;
  const base = started.url;
  const token = cp.adminToken;

  const createPod = (body: unknown) =>
    client.request({ method: 'POST', path: `/api/v1/namespaces/${NAMESPACE}/pods`, body });

  let nodes = 0;
  for (const size of SIZES) {
    // ---- grow the cluster to `size` nodes, 10 pods each ----
    const buildStart = Date.now();
    try {
      await growCluster(
        kc,
        client,
        { nodes, podsPerNode: PODS_PER_NODE },
        { nodes: size, podsPerNode: PODS_PER_NODE },
        { maxMinutes: Number(values['max-build-minutes']), log },
      );
    } catch (err) {
      const reason =
        err instanceof BuildTimeout
          ? `building ${size} nodes took longer than ${values['max-build-minutes']} minutes`
          : `building ${size} nodes failed: ${(err as Error).message}`;
      stopped = { atNodes: size, reason };
      log(reason);
      break;
    }
    const buildSeconds = Math.round((Date.now() - buildStart) / 1000);
    nodes = size;

    // ---- the backend has seen every node and peer pod ----
    const syncStart = Date.now();
    for (let seen = ''; ; await sleep(1000)) {
      const res = await getJson(`${base}/api/v1/capacity`, token);
      if (res.status === 200) {
        const { totals } = JSON.parse(res.body) as { totals: { nodes: number; used: number } };
        if (totals.nodes === size && totals.used === size * PEER_PODS_PER_NODE) break;
        seen = `${totals.nodes} nodes, ${totals.used} VMs in use`;
      }
      if (Date.now() - syncStart > 300_000) {
        throw new Error(
          `the backend did not see ${size} nodes and ${size * PEER_PODS_PER_NODE} VMs in use within 5 min (${seen || res.status})`,
        );
      }
    }
    log(`backend synced ${Math.round((Date.now() - syncStart) / 1000)} s after the last pod`);

    // ---- open pages: the first event is the whole summary ----
    const pages = await Promise.all(Array.from({ length: PAGES }, () => openPage(`${base}/api/v1/events`, token)));
    const snapshotBytes = pages[0]!.events[0]!.bytes;
    await quiet(pages, 1000);

    // ---- one peer pod changes state ----
    const onePod: number[] = [];
    for (let round = 0; round < 5; round++) {
      const seen = pages[0]!.events.length;
      await client.request({
        method: 'PATCH',
        // A pod of a node added at this size: still Pending, as the API server created it.
        path: `/api/v1/namespaces/${NAMESPACE}/pods/peer-${size - 1 - round}-0/status`,
        contentType: 'application/merge-patch+json',
        body: { status: { phase: 'Running' } },
      });
      for (const deadline = Date.now() + 10_000; pages[0]!.events.length === seen;) {
        if (Date.now() > deadline) throw new Error('no event followed a pod changing state within 10 s');
        await sleep(10);
      }
      await quiet(pages, 1000);
      // Everything the change caused (normally one delta).
      onePod.push(pages[0]!.events.slice(seen).reduce((sum, e) => sum + e.bytes, 0));
    }
    log(`one pod changing state: ${median(onePod)} bytes (snapshot ${snapshotBytes})`);

    // ---- steady churn: 20 peer pods a second created or deleted ----
    /** Churned pods the API server has created and nobody deletes yet. */
    const alive: string[] = [];
    const inFlight: Promise<unknown>[] = [];
    let serial = 0;
    const cpuBefore = cpuMs(backend.pid!);
    const eventsBefore = pages.map((p) => p.events.length);
    const churnStart = performance.now();
    const churnEnd = churnStart + CHURN_SECONDS * 1000;
    for (let op = 0; performance.now() < churnEnd; op++) {
      const due = churnStart + (op * 1000) / CHURN_PER_SECOND;
      if (due > performance.now()) await sleep(due - performance.now());
      if (alive.length > 0 && (op % 2 === 1 || alive.length > 200)) {
        const name = alive.splice(Math.floor(Math.random() * alive.length), 1)[0]!;
        inFlight.push(
          client.request({ method: 'DELETE', path: `/api/v1/namespaces/${NAMESPACE}/pods/${name}`, query: NOW }),
        );
      } else {
        const name = `churn-${size}-${serial++}`;
        const nodeName = `bench-${Math.floor(Math.random() * size)}`;
        inFlight.push(createPod(peerPod(name, NAMESPACE, { vms: 1, nodeName })).then(() => alive.push(name)));
      }
    }
    await Promise.all(inFlight);
    await sleep(1000);
    const windowMs = performance.now() - churnStart;
    const cpu = cpuMs(backend.pid!) - cpuBefore;
    const perPage = pages.map((p, i) => {
      const bytes = p.bytes.filter((b) => b.at >= churnStart).reduce((sum, b) => sum + b.n, 0);
      const events = p.events.length - eventsBefore[i]!;
      return { bytesPerSecond: Math.round((bytes * 1000) / windowMs), eventsPerSecond: (events * 1000) / windowMs };
    });
    const bytesPerSecond = Math.round(perPage.reduce((s, p) => s + p.bytesPerSecond, 0) / pages.length);
    const eventsPerSecond = Number((perPage.reduce((s, p) => s + p.eventsPerSecond, 0) / pages.length).toFixed(2));
    for (const page of pages) page.close();
    // Leave the churned pods out of the next size's counts.
    await inBatches(alive, 16, async (name) => {
      await client.request({ method: 'DELETE', path: `/api/v1/namespaces/${NAMESPACE}/pods/${name}`, query: NOW });
    });
    log(
      `churn: ${bytesPerSecond} B/s per page, ${eventsPerSecond} events/s; backend CPU ${Math.round(cpu / (windowMs / 1000))} ms/s`,
    );

    results.push({
      nodes: size,
      pods: size * PODS_PER_NODE,
      peerPods: size * PEER_PODS_PER_NODE,
      buildSeconds,
      snapshotBytes,
      onePodChange: { medianBytes: median(onePod), maxBytes: Math.max(...onePod), rounds: onePod },
      churn: {
        podsPerSecond: CHURN_PER_SECOND,
        seconds: CHURN_SECONDS,
        pages: PAGES,
        bytesPerSecondPerPage: bytesPerSecond,
        eventsPerSecond,
        // What the stream sent before deltas: each of those events a whole summary.
        wholeSummariesBytesPerSecond: Math.round(eventsPerSecond * snapshotBytes),
        backendCpuMsPerSecond: Math.round(cpu / (windowMs / 1000)),
      },
      backendRssMb: rssMb(backend.pid!),
      metTarget: Math.max(...onePod) <= TARGET_BYTES,
    });
  }
} finally {
  backend?.kill('SIGTERM');
  await cp.stop();
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const rows = results.map((r) => {
  const one = r.onePodChange as { medianBytes: number; maxBytes: number };
  const churn = r.churn as {
    bytesPerSecondPerPage: number;
    wholeSummariesBytesPerSecond: number;
    eventsPerSecond: number;
  };
  return [
    String(r.nodes),
    kb(r.snapshotBytes as number),
    `${one.medianBytes} B (max ${one.maxBytes})`,
    `${kb(churn.bytesPerSecondPerPage)}/s`,
    `${kb(churn.wholeSummariesBytesPerSecond)}/s`,
    String(churn.eventsPerSecond),
  ];
});
const header = ['nodes', 'summary', 'one pod changes', 'churn per page', 'as summaries', 'events/s'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
log(`growth:\n${[line(header), ...rows.map(line)].join('\n')}`);

console.log(
  JSON.stringify({
    sizes: results,
    targetBytesPerPodChange: TARGET_BYTES,
    metTarget: results.length === SIZES.length && results.every((r) => r.metTarget),
    ...(stopped ? { stopped } : {}),
  }),
);
