// Benchmark of the peer-pods webhook; prints one JSON object.
//   npx tsx bench/webhook/run.ts                   (about 3 minutes)
//   npx tsx bench/webhook/run.ts --quick           (fewer rounds, for checking the script: about 1.5 minutes)
//   npx tsx bench/webhook/run.ts --skip-apiserver  (HTTPS part only; BENCH_SKIP_APISERVER=1 does the same)
//
// 1. Throughput: autocannon (in this process), HTTPS keep-alive, 16 connections, a peer pod of
//    3 containers and 1 init container as OpenShift's own admission leaves it (4.7 KB, the pod the
//    reference webhook's README measures with), against the webhook, the upstream Go webhook
//    (../shared/reference-webhook/, when it is there; upstream.ts) and a minimal node:https server
//    answering a constant AdmissionReview, each server in its own process. All are warmed up, then
//    measured in sets of short rounds, one round per server, the order rotating from set to set;
//    each figure is the median set's: other work on a shared machine hits every side of a set
//    alike, and the median ignores the sets it hit hardest. CPU per admission is each server
//    process's CPU time over a round divided by the requests it answered. Targets: throughput
//    >= 3x the upstream webhook's, CPU per admission <= 1/3 of its. The ratio to the constant
//    answer is information only.
// 2. Latency at a steady 1,000 req/s: autocannon overallRate, and a paced open-loop generator
//    (paced.ts explains why both). Target: webhook p99 <= 5 ms.
// 3. Pod creation through a real kube-apiserver, with the webhook called vs in a namespace every
//    webhook configuration's namespaceSelector excludes — same API server, creates interleaved in
//    rounds, the order rotating; after a warm-up, blocks of rounds each give a p50 ratio, and the
//    median block's is the figure. Target <= 1.3x. The webhook is registered twice: as the issue
//    and upstream specify (namespaceSelector only), and as the product does by default (plus a CEL
//    match condition on the runtime class, which spares every other pod the call); ordinary pods
//    show what that condition saves them. A minimal reference webhook (a node:https server
//    answering the same patch, registered like the default) shows what making this change through
//    any webhook costs the API server; the webhook must equal it within noise, where the noise is
//    the interquartile range of the block ratios: |median block ratio - 1| <= that range.

import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  type V1MutatingWebhookConfiguration,
  type V1Pod,
} from '@kubernetes/client-node';
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
import { admissionReview, openShiftPeerPod, peerPodWithSidecars } from '../../backend/src/webhook/test/fixtures.ts';
import { DEFAULT_WEBHOOK_NAME, renderWebhookConfiguration } from '../../backend/src/webhook/webhook-configuration.ts';
import { pacedLatency } from './paced.ts';
import type { CpuTime, MetricsText, ServerReady, StartMessage } from './servers.ts';
import { REFERENCE_DIR, referenceBinary, startUpstreamWebhook, type UpstreamWebhook } from './upstream.ts';

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
  '2xx': number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: AutocannonOptions,
) => Promise<AutocannonResult>;

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, 'skip-apiserver': { type: 'boolean', default: false } },
});
const QUICK = flags.quick;
const SKIP_APISERVER = flags['skip-apiserver'] || Boolean(process.env.BENCH_SKIP_APISERVER);

const CONNECTIONS = 16;
const WARMUP_SECONDS = QUICK ? 2 : 3;
const ROUND_SECONDS = 2;
const SETS = QUICK ? 5 : 15;
const STEADY_RATE = 1_000;
const STEADY_SECONDS = QUICK ? 3 : 8;
const POD_WARMUP_ROUNDS = QUICK ? 15 : 40;
const POD_BLOCKS = QUICK ? 3 : 7;
const POD_ROUNDS_PER_BLOCK = QUICK ? 15 : 40;

const THROUGHPUT_VS_REFERENCE_TARGET = 3;
const CPU_VS_REFERENCE_TARGET = 0.33;
const POD_CREATE_TARGET = 1.3;

