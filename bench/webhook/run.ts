// Benchmark of the peer-pods webhook; prints one JSON object.
//   npx tsx bench/webhook/run.ts            (about 3 minutes)
//   BENCH_SKIP_APISERVER=1 npx tsx bench/webhook/run.ts   (HTTPS part only, about 1.5 minutes)
//
// 1. Throughput: autocannon (in this process), HTTPS keep-alive, 16 connections, a peer pod of
//    3 containers and 1 init container, against a minimal node:https server answering a constant
//    AdmissionReview and against the webhook, each server in its own child process. Both are
//    warmed up, then measured in interleaved pairs of short rounds (the order alternating from
//    pair to pair); the ratio is the median pair's: other work on a shared machine hits both
//    sides of a pair alike, and the median ignores the pairs it hit hardest. The servers' CPU
//    time per request is reported too. Target: webhook ≥ 0.6 × baseline.
// 2. Latency at a steady 1,000 req/s: autocannon overallRate, and a paced open-loop generator
//    (paced.ts explains why both). Target: webhook p99 ≤ 5 ms.
// 3. Pod creation through a real kube-apiserver, with the webhook called vs in a namespace the
//    webhook's namespaceSelector excludes — same API server, creates interleaved in rounds, the
//    order rotating; after a warm-up, blocks of rounds each give a p50 ratio, and the median
//    block's is the figure. Target ≤ 1.3×. A third namespace goes to a reference webhook (a
//    minimal server answering the same patch), to show what making this change through any
//    webhook costs the API server, and how much of it is the webhook's own.

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AdmissionregistrationV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { startControlPlane } from '../../hack/controlplane/controlplane.ts';
import { createCertificateAuthority, issueCertificate } from '../../hack/pki.ts';
import {
  DEFAULT_EXTENDED_RESOURCE,
  DEFAULT_TARGET_RUNTIME_CLASS,
  VCPUS_ANNOTATION,
  mutatePod,
  type PodJson,
} from '../../backend/src/webhook/mutate.ts';
import { NamespaceMatcher, reviewAdmission } from '../../backend/src/webhook/review.ts';
import { DEFAULT_EXCLUDED_NAMESPACES } from '../../backend/src/webhook/server.ts';
import { admissionReview, peerPodWithSidecars } from '../../backend/src/webhook/test/fixtures.ts';
import { DEFAULT_WEBHOOK_NAME, renderWebhookConfiguration } from '../../backend/src/webhook/webhook-configuration.ts';
import { pacedLatency } from './paced.ts';
import type { CpuTime, ServerReady, StartMessage } from './servers.ts';

// autocannon ships no types; these are the parts used here.
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  expectBody?: string;
  overallRate?: number;
}
interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p99_9?: number;
  max: number;
  total: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: AutocannonOptions,
) => Promise<AutocannonResult>;

const CONNECTIONS = 16;
const WARMUP_SECONDS = 3;
const ROUND_SECONDS = 2;
const PAIRS = 15;
const STEADY_RATE = 1_000;
const STEADY_SECONDS = 8;
const POD_WARMUP_ROUNDS = 40;
const POD_BLOCKS = 7;
const POD_ROUNDS_PER_BLOCK = 40;

