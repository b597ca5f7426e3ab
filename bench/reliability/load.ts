// Load: 2,000 peer pods created through a real kube-apiserver that calls the backend's webhook
// (real TLS, registered with a MutatingWebhookConfiguration), with the capacity reconciler
// running and the real scheduler placing the pods on 100 nodes (limit 25 each). Prints one JSON object.
//
//   npx tsx bench/reliability/load.ts [--pods 2000] [--nodes 100] [--limit 25] [--levels 4,8,16,32,64]
//
// The rate: the first half of the pods is created at rising concurrency (the levels), the second
// half at the level that created pods fastest — the highest rate the API server sustains here.
// Then, from the stored objects and both sides' metrics:
//   - every pod mutated exactly once: its stored spec and annotations are exactly one webhook pass
//     over its shape (one VM request on the first container, nothing else, sizing annotations),
//     the webhook counted exactly one `mutated` admission per pod and nothing else, and the API
//     server counted exactly one webhook call per pod, none rejected or failed;
//   - no create failed;
//   - capacity accounting exact: the scheduler placed every pod, and per node the bound pods equal
//     the capacity model's `used` (GET /api/v1/capacity), never above the advertised 25;
//   - the backend's RSS (webhook and reconciler live in it) before, at peak, and after.
import { parseArgs } from 'node:util';
import type { CapacitySummary } from '@peer-pods-console/contract';
import { listPods } from './cluster.ts';
import {
  api,
  backendMetrics,
  log,
  machine,
  metricValue,
  round,
  seconds,
  sleep,
  summary,
  waitUntil,
} from './harness.ts';
import { mutationProblems, userPeerPod } from './pods.ts';
import { startScenario } from './scenario.ts';

const { values: args } = parseArgs({
  options: {
    pods: { type: 'string', default: '2000' },
    nodes: { type: 'string', default: '100' },
    limit: { type: 'string', default: '25' },
    levels: { type: 'string', default: '4,8,16,32,64' },
  },
});
const PODS = Number(args.pods);
const NODES = Number(args.nodes);
const LIMIT = Number(args.limit);
const LEVELS = args.levels!.split(',').map(Number);
const NAMESPACE = 'load';
const WEBHOOK_NAME = 'mutate-pod.peerpods-console.io';
const startedAt = Date.now();
const loadAtStart = machine().loadAverage;