const round2 = (value: number) => Math.round(value * 100) / 100;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** The 25th to 75th percentile distance, interpolating between values (as numpy's default does). */
function interquartileRange(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number) => {
    const position = fraction * (sorted.length - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, sorted.length - 1);
    return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
  };
  return at(0.75) - at(0.25);
}

/** One server under load: where it listens, its process's CPU time so far, the answer it must give. */
interface Side {
  name: 'baseline' | 'webhook' | 'upstream';
  port: number;
  cpuMicros(): Promise<number>;
  /** every answer must be exactly this; the upstream's answer differs from ours, so only its status is checked */
  expectBody?: string;
}

interface Round {
  result: AutocannonResult;
  serverCpuMicros: number;
}

const failures = (result: AutocannonResult) => result.errors + result.timeouts + result.non2xx + result.mismatches;
const answeredPerSecond = (round: Round) => round.result['2xx'] / round.result.duration;
const cpuMicrosPerAnswer = (round: Round) => round.serverCpuMicros / round.result['2xx'];

function summarize(rounds: Round[]) {
  const answered = rounds.reduce((sum, r) => sum + r.result['2xx'], 0);
  return {
    requestsPerSecond: Math.round(answered / rounds.reduce((sum, r) => sum + r.result.duration, 0)),
    perRound: rounds.map((r) => Math.round(answeredPerSecond(r))),
    latencyP50Ms: median(rounds.map((r) => r.result.latency.p50)),
    latencyP99Ms: median(rounds.map((r) => r.result.latency.p99)),
    serverCpuMicrosPerRequest: round2(rounds.reduce((sum, r) => sum + r.serverCpuMicros, 0) / answered),
    serverCpuMicrosPerRequestMedianRound: round2(median(rounds.map(cpuMicrosPerAnswer))),
    failedRequests: rounds.reduce((sum, r) => sum + failures(r.result), 0),
  };
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const loadAtStart = loadavg().map(round2);
  const review = JSON.stringify(admissionReview(openShiftPeerPod(), { uid: 'bench-uid-0001' }));
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
    const metrics = () =>
      new Promise<string>((resolve) => {
        child.once('message', (message) => resolve((message as MetricsText).metrics));
        child.send('metrics');
      });
    return { port, cpuMicros, metrics, stop: () => child.disconnect() };
  };
  const servers = { baseline: await start('baseline'), webhook: await start('webhook') };

  const binary = referenceBinary();
  let upstream: (UpstreamWebhook & { decompressedWith: string }) | undefined;
  if ('path' in binary) {
    console.error(`[bench] upstream webhook ${binary.path} (${binary.decompressedWith})`);
    const upstreamDir = join(dir, 'upstream');
    mkdirSync(upstreamDir);
    upstream = {
      ...(await startUpstreamWebhook({
        binary: binary.path,
        dir: upstreamDir,
        certPem: serving.certPem,
        keyPem: serving.keyPem,
        review,
      })),
      decompressedWith: binary.decompressedWith,
    };
  } else {
    console.error(`[bench] no upstream webhook: ${binary.skipped}`);
  }

  try {
    const load = (side: Pick<Side, 'port' | 'expectBody'>, duration: number, overallRate?: number) =>
      autocannon({
        url: `https://127.0.0.1:${side.port}/mutate-v1-pod?timeout=10s`,
        connections: CONNECTIONS,
        duration,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: review,
        ...(side.expectBody === undefined ? {} : { expectBody: side.expectBody }),
        ...(overallRate ? { overallRate } : {}),
      });
    const sides: Side[] = [
      {
        name: 'baseline',
        port: servers.baseline.port,
        cpuMicros: servers.baseline.cpuMicros,
        expectBody: expected.body,
      },
      { name: 'webhook', port: servers.webhook.port, cpuMicros: servers.webhook.cpuMicros, expectBody: expected.body },
    ];
    if (upstream) {
      const { port, cpuMicros } = upstream;
      sides.push({ name: 'upstream', port, cpuMicros: () => Promise.resolve(cpuMicros()) });
    }
    const throughput = await throughputSets(sides, load);
    const steadyRate = await steadyLatency(sides, load, review);

    const apiServer = SKIP_APISERVER
      ? { skipped: '--skip-apiserver or BENCH_SKIP_APISERVER is set' }
      : await podCreateLatency(
          servers.webhook.port,
          ca.certPem,
          servers.webhook.cpuMicros,
          servers.webhook.metrics,
          (patch) => start('reference', patch),
        );

    const result = {
      benchmark: 'peer-pods webhook',
      machine: {
        cpus: cpus().length,
        node: process.version,
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadavg().map(round2),
      },
      workload: {
        pod: 'openShiftPeerPod(): 3 containers + 1 init container, runtimeClassName kata-remote, as OpenShift admission leaves it (SCC security contexts, service-account token volume, env, probe); the size the reference README measures with',
        requestBytes: Buffer.byteLength(review),
        responseBytes: Buffer.byteLength(expected.body),
        connections: CONNECTIONS,
        transport: 'HTTPS keep-alive (TLS 1.3), autocannon in the parent process, each server in its own process',
        quick: QUICK,
      },
      reference: upstream
        ? {
            what: 'the upstream Go webhook (cloud-api-adaptor src/webhook), ../shared/reference-webhook/README.md',
            binary: binary,
            stderr: 'a file in the run’s temporary directory (not a pipe); deleted afterwards',
            responseBytes: Buffer.byteLength(upstream.sampleAnswer),
          }
        : { skipped: 'skipped' in binary ? binary.skipped : 'not started' },
      targets: targets(throughput.vsReference, apiServer),
      throughput: throughput.report,
      steadyRate,
      apiServer,
      totalSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    servers.baseline.stop();
    servers.webhook.stop();
    await upstream?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Load = (
  side: Pick<Side, 'port' | 'expectBody'>,
  duration: number,
  overallRate?: number,
) => Promise<AutocannonResult>;

/**
 * Rounds of saturating load, one per server in each set, the order rotating from set to set so
 * that a trend in the machine's load favours none.
 */
async function throughputSets(sides: Side[], load: Load) {
  const measured = async (side: Side): Promise<Round> => {
    const before = await side.cpuMicros();
    const result = await load(side, ROUND_SECONDS);
    return { result, serverCpuMicros: (await side.cpuMicros()) - before };
  };
  for (const side of sides) await load(side, WARMUP_SECONDS);
  const sets: Partial<Record<Side['name'], Round>>[] = [];
  for (let set = 0; set < SETS; set++) {
    const rounds: Partial<Record<Side['name'], Round>> = {};
    for (let i = 0; i < sides.length; i++) {
      const side = sides[(set + i) % sides.length]!;
      rounds[side.name] = await measured(side);
    }
    sets.push(rounds);
  }
  const roundsOf = (name: Side['name']) => sets.map((set) => set[name]!);
  /** per set, measured(set) / base(set), and the median of those */
  const perSet = (measure: (round: Round) => number, measuredName: Side['name'], baseName: Side['name']) => {
    const ratios = sets.map((set) => measure(set[measuredName]!) / measure(set[baseName]!));
    return { ratio: round3(median(ratios)), perSet: ratios.map(round3) };
  };

  const webhook = summarize(roundsOf('webhook'));
  const baseline = summarize(roundsOf('baseline'));
  const constantAnswer = {
    note: 'information only, no longer a target: the webhook against a minimal node:https server answering a constant AdmissionReview (TLS and HTTP alone)',
    baseline,
    throughputRatio: perSet(answeredPerSecond, 'webhook', 'baseline'),
    ratioOfTotals: round2(webhook.requestsPerSecond / baseline.requestsPerSecond),
    cpuRatio: perSet(cpuMicrosPerAnswer, 'baseline', 'webhook'),
  };
  const hasUpstream = sides.some((side) => side.name === 'upstream');
  const vsReference = hasUpstream
    ? {
        upstream: summarize(roundsOf('upstream')),
        throughput: perSet(answeredPerSecond, 'webhook', 'upstream'),
        cpuPerAdmission: perSet(cpuMicrosPerAnswer, 'webhook', 'upstream'),
      }
    : undefined;
  return {
    vsReference,
    report: {
      sets: SETS,
      secondsPerRound: ROUND_SECONDS,
      order: `${sides.map((side) => side.name).join(', ')}; rotating by one from set to set`,
      webhook,
      ...(vsReference
        ? {
            upstreamReference: {
              note: 'the upstream Go webhook, same load; CPU per admission from /proc/<pid>/stat (all threads), ours from process.cpuUsage()',
              ...vsReference,
            },
          }
        : {}),
      constantAnswer,
    },
  };
}

/** Latency at a steady 1,000 req/s, with autocannon and with the paced generator. */
async function steadyLatency(sides: Side[], load: Load, review: string) {
  const side = (name: Side['name']) => sides.find((candidate) => candidate.name === name);
  const steady = (result: AutocannonResult) => ({
    achievedRequestsPerSecond: Math.round(result.requests.total / result.duration),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    failedRequests: failures(result),
  });
  const steadyBaseline = await load(side('baseline')!, STEADY_SECONDS, STEADY_RATE);
  const steadyWebhook = await load(side('webhook')!, STEADY_SECONDS, STEADY_RATE);
  const paced = (port: number) =>
    pacedLatency({
      port,
      path: '/mutate-v1-pod?timeout=10s',
      body: review,
      rate: STEADY_RATE,
      seconds: STEADY_SECONDS,
      connections: CONNECTIONS,
    });
  const pacedBaseline = await paced(side('baseline')!.port);
  const pacedWebhook = await paced(side('webhook')!.port);
  const upstream = side('upstream');
  const pacedUpstream = upstream ? await paced(upstream.port) : undefined;
  return {
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
      ...(pacedUpstream ? { upstreamReference: pacedUpstream } : {}),
    },
    target: 'webhook p99 <= 5 ms',
    met: {
      autocannonOverallRate: steadyWebhook.latency.p99 <= 5,
      pacedFromDue: pacedWebhook.fromDueMs.p99 <= 5,
      pacedFromRelease: pacedWebhook.fromReleaseMs.p99 <= 5,
    },
  };
}

/** The issue's targets, side by side; a part that did not run says why. */
function targets(
  vsReference: { throughput: { ratio: number }; cpuPerAdmission: { ratio: number } } | undefined,
  apiServer: { skipped: string } | Awaited<ReturnType<typeof podCreateLatency>>,
) {
  const noReference = { skipped: `no upstream webhook in ${REFERENCE_DIR}` };
  const throughputValue = vsReference?.throughput.ratio;
  const cpuValue = vsReference?.cpuPerAdmission.ratio;
  return {
    throughputVsReference:
      throughputValue === undefined
        ? noReference
        : {
            value: throughputValue,
            target: `>= ${THROUGHPUT_VS_REFERENCE_TARGET}`,
            met: throughputValue >= THROUGHPUT_VS_REFERENCE_TARGET,
          },
    cpuVsReference:
      cpuValue === undefined
        ? noReference
        : { value: cpuValue, target: `<= ${CPU_VS_REFERENCE_TARGET}`, met: cpuValue <= CPU_VS_REFERENCE_TARGET },
    podCreateVsNoWebhook:
      'skipped' in apiServer
        ? apiServer
        : {
            value: apiServer.ratios.selectorOnly.ratio,
            target: `<= ${POD_CREATE_TARGET}`,
            met: apiServer.ratios.selectorOnly.ratio <= POD_CREATE_TARGET,
            registration: 'namespaceSelector only, as the issue and upstream register it',
            defaultRegistration: {
              value: apiServer.ratios.defaultRegistration.ratio,
              met: apiServer.ratios.defaultRegistration.ratio <= POD_CREATE_TARGET,
            },
          },
    podCreateVsMinimalReference:
      'skipped' in apiServer
        ? apiServer
        : {
            value: apiServer.ratios.webhookToMinimalReference.ratio,
            noise: apiServer.ratios.webhookToMinimalReference.noise,
            met: apiServer.ratios.webhookToMinimalReference.equalWithinNoise,
            definition:
              'median over blocks of the p50 create ratio (both in the default registration); equal within noise when |value - 1| <= noise, the interquartile range of the block ratios',
          },
  };
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
 * Pod-create latency through a real kube-apiserver. Each variant is one kind of pod created in one
 * namespace, and each namespace is reached by exactly one webhook configuration:
 * - bench-without-webhook: excluded by every configuration's namespaceSelector (the baseline);
 * - bench-with-webhook: the webhook as the backend and the chart register it by default — the
 *   namespaceSelector plus the CEL match condition on the runtime class, so that no other pod
 *   waits for (or fails on) the webhook;
 * - bench-selector-only: the same webhook registered exactly as the issue's template and upstream
 *   do (namespaceSelector only, no match condition), to show what that condition costs a peer pod
 *   and saves every other pod;
 * - bench-with-reference: the minimal reference webhook (servers.ts: a node:https server answering
 *   the same patch) registered like the default, to show what making this change through any
 *   webhook costs.
 * Peer pods go to every namespace; ordinary pods (no runtime class) to the first three.
 */
async function podCreateLatency(
  webhookPort: number,
  caPem: string,
  webhookCpuMicros: () => Promise<number>,
  webhookMetricsText: () => Promise<string>,
  startReference: (patch: string) => Promise<{ port: number; stop(): void }>,
) {
  const controlPlane = await startControlPlane({ scheduler: false });
  let reference: { port: number; stop(): void } | undefined;
  try {
    const kubeConfig = controlPlane.kubeConfig();
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const namespaces = {
      without: 'bench-without-webhook',
      webhook: 'bench-with-webhook',
      selectorOnly: 'bench-selector-only',
      reference: 'bench-with-reference',
    } as const;
    type Route = keyof typeof namespaces;
    const variants = [
      { key: 'peerWithout', route: 'without', peer: true },
      { key: 'peerWebhook', route: 'webhook', peer: true },
      { key: 'peerSelectorOnly', route: 'selectorOnly', peer: true },
      { key: 'peerReference', route: 'reference', peer: true },
      { key: 'ordinaryWithout', route: 'without', peer: false },
      { key: 'ordinaryWebhook', route: 'webhook', peer: false },
      { key: 'ordinarySelectorOnly', route: 'selectorOnly', peer: false },
    ] as const satisfies readonly { key: string; route: Route; peer: boolean }[];
    type Variant = (typeof variants)[number];
    type Key = Variant['key'];
    for (const name of Object.values(namespaces)) await core.createNamespace({ body: { metadata: { name } } });
    const othersThan = (route: Route) =>
      Object.entries(namespaces)
        .filter(([key]) => key !== route)
        .map(([, name]) => name);

    let counter = 0;
    const pod = (namespace: string, peer: boolean): V1Pod => {
      const body = peerPodWithSidecars() as V1Pod;
      body.metadata = { name: `bench-${counter++}`, namespace };
      delete body.status;
      if (!peer) delete body.spec!.runtimeClassName;
      return body;
    };
    // Every peer pod is the same, so the reference answers every review with the patch the webhook computes.
    const sample = mutatePod(pod(namespaces.reference, true) as PodJson, {
      targetRuntimeClass: DEFAULT_TARGET_RUNTIME_CLASS,
      extendedResource: DEFAULT_EXTENDED_RESOURCE,
    });
    if (sample.outcome !== 'mutated') throw new Error('the benchmark pod is not mutated');
    reference = await startReference(Buffer.from(sample.patchJson).toString('base64'));

    const admission = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
    const register = (body: V1MutatingWebhookConfiguration) => admission.createMutatingWebhookConfiguration({ body });
    await register(
      renderWebhookConfiguration({
        target: { url: `https://127.0.0.1:${webhookPort}` },
        caBundlePem: caPem,
        additionalExcludedNamespaces: othersThan('webhook'),
      }),
    );
    await register(
      renderWebhookConfiguration({
        name: 'bench-selector-only',
        webhookName: 'selector-only.bench.peerpods.io',
        target: { url: `https://127.0.0.1:${webhookPort}` },
        caBundlePem: caPem,
        matchRuntimeClass: false,
        additionalExcludedNamespaces: othersThan('selectorOnly'),
      }),
    );
    await register(
      renderWebhookConfiguration({
        name: 'bench-reference-webhook',
        webhookName: 'reference.bench.peerpods.io',
        target: { url: `https://127.0.0.1:${reference.port}` },
        caBundlePem: caPem,
        additionalExcludedNamespaces: othersThan('reference'),
      }),
    );

    const create = async (variant: Variant) => {
      const namespace = namespaces[variant.route];
      const started = performance.now();
      const created = await core.createNamespacedPod({ namespace, body: pod(namespace, variant.peer) });
      return {
        ms: performance.now() - started,
        mutated: created.metadata?.annotations?.[VCPUS_ANNOTATION] !== undefined,
        stored: created,
      };
    };
    const expectMutated = (variant: Variant) => variant.peer && variant.route !== 'without';
    // Wait for the API server to load every configuration; all three webhooks must store the same pod.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const stored = await Promise.all(variants.filter(expectMutated).map(create));
      if (stored.every((result) => result.mutated)) {
        const essentials = (pod: V1Pod) =>
          JSON.stringify([pod.metadata?.annotations, pod.spec?.containers, pod.spec?.initContainers]);
        if (new Set(stored.map((result) => essentials(result.stored))).size !== 1) {
          throw new Error('the webhook configurations store different pods');
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
      const result = {} as Record<Key, { ms: number; mutated: boolean }>;
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(start + i) % variants.length]!;
        result[variant.key] = await create(variant);
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
        await webhookMetricsText(),
        'peerpods_webhook_admission_duration_seconds',
        'outcome="mutated"',
      ),
    });
    const callsBefore = await callTimes();
    const cpuBefore = await webhookCpuMicros();

    const emptyTimes = () =>
      Object.fromEntries(variants.map((variant) => [variant.key, [] as number[]])) as Record<Key, number[]>;
    const times = emptyTimes();
    // Each compared pair's p50 ratio per block; the median block's is the figure.
    const comparisons = {
      webhook: ['peerWebhook', 'peerWithout'],
      selectorOnly: ['peerSelectorOnly', 'peerWithout'],
      minimalReference: ['peerReference', 'peerWithout'],
      webhookToMinimalReference: ['peerWebhook', 'peerReference'],
      ordinaryWebhook: ['ordinaryWebhook', 'ordinaryWithout'],
      ordinarySelectorOnly: ['ordinarySelectorOnly', 'ordinaryWithout'],
    } as const satisfies Record<string, readonly [Key, Key]>;
    const blockRatios = Object.fromEntries(Object.keys(comparisons).map((name) => [name, [] as number[]])) as Record<
      keyof typeof comparisons,
      number[]
    >;
    let wrongMutations = 0;
    const p50 = (values: number[]) =>
      percentile(
        [...values].sort((x, y) => x - y),
        0.5,
      );
    for (let block = 0; block < POD_BLOCKS; block++) {
      const blockTimes = emptyTimes();
      for (let i = 0; i < POD_ROUNDS_PER_BLOCK; i++) {
        const result = await round();
        for (const variant of variants) {
          blockTimes[variant.key].push(result[variant.key].ms);
          if (result[variant.key].mutated !== expectMutated(variant)) wrongMutations++;
        }
      }
      for (const [name, [measured, base]] of Object.entries(comparisons)) {
        blockRatios[name as keyof typeof comparisons].push(round3(p50(blockTimes[measured]) / p50(blockTimes[base])));
      }
      for (const variant of variants) times[variant.key].push(...blockTimes[variant.key]);
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
    const ratio = (name: keyof typeof comparisons) => ({
      ratio: round3(median(blockRatios[name])),
      blockRatiosP50: blockRatios[name],
    });
    const webhookRatio = median(blockRatios.webhook);
    const selectorOnlyRatio = median(blockRatios.selectorOnly);
    // Equal within noise: the median block ratio is no further from 1 than the block ratios' own spread.
    const toMinimalReference = ratio('webhookToMinimalReference');
    const noise = round3(interquartileRange(blockRatios.webhookToMinimalReference));
    return {
      podsPerVariant: times.peerWebhook.length,
      warmupRounds: POD_WARMUP_ROUNDS,
      client: '@kubernetes/client-node createNamespacedPod, sequential, stored (not dry-run)',
      peerPod: {
        withoutWebhook: stats(times.peerWithout),
        withWebhook: stats(times.peerWebhook),
        withWebhookSelectorOnly: stats(times.peerSelectorOnly),
        withMinimalReferenceWebhook: stats(times.peerReference),
      },
      ordinaryPod: {
        note: 'the same pod without a runtime class: the match condition lets the API server skip the call; without it the webhook is called and answers allowed, no patch',
        withoutWebhook: stats(times.ordinaryWithout),
        withWebhook: stats(times.ordinaryWebhook),
        withWebhookSelectorOnly: stats(times.ordinarySelectorOnly),
        ratio: ratio('ordinaryWebhook'),
        ratioSelectorOnly: ratio('ordinarySelectorOnly'),
      },
      wronglyMutated: wrongMutations,
      webhookCall: {
        note: 'mean per call over the measured rounds: as the API server times it (admission webhook metric, default registration), the part spent in the webhook from request headers to answer (wall clock), and the webhook process CPU time per call',
        apiServerMeanMs: meanMs('apiServer'),
        inWebhookMeanMs: meanMs('webhook'),
        webhookProcessCpuMsPerCall: round2(
          (cpuAfter - cpuBefore) / 1000 / (callsAfter.webhook.count - callsBefore.webhook.count),
        ),
      },
      ratios: {
        note: 'median over blocks of the p50 ratio of peer-pod creates; registered as the issue specifies (namespaceSelector only) and as the product registers it by default (plus the runtime-class match condition)',
        selectorOnly: ratio('selectorOnly'),
        defaultRegistration: ratio('webhook'),
        minimalReference: {
          note: 'the minimal reference webhook (a node:https server answering the same patch) in the default registration: what making this change through any webhook costs',
          ...ratio('minimalReference'),
        },
        webhookToMinimalReference: {
          ...toMinimalReference,
          noise,
          equalWithinNoise: Math.abs(toMinimalReference.ratio - 1) <= noise,
        },
      },
      ratioP50: round2(stats(times.peerWebhook).p50Ms / stats(times.peerWithout).p50Ms),
      target: `<= ${POD_CREATE_TARGET} (median over blocks of the p50 ratio, peer pod with vs without the webhook)`,
      met: {
        selectorOnly: selectorOnlyRatio <= POD_CREATE_TARGET,
        defaultRegistration: webhookRatio <= POD_CREATE_TARGET,
      },
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