const round2 = (value: number) => Math.round(value * 100) / 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : round2((sorted[middle - 1]! + sorted[middle]!) / 2);
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const loadAtStart = loadavg().map(round2);
  const review = JSON.stringify(admissionReview(peerPodWithSidecars(), { uid: 'bench-uid-0001' }));
  const expected = reviewAdmission(review, {
    targetRuntimeClass: DEFAULT_TARGET_RUNTIME_CLASS,
    extendedResource: DEFAULT_EXTENDED_RESOURCE,
    excludedNamespaces: new NamespaceMatcher(DEFAULT_EXCLUDED_NAMESPACES),
  });
  if (expected.httpStatus !== 200 || expected.outcome !== 'mutated') {
    throw new Error('the benchmark pod is not mutated');
  }

  const ca = await createCertificateAuthority('peer-pods-bench-ca');
  const serving = await issueCertificate(ca, {
    commonName: 'bench',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  const dir = mkdtempSync(join(tmpdir(), 'peerpods-bench-'));
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  writeFileSync(certFile, serving.certPem);
  writeFileSync(keyFile, serving.keyPem);

  const start = async (kind: StartMessage['kind'], patch?: string) => {
    const child = fork(fileURLToPath(new URL('./servers.ts', import.meta.url)), [], {
      // BENCH_SERVER_NODE_ARGS: extra node flags for both servers, e.g. "--cpu-prof" or "--trace-gc".
      execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)],
      stdio: 'inherit',
    });
    const { port } = await new Promise<ServerReady>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ServerReady));
      child.once('exit', (code) => reject(new Error(`the ${kind} server process exited with code ${code}`)));
      const message: StartMessage = {
        kind,
        certFile,
        keyFile,
        certPem: serving.certPem,
        keyPem: serving.keyPem,
        constantResponse: expected.body,
        ...(patch === undefined ? {} : { patch }),
      };
      child.send(message);
    });
    const cpuMicros = () =>
      new Promise<number>((resolve) => {
        child.once('message', (message) => resolve((message as CpuTime).cpuMicros));
        child.send('cpu');
      });
    return { port, cpuMicros, stop: () => child.disconnect() };
  };
  const servers = { baseline: await start('baseline'), webhook: await start('webhook') };
  const ports = { baselinePort: servers.baseline.port, webhookPort: servers.webhook.port };

  try {
    const load = (port: number, duration: number, overallRate?: number) =>
      autocannon({
        url: `https://127.0.0.1:${port}/mutate-v1-pod?timeout=10s`,
        connections: CONNECTIONS,
        duration,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: review,
        expectBody: expected.body,
        ...(overallRate ? { overallRate } : {}),
      });
    const failures = (result: AutocannonResult) => result.errors + result.timeouts + result.non2xx + result.mismatches;

    type Server = (typeof servers)['baseline'];
    const measured = async (server: Server) => {
      const before = await server.cpuMicros();
      const result = await load(server.port, ROUND_SECONDS);
      return { result, serverCpuMicros: (await server.cpuMicros()) - before };
    };

    await load(ports.baselinePort, WARMUP_SECONDS);
    await load(ports.webhookPort, WARMUP_SECONDS);
    const pairs: { baseline: Awaited<ReturnType<typeof measured>>; webhook: Awaited<ReturnType<typeof measured>> }[] =
      [];
    for (let pair = 0; pair < PAIRS; pair++) {
      // Alternate which goes first, so a trend in the machine's load favours neither.
      if (pair % 2 === 0) {
        const baselineRound = await measured(servers.baseline);
        pairs.push({ baseline: baselineRound, webhook: await measured(servers.webhook) });
      } else {
        const webhookRound = await measured(servers.webhook);
        pairs.push({ baseline: await measured(servers.baseline), webhook: webhookRound });
      }
    }
    const perSecond = (round: { result: AutocannonResult }) => round.result.requests.total / round.result.duration;
    const summarize = (rounds: { result: AutocannonResult; serverCpuMicros: number }[]) => {
      const requests = rounds.reduce((sum, r) => sum + r.result.requests.total, 0);
      return {
        requestsPerSecond: Math.round(requests / rounds.reduce((sum, r) => sum + r.result.duration, 0)),
        perRound: rounds.map((r) => Math.round(perSecond(r))),
        latencyP50Ms: median(rounds.map((r) => r.result.latency.p50)),
        latencyP99Ms: median(rounds.map((r) => r.result.latency.p99)),
        serverCpuMicrosPerRequest: round2(rounds.reduce((sum, r) => sum + r.serverCpuMicros, 0) / requests),
        serverCpuMicrosPerRequestMedianRound: median(
          rounds.map((r) => round2(r.serverCpuMicros / r.result.requests.total)),
        ),
        failedRequests: rounds.reduce((sum, r) => sum + failures(r.result), 0),
      };
    };
    const baseline = summarize(pairs.map((p) => p.baseline));
    const webhook = summarize(pairs.map((p) => p.webhook));
    const pairRatios = pairs.map((p) => round2(perSecond(p.webhook) / perSecond(p.baseline)));
    const ratio = median(pairRatios);
    const cpuPerRequest = (round: { result: AutocannonResult; serverCpuMicros: number }) =>
      round.serverCpuMicros / round.result.requests.total;
    // The same comparison in server CPU time per request: less sensitive to the load generator.
    const cpuRatio = median(pairs.map((p) => round2(cpuPerRequest(p.baseline) / cpuPerRequest(p.webhook))));

    const steadyBaseline = await load(ports.baselinePort, STEADY_SECONDS, STEADY_RATE);
    const steadyWebhook = await load(ports.webhookPort, STEADY_SECONDS, STEADY_RATE);
    const steady = (result: AutocannonResult) => ({
      achievedRequestsPerSecond: Math.round(result.requests.total / result.duration),
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      latencyMaxMs: result.latency.max,
      failedRequests: failures(result),
    });
    const paced = (port: number) =>
      pacedLatency({
        port,
        path: '/mutate-v1-pod?timeout=10s',
        body: review,
        rate: STEADY_RATE,
        seconds: STEADY_SECONDS,
        connections: CONNECTIONS,
      });
    const pacedBaseline = await paced(ports.baselinePort);
    const pacedWebhook = await paced(ports.webhookPort);

    const apiServer = process.env.BENCH_SKIP_APISERVER
      ? { skipped: 'BENCH_SKIP_APISERVER is set' }
      : await podCreateLatency(ports.webhookPort, ca.certPem, servers.webhook.cpuMicros, (patch) =>
          start('reference', patch),
        );

    const result = {
      benchmark: 'peer-pods webhook',
      machine: { cpus: cpus().length, node: process.version, loadAverageAtStart: loadAtStart },
      workload: {
        pod: '3 containers + 1 init container, runtimeClassName kata-remote',
        requestBytes: Buffer.byteLength(review),
        responseBytes: Buffer.byteLength(expected.body),
        connections: CONNECTIONS,
        transport: 'HTTPS keep-alive (TLS 1.3), autocannon in the parent process, each server in its own child process',
      },
      throughput: {
        pairs: PAIRS,
        secondsPerRound: ROUND_SECONDS,
        baseline,
        webhook,
        pairRatios,
        ratio,
        ratioOfTotals: round2(webhook.requestsPerSecond / baseline.requestsPerSecond),
        cpuRatio,
        target: 'median pair ratio >= 0.6',
        met: ratio >= 0.6,
      },
      steadyRate: {
        rate: STEADY_RATE,
        seconds: STEADY_SECONDS,
        autocannonOverallRate: {
          note: 'per-connection quota sent in a burst at the start of each second; latencies coordinated-omission corrected with a 1 ms interval',
          baseline: steady(steadyBaseline),
          webhook: steady(steadyWebhook),
        },
        paced: {
          note: 'one request due every 1 ms on 16 keep-alive connections; latency from the instant it was due (fromDueMs, includes the generator timer lateness) and from its release by the generator (fromReleaseMs)',
          baseline: pacedBaseline,
          webhook: pacedWebhook,
        },
        target: 'webhook p99 <= 5 ms',
        met: {
          autocannonOverallRate: steadyWebhook.latency.p99 <= 5,
          pacedFromDue: pacedWebhook.fromDueMs.p99 <= 5,
          pacedFromRelease: pacedWebhook.fromReleaseMs.p99 <= 5,
        },
      },
      apiServer,
      totalSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    servers.baseline.stop();
    servers.webhook.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** GET over HTTPS trusting `ca`; the body as text. */
function getText(url: string, ca: string, token?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { ca, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Sum and count of a histogram series in Prometheus text, selected by a label substring. */
function histogramTotals(text: string, metric: string, labels: string): { sum: number; count: number } {
  const read = (suffix: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${metric}_${suffix}{`) && line.includes(labels))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return { sum: read('sum'), count: read('count') };
}

/**
 * Pod-create latency through a real kube-apiserver: with the webhook in the path, without any
 * webhook, and with the reference webhook (servers.ts: a minimal server answering the same patch).
 */
async function podCreateLatency(
  webhookPort: number,
  caPem: string,
  webhookCpuMicros: () => Promise<number>,
  startReference: (patch: string) => Promise<{ port: number; stop(): void }>,
) {
  const controlPlane = await startControlPlane({ scheduler: false });
  let reference: { port: number; stop(): void } | undefined;
  try {
    const kubeConfig = controlPlane.kubeConfig();
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const withWebhook = 'bench-with-webhook';
    const withoutWebhook = 'bench-without-webhook';
    const withReference = 'bench-with-reference';
    const variants = [withWebhook, withoutWebhook, withReference] as const;
    type Variant = (typeof variants)[number];
    for (const name of variants) await core.createNamespace({ body: { metadata: { name } } });

    let counter = 0;
    const pod = (namespace: string): V1Pod => {
      const body = peerPodWithSidecars() as V1Pod;
      body.metadata = { name: `bench-${counter++}`, namespace };
      delete body.status;
      return body;
    };
    // Every pod is the same, so the reference answers every review with the patch the webhook computes.
    const sample = mutatePod(pod(withReference) as PodJson, {
      targetRuntimeClass: DEFAULT_TARGET_RUNTIME_CLASS,
      extendedResource: DEFAULT_EXTENDED_RESOURCE,
    });
    if (sample.outcome !== 'mutated') throw new Error('the benchmark pod is not mutated');
    reference = await startReference(Buffer.from(sample.patchJson).toString('base64'));

    const admission = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
    await admission.createMutatingWebhookConfiguration({
      body: renderWebhookConfiguration({
        target: { url: `https://127.0.0.1:${webhookPort}` },
        caBundlePem: caPem,
        additionalExcludedNamespaces: [withoutWebhook, withReference],
      }),
    });
    await admission.createMutatingWebhookConfiguration({
      body: renderWebhookConfiguration({
        name: 'bench-reference-webhook',
        webhookName: 'reference.bench.peerpods.io',
        target: { url: `https://127.0.0.1:${reference.port}` },
        caBundlePem: caPem,
        additionalExcludedNamespaces: [withWebhook, withoutWebhook],
      }),
    });

    const create = async (namespace: Variant) => {
      const started = performance.now();
      const created = await core.createNamespacedPod({ namespace, body: pod(namespace) });
      return {
        ms: performance.now() - started,
        mutated: created.metadata?.annotations?.[VCPUS_ANNOTATION] !== undefined,
        stored: created,
      };
    };
    // Wait for the API server to load both configurations; the two webhooks must store the same pod.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [ours, theirs] = [await create(withWebhook), await create(withReference)];
      if (ours.mutated && theirs.mutated) {
        const essentials = (stored: V1Pod) =>
          JSON.stringify([stored.metadata?.annotations, stored.spec?.containers, stored.spec?.initContainers]);
        if (essentials(ours.stored) !== essentials(theirs.stored)) {
          throw new Error('the reference webhook stores a different pod than the webhook');
        }
        break;
      }
      if (Date.now() > deadline) throw new Error('the API server never called the webhooks');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // One round: each variant once, the order rotating so that drift on the shared machine hits all.
    let roundCount = 0;
    const round = async () => {
      const start = roundCount++ % variants.length;
      const result = {} as Record<Variant, { ms: number; mutated: boolean }>;
      for (let i = 0; i < variants.length; i++) {
        const namespace = variants[(start + i) % variants.length]!;
        result[namespace] = await create(namespace);
      }
      return result;
    };
    // Warm-up: the API server's webhook clients, their CEL match conditions and every code path.
    for (let i = 0; i < POD_WARMUP_ROUNDS; i++) await round();

    // Where a webhook call's time goes: the API server's own measure of each call, and the
    // webhook's measure of its handling (headers received to answer sent), over the measured rounds.
    const callTimes = async () => ({
      apiServer: histogramTotals(
        await getText(`${controlPlane.server}/metrics`, controlPlane.caCertPem, controlPlane.adminToken),
        'apiserver_admission_webhook_admission_duration_seconds',
        `name="${DEFAULT_WEBHOOK_NAME}"`,
      ),
      webhook: histogramTotals(
        await getText(`https://127.0.0.1:${webhookPort}/metrics`, caPem),
        'peerpods_webhook_admission_duration_seconds',
        'outcome="mutated"',
      ),
    });
    const callsBefore = await callTimes();
    const cpuBefore = await webhookCpuMicros();

    const times: Record<Variant, number[]> = { [withWebhook]: [], [withoutWebhook]: [], [withReference]: [] };
    const blockRatios = { webhook: [] as number[], reference: [] as number[], webhookToReference: [] as number[] };
    let wrongMutations = 0;
    const p50 = (values: number[]) =>
      percentile(
        [...values].sort((x, y) => x - y),
        0.5,
      );
    for (let block = 0; block < POD_BLOCKS; block++) {
      const blockTimes: Record<Variant, number[]> = { [withWebhook]: [], [withoutWebhook]: [], [withReference]: [] };
      for (let i = 0; i < POD_ROUNDS_PER_BLOCK; i++) {
        const result = await round();
        for (const variant of variants) {
          blockTimes[variant].push(result[variant].ms);
          if (result[variant].mutated !== (variant !== withoutWebhook)) wrongMutations++;
        }
      }
      blockRatios.webhook.push(round2(p50(blockTimes[withWebhook]) / p50(blockTimes[withoutWebhook])));
      blockRatios.reference.push(round2(p50(blockTimes[withReference]) / p50(blockTimes[withoutWebhook])));
      blockRatios.webhookToReference.push(round2(p50(blockTimes[withWebhook]) / p50(blockTimes[withReference])));
      for (const variant of variants) times[variant].push(...blockTimes[variant]);
    }
    const cpuAfter = await webhookCpuMicros();
    const callsAfter = await callTimes();
    const meanMs = (key: 'apiServer' | 'webhook') =>
      round2(((callsAfter[key].sum - callsBefore[key].sum) / (callsAfter[key].count - callsBefore[key].count)) * 1000);
    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        p50Ms: round2(percentile(sorted, 0.5)),
        p99Ms: round2(percentile(sorted, 0.99)),
        meanMs: round2(values.reduce((sum, v) => sum + v, 0) / values.length),
      };
    };
    const withStats = stats(times[withWebhook]);
    const withoutStats = stats(times[withoutWebhook]);
    const ratio = median(blockRatios.webhook);
    return {
      podsPerVariant: times[withWebhook].length,
      warmupRounds: POD_WARMUP_ROUNDS,
      client: '@kubernetes/client-node createNamespacedPod, sequential, stored (not dry-run)',
      withWebhook: withStats,
      withoutWebhook: withoutStats,
      withReferenceWebhook: stats(times[withReference]),
      wronglyMutated: wrongMutations,
      webhookCall: {
        note: 'mean per call over the measured rounds: as the API server times it (admission webhook metric), the part spent in the webhook from request headers to answer (wall clock), and the webhook process CPU time per call',
        apiServerMeanMs: meanMs('apiServer'),
        inWebhookMeanMs: meanMs('webhook'),
        webhookProcessCpuMsPerCall: round2(
          (cpuAfter - cpuBefore) / 1000 / (callsAfter.webhook.count - callsBefore.webhook.count),
        ),
      },
      blockRatiosP50: blockRatios.webhook,
      ratio,
      ratioP50: round2(withStats.p50Ms / withoutStats.p50Ms),
      ratioMean: round2(withStats.meanMs / withoutStats.meanMs),
      reference: {
        note: 'the same creates through the reference webhook (a minimal server answering the same patch): what making this change through any webhook costs',
        ratio: median(blockRatios.reference),
        blockRatiosP50: blockRatios.reference,
        webhookToReferenceRatio: median(blockRatios.webhookToReference),
      },
      target: '<= 1.3 (median over blocks of the p50 ratio, with vs without the webhook)',
      met: ratio <= 1.3,
    };
  } finally {
    reference?.stop();
    await controlPlane.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