const scenario = await startScenario({
  name: 'load',
  nodes: { count: NODES, prefix: 'load-', concurrency: 32 },
  limit: LIMIT,
  namespaces: [NAMESPACE],
  client: { maxSockets: 128 },
  webhook: 'registered',
  ready: 'advertised',
});
try {
  const { cp, client, ca } = scenario;
  const backend = await scenario.startBackend();
  await sleep(2000);

  const webhookBefore = await backendMetrics(backend, ca);
  const apiServerBefore = await client.request<string>({ method: 'GET', path: '/metrics', responseType: 'text' });
  const rssBeforeMb = backend.rssMb();
  let peakRssMb = rssBeforeMb;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, backend.rssMb())), 500);

  // ---- creation ----
  const failures: { pod: string; error: string }[] = [];
  const latencies: number[] = [];
  let nextIndex = 0;
  const createBatch = async (count: number, concurrency: number) => {
    const end = Math.min(PODS, nextIndex + count);
    const batchLatencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (nextIndex < end) {
          const index = nextIndex++;
          const name = `peer-${String(index).padStart(4, '0')}`;
          const sent = performance.now();
          try {
            await client.request({
              method: 'POST',
              path: `/api/v1/namespaces/${NAMESPACE}/pods`,
              body: userPeerPod(name, NAMESPACE, index),
              responseType: 'none',
            });
            batchLatencies.push(performance.now() - sent);
          } catch (err) {
            failures.push({ pod: name, error: (err as Error).message.slice(0, 300) });
          }
        }
      }),
    );
    latencies.push(...batchLatencies);
    const ms = performance.now() - t0;
    return {
      pods: batchLatencies.length,
      seconds: seconds(ms),
      podsPerSecond: round((batchLatencies.length / ms) * 1000),
      latencyMs: summary(batchLatencies),
    };
  };
  const creationStarted = performance.now();
  const ramp: ({ concurrency: number } & Awaited<ReturnType<typeof createBatch>>)[] = [];
  const perLevel = Math.floor(PODS / 2 / LEVELS.length);
  for (const concurrency of LEVELS) {
    const result = await createBatch(perLevel, concurrency);
    ramp.push({ concurrency, ...result });
    log(`concurrency ${concurrency}: ${result.podsPerSecond} pods/s, p99 ${result.latencyMs.p99} ms`);
  }
  const best = ramp.reduce((a, b) => (b.podsPerSecond > a.podsPerSecond ? b : a));
  const sustained = await createBatch(PODS - nextIndex, best.concurrency);
  log(`sustained at concurrency ${best.concurrency}: ${sustained.pods} pods, ${sustained.podsPerSecond} pods/s`);
  const creationMs = performance.now() - creationStarted;

  // ---- scheduling and accounting ----
  const scheduledStarted = Date.now();
  const pods = await waitUntil(
    'the scheduler to bind every pod',
    async () => {
      const all = await listPods(client, NAMESPACE);
      return all.filter((p) => p.spec.nodeName).length === PODS - failures.length ? all : undefined;
    },
    300_000,
    1000,
  );
  const allScheduledSecondsAfterLastCreate = seconds(Date.now() - scheduledStarted);
  const summaryAfter = await waitUntil(
    'the capacity model to count every pod',
    async () => {
      const res = await api(backend, ca, cp.adminToken, '/capacity');
      const body = res.json<CapacitySummary>();
      return body.totals.used === pods.length ? body : undefined;
    },
    60_000,
    250,
  );
  clearInterval(sampler);
  await sleep(3000);
  const rssAfterMb = backend.rssMb();

  const mutationIssues: { pod: string; problems: string[] }[] = [];
  const boundPerNode = new Map<string, number>();
  for (const pod of pods) {
    const index = Number(pod.metadata.name.slice('peer-'.length));
    const problems = mutationProblems(pod, index);
    if (problems.length) mutationIssues.push({ pod: pod.metadata.name, problems });
    boundPerNode.set(pod.spec.nodeName!, (boundPerNode.get(pod.spec.nodeName!) ?? 0) + 1);
  }
  const accountingMismatches = summaryAfter.nodes
    .filter((n) => (boundPerNode.get(n.name) ?? 0) !== n.used || n.used > (n.advertised ?? 0) || n.advertised !== LIMIT)
    .map((n) => ({ node: n.name, bound: boundPerNode.get(n.name) ?? 0, modelUsed: n.used, advertised: n.advertised }));

  const webhookAfter = await backendMetrics(backend, ca);
  const apiServerAfter = await client.request<string>({ method: 'GET', path: '/metrics', responseType: 'text' });
  const webhookDelta = (outcome: string) =>
    metricValue(webhookAfter, 'peerpods_webhook_admissions_total', { outcome }) -
    metricValue(webhookBefore, 'peerpods_webhook_admissions_total', { outcome });
  const apiServerDelta = (name: string, labels: Record<string, string>) =>
    metricValue(apiServerAfter, name, labels) - metricValue(apiServerBefore, name, labels);
  const outcomes = [
    'mutated',
    'unchanged',
    'not-peer-pod',
    'excluded-namespace',
    'ignored-operation',
    'rejected',
    'bad-request',
  ];
  const webhookCounts = Object.fromEntries(outcomes.map((o) => [o, webhookDelta(o)]));
  const apiServerCalls = {
    admitted: apiServerDelta('apiserver_admission_webhook_admission_duration_seconds_count', {
      name: WEBHOOK_NAME,
      rejected: 'false',
    }),
    rejected: apiServerDelta('apiserver_admission_webhook_admission_duration_seconds_count', {
      name: WEBHOOK_NAME,
      rejected: 'true',
    }),
    failedCalls: apiServerDelta('apiserver_admission_webhook_rejection_count', { name: WEBHOOK_NAME }),
  };
  const created = PODS - failures.length;
  const result = {
    scenario: 'load: peer pods through the real API server, webhook and reconciler running',
    machine: { ...machine(), loadAverageAtStart: loadAtStart },
    setup: { nodes: NODES, limitPerNode: LIMIT, capacity: NODES * LIMIT, pods: PODS, shapes: 3 },
    creation: {
      created,
      failed: failures.length,
      firstFailures: failures.slice(0, 5),
      seconds: seconds(creationMs),
      overallPodsPerSecond: round((created / creationMs) * 1000),
      ramp,
      sustained: { concurrency: best.concurrency, ...sustained },
      latencyMs: summary(latencies),
    },
    mutatedExactlyOnce: {
      storedPodsChecked: pods.length,
      storedPodsWrong: mutationIssues.length,
      firstWrong: mutationIssues.slice(0, 5),
      webhookCounted: webhookCounts,
      apiServerCountedWebhookCalls: apiServerCalls,
      met:
        mutationIssues.length === 0 &&
        pods.length === created &&
        webhookCounts.mutated === created &&
        Object.entries(webhookCounts).every(([o, n]) => o === 'mutated' || n === 0) &&
        apiServerCalls.admitted === created &&
        apiServerCalls.rejected === 0 &&
        apiServerCalls.failedCalls === 0,
    },
    accounting: {
      allScheduledSecondsAfterLastCreate,
      modelTotals: {
        used: summaryAfter.totals.used,
        capacity: summaryAfter.totals.capacity,
        pendingForCapacity: summaryAfter.totals.pendingForCapacity,
        unaccounted: summaryAfter.totals.unaccounted,
        driftNodes: summaryAfter.totals.driftNodes,
      },
      nodesCompared: summaryAfter.nodes.length,
      mismatches: accountingMismatches.length,
      firstMismatches: accountingMismatches.slice(0, 5),
      busiestNode: Math.max(...boundPerNode.values()),
      met:
        accountingMismatches.length === 0 &&
        summaryAfter.totals.used === created &&
        summaryAfter.totals.unaccounted === 0 &&
        summaryAfter.totals.pendingForCapacity === 0,
    },
    backend: {
      rssMb: { before: rssBeforeMb, peak: peakRssMb, after: rssAfterMb },
      note: 'one process: webhook, reconciler, informers and API',
      errorLogLines: backend.errorLines.length,
      logLinesWithASecret: backend.leakedLines.length,
    },
    met: failures.length === 0,
    totalSeconds: seconds(Date.now() - startedAt),
  };
  result.met = failures.length === 0 && result.mutatedExactlyOnce.met && result.accounting.met;
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await scenario.stop();
}
