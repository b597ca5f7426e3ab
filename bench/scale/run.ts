// Growth benchmark: what the backend costs as one real API server grows through 50, 1,000, 2,000
// and 5,000 nodes, 10 pods a node of which a fifth are peer pods, and then (if it can be built
// here) the top size with 30 pods a node: 150,000 pods. No scheduler, no kubelet: pods are bound
// by spec.nodeName. At each size a fresh backend (compiled, in its own process, as the image runs
// it) starts against the grown cluster, and the script measures:
//   - start: from the process starting to the capacity route answering every node and VM in use
//     (the informers' paged lists), and the initial advertisement of the new nodes (writes);
//   - a limit change (10 ↔ 12) until every node advertises it, seen by a watch on the nodes; the
//     PATCH nodes/status the API server counted (target: one per node, all change); then
//     --steady-seconds with nothing changing (target: 0 writes); then the same writes made by the
//     bench itself, as many at once as the reconciler's workers and with no budget: what the API
//     server alone allows here (the limit change's ratio to it is what the backend adds);
//   - GET /api/v1/capacity under 8 callers and at a steady 20 a second (bench/api's measure);
//   - the backend's RSS once settled, after the reads, its peak (VmHWM) over the size, and its
//     heap after a full GC (through the inspector, last, so the GC moves no other figure).
// After the last size: the bytes a non-peer pod leaves in the backend on this API server (heap
// after GC, then every non-peer pod deleted, heap after GC again, the difference over their
// number), and the time a paged list of every pod takes at the backend's page size and at 500.
// Prints one JSON object on stdout; progress and the growth table (with the slope, the cost of
// 1,000 more nodes, fitted over the 10-pods-a-node sizes) on stderr.
//
//   npx tsx bench/scale/run.ts [--sizes 50,1000,2000,5000] [--top-pods-per-node 30] [--steady-seconds 30]
//     [--read-seconds 10] [--max-build-minutes 30] [--memory-limit-mb N] [--cpu-profile DIR]
// --memory-limit-mb runs the backend as the pod runs under that limit (a memory cgroup, through
// backend/bin/start.sh, which sizes the heap from it; needs root) and reports the cgroup's figures.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeClient } from '../../backend/src/kube/client.ts';
import { nodeStatusPatches } from '../../backend/src/kube/test/cluster.ts';
import { POD_LIST_PAGE_SIZE } from '../../backend/src/capacity/informers.ts';
import { DEFAULT_RECONCILE_WORKERS as RECONCILER_WORKERS } from '../../backend/src/capacity/reconciler.ts';
import { startControlPlane } from '../../hack/controlplane/controlplane.ts';
import { createPeerPodConfig } from '../../hack/controlplane/fixtures.ts';
import { measureCapacityReads, TARGET_P95_MS, type CapacityReads } from '../api/capacity-reads.ts';
import { watchNodeCapacity } from '../reconciler/convergence.ts';
import { setLimit } from '../reliability/cluster.ts';
import {
  api,
  backendMetrics,
  compileBackend,
  machine,
  processFigures,
  procRssMb,
  round,
  sleep,
  startBackendProcess,
  waitUntil,
  workDir,
  type BackendProcess,
} from '../reliability/harness.ts';
import { SecretVolume } from '../reliability/secret-volume.ts';
import {
  BENCH_NAMESPACE,
  BuildTimeout,
  createBenchNamespace,
  growCluster,
  nodeName,
  peerPodsPerNode,
  POD_KIND_LABEL,
  type ClusterShape,
} from './cluster.ts';
import { slopePerThousandNodes, textTable } from './growth.ts';
import { heapAfterGc, INSPECTABLE_ENV, startCpuProfile, topSelfTime } from './heap.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50,1000,2000,5000' },
    'pods-per-node': { type: 'string', default: '10' },
    /** The largest size once more with this many pods a node (0: not). */
    'top-pods-per-node': { type: 'string', default: '30' },
    'steady-seconds': { type: 'string', default: '30' },
    'read-seconds': { type: 'string', default: '10' },
    'max-build-minutes': { type: 'string', default: '30' },
    'memory-limit-mb': { type: 'string', default: '' },
    /** Directory for the backend's CPU profile of each limit change (.cpuprofile, opens in Chrome's DevTools). */
    'cpu-profile': { type: 'string', default: '' },
  },
});
const SIZES = values.sizes!.split(',').map(Number);
const PODS_PER_NODE = Number(values['pods-per-node']);
const TOP_PODS_PER_NODE = Number(values['top-pods-per-node']);
const STEADY_MS = Number(values['steady-seconds']) * 1000;
const READ_SECONDS = Number(values['read-seconds']);
const MEMORY_LIMIT_MB = values['memory-limit-mb'] ? Number(values['memory-limit-mb']) : undefined;
const TARGETS = { convergeSeconds: 5, rssMb: 300, p95Ms: TARGET_P95_MS, atNodes: 5000 };
const log = (line: string) => process.stderr.write(`[bench/scale] ${line}\n`);

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return round(Number(match?.[1] ?? 0) / 1024);
}

/** CPU time a process has used (user + system), in ms. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
}

/** The API server's count of PATCH nodes/status once it has stopped moving for `quietMs`. */
async function settledWrites(client: KubeClient, quietMs = 2000): Promise<number> {
  let last = await nodeStatusPatches(client);
  for (let since = Date.now(); Date.now() - since < quietMs;) {
    await sleep(250);
    const now = await nodeStatusPatches(client);
    if (now !== last) [last, since] = [now, Date.now()];
  }
  return last;
}

/**
 * The API server's own pace for the writes a limit change makes, with no reconciler in between:
 * the bench patches every node's status itself, as the reconciler does (a JSON patch of one
 * capacity key on nodes/status, its response not read), as many at once as the reconciler has
 * workers, with no write budget. The key is the bench's own, so the backend sees each node change
 * (as during a limit change) and writes nothing. Seconds, writes a second, and the CPU spent.
 */
async function apiServerFloor(
  client: KubeClient,
  nodes: number,
  value: number,
  pids: Record<string, number | undefined>,
): Promise<{ seconds: number; writesPerSecond: number; cpuSeconds: Record<string, number> }> {
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: RECONCILER_WORKERS }, async () => {
      while (next < nodes) {
        const name = nodeName(next++);
        await client.request({
          method: 'PATCH',
          path: `/api/v1/nodes/${name}/status`,
          query: { fieldManager: 'bench-floor' },
          contentType: 'application/json-patch+json',
          responseType: 'none',
          body: [{ op: 'add', path: '/status/capacity/bench.example~1floor', value: String(value) }],
        });
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  return {
    seconds: round(seconds, 2),
    writesPerSecond: Math.round(nodes / seconds),
    cpuSeconds: Object.fromEntries(
      Object.entries(pids).map(([k, pid]) => [k, round((cpuMs(pid) - cpuBefore[k]!) / 1000, 2)]),
    ),
  };
}

const stages: ClusterShape[] = SIZES.map((nodes) => ({ nodes, podsPerNode: PODS_PER_NODE }));
if (TOP_PODS_PER_NODE > PODS_PER_NODE) stages.push({ nodes: SIZES.at(-1)!, podsPerNode: TOP_PODS_PER_NODE });

const cp = await startControlPlane({ scheduler: false, log });
const results: Record<string, unknown>[] = [];
let stopped: { at: ClusterShape; reason: string } | undefined;
let after: Record<string, unknown> | undefined;
let backend: BackendProcess | undefined;
try {
  const kc = cp.kubeConfig();
  const client = await KubeClient.create(kc, { maxSockets: 64 });
  await createBenchNamespace(client);
  let limit = '10';
  await createPeerPodConfig(kc, { limit });
  const volume = await SecretVolume.create(cp.ca, workDir('scale-tls'));
  compileBackend(); // once, before any start is timed
  const observer = await watchNodeCapacity(client);
  const token = cp.adminToken;
  const ca = cp.caCertPem;
  const startBackend = (name: string) =>
    startBackendProcess({
      name,
      kubeconfigPath: cp.kubeconfigPath,
      memoryLimitMb: MEMORY_LIMIT_MB,
      env: {
        PORT: '0',
        METRICS_PORT: '0',
        WEBHOOK_PORT: '0',
        TLS_CERT_FILE: volume.certFile,
        TLS_KEY_FILE: volume.keyFile,
        LEADER_ELECTION: 'false',
        LOG_LEVEL: 'info',
        INVENTORY_INTERVAL_SECONDS: '3600',
        ...INSPECTABLE_ENV,
      },
    });

  let built: ClusterShape = { nodes: 0, podsPerNode: PODS_PER_NODE };
  for (const stage of stages) {
    const label = `${stage.nodes} nodes × ${stage.podsPerNode} pods`;
    // ---- grow, with no backend running: building is the API server's work, not the figures' ----
    const buildStart = Date.now();
    try {
      await growCluster(kc, client, built, stage, { maxMinutes: Number(values['max-build-minutes']), log });
    } catch (err) {
      const reason =
        err instanceof BuildTimeout
          ? `building ${label} took longer than ${values['max-build-minutes']} minutes`
          : `building ${label} failed: ${(err as Error).message}`;
      stopped = { at: stage, reason };
      log(reason);
      break;
    }
    const buildSeconds = Math.round((Date.now() - buildStart) / 1000);
    const previousNodes = built.nodes;
    built = stage;
    const pods = stage.nodes * stage.podsPerNode;
    const peerPods = stage.nodes * peerPodsPerNode(stage.podsPerNode);

    // ---- a fresh backend: its start is the paged lists of every node and pod ----
    const writesBeforeStart = await nodeStatusPatches(client);
    const startedAt = Date.now();
    backend = await startBackend(`scale-${stage.nodes}-${stage.podsPerNode}`);
    const b = backend;
    await waitUntil(
      `the backend to see ${stage.nodes} nodes and ${peerPods} VMs in use`,
      async () => {
        const res = await api(b, ca, token, '/capacity');
        if (res.status !== 200) return false;
        const { totals } = res.json<{ totals: { nodes: number; used: number } }>();
        return totals.nodes === stage.nodes && totals.used === peerPods;
      },
      600_000,
      200,
    );
    const syncSeconds = round((Date.now() - startedAt) / 1000, 2);
    const startPeakRssMb = peakRssMb(b.pid);
    await observer.converged(`limit ${limit} on every node`, stage.nodes, () => limit);
    const startWrites = (await settledWrites(client)) - writesBeforeStart;
    log(`${label}: backend synced in ${syncSeconds} s (peak RSS ${startPeakRssMb} MB), ${startWrites} writes`);
    await sleep(3000);
    const settledRssMb = procRssMb(b.pid);

    // ---- a limit change: every node's value changes ----
    const next = limit === '10' ? '12' : '10';
    const writesBefore = await nodeStatusPatches(client);
    // Who spends the CPU while it converges: the writes are the API server's work, 2 cores for all.
    const pids = { backend: b.pid, apiServer: cp.pids()['kube-apiserver'], etcd: cp.pids().etcd };
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
    const stopProfile = values['cpu-profile'] ? await startCpuProfile(b) : undefined;
    const changeStart = Date.now();
    await setLimit(client, next);
    await observer.converged(`limit ${next} on every node`, stage.nodes, () => next);
    const convergeSeconds = round((Date.now() - changeStart) / 1000, 2);
    if (stopProfile) {
      const profile = (await stopProfile()) as Parameters<typeof topSelfTime>[0];
      mkdirSync(values['cpu-profile']!, { recursive: true });
      const file = join(values['cpu-profile']!, `limit-change-${stage.nodes}x${stage.podsPerNode}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      log(`${label}: CPU profile of the limit change in ${file}; most self time:`);
      for (const { function: fn, selfPercent } of topSelfTime(profile, 12)) log(`    ${selfPercent}%  ${fn}`);
    }
    const convergeCpuSeconds = Object.fromEntries(
      Object.entries(pids).map(([k, pid]) => [k, round((cpuMs(pid) - cpuBefore[k]!) / 1000, 2)]),
    );
    const changeWrites = (await settledWrites(client)) - writesBefore;
    limit = next;
    log(`${label}: limit → ${next} converged in ${convergeSeconds} s with ${changeWrites} writes`);

    // ---- steady state ----
    const steadyBefore = await nodeStatusPatches(client);
    await sleep(STEADY_MS);
    const steadyWrites = (await nodeStatusPatches(client)) - steadyBefore;

    // ---- the same writes straight from the bench: what the API server alone allows ----
    const floor = await apiServerFloor(client, stage.nodes, results.length, pids);
    await settledWrites(client);
    log(
      `${label}: the API server alone takes ${floor.seconds} s for ${stage.nodes} such writes (${floor.writesPerSecond}/s; its CPU ${floor.cpuSeconds.apiServer} s); the limit change took ${round(convergeSeconds / floor.seconds, 2)}× that`,
    );

    // ---- GET /api/v1/capacity ----
    const summary = await api(b, ca, token, '/capacity');
    const reads: CapacityReads = await measureCapacityReads(b.url.replace(/\/$/, ''), token, READ_SECONDS);
    const rssAfterReadsMb = procRssMb(b.pid);
    const afterReads = processFigures(await backendMetrics(b, ca));
    const peak = peakRssMb(b.pid);
    const heap = await heapAfterGc(b);
    const cgroup = b.memoryCgroup?.figures();
    log(
      `${label}: GET /capacity p97.5 ${reads.saturated.capacity.p95BoundMs} ms (8 callers), ` +
        `RSS ${settledRssMb} MB settled, ${rssAfterReadsMb} after reads, peak ${peak}; heap after GC ${round(heap.heapUsedBytes / 1048576)} MB`,
    );
    results.push({
      nodes: stage.nodes,
      podsPerNode: stage.podsPerNode,
      pods,
      peerPods,
      buildSeconds,
      start: {
        syncSeconds,
        peakRssMb: startPeakRssMb,
        writes: startWrites,
        expectedWrites: stage.nodes - previousNodes,
      },
      limitChange: {
        change: `${next === '12' ? '10' : '12'} → ${next}`,
        convergedSeconds: convergeSeconds,
        writes: changeWrites,
        expectedWrites: stage.nodes,
        writesPerSecond: Math.round(changeWrites / convergeSeconds),
        cpuSeconds: convergeCpuSeconds,
        apiServerFloor: floor,
        ratioToFloor: round(convergeSeconds / floor.seconds, 2),
      },
      steadyState: { seconds: STEADY_MS / 1000, writes: steadyWrites },
      capacityReads: { responseBytes: Buffer.byteLength(summary.body), ...reads },
      backend: {
        settledRssMb,
        rssAfterReadsMb,
        peakRssMb: peak,
        afterReads: {
          heapUsedMb: afterReads.heapUsedMb,
          heapTotalMb: afterReads.heapTotalMb,
          externalMb: afterReads.externalMb,
        },
        heapAfterGcMb: round(heap.heapUsedBytes / 1048576),
        heapTotalAfterGcMb: round(heap.heapTotalBytes / 1048576),
        ...(cgroup ? { cgroup } : {}),
      },
    });

    const last = stage === stages.at(-1);
    if (!last) {
      await b.stop();
      backend = undefined;
      continue;
    }

    // ---- after the last size: a paged list of every pod, at two page sizes ----
    const listTimes: Record<string, unknown>[] = [];
    for (const pageSize of [...new Set([100, POD_LIST_PAGE_SIZE])]) {
      const t = Date.now();
      let pages = 0;
      let bytes = 0;
      let continueToken: string | undefined;
      do {
        const text = await client.request<string>({
          method: 'GET',
          path: '/api/v1/pods',
          query: { limit: pageSize, continue: continueToken },
          responseType: 'text',
          timeoutMs: 120_000,
        });
        pages += 1;
        bytes += Buffer.byteLength(text);
        continueToken = (JSON.parse(text) as { metadata: { continue?: string } }).metadata.continue || undefined;
      } while (continueToken);
      listTimes.push({ pageSize, pages, seconds: round((Date.now() - t) / 1000, 2), mb: round(bytes / 1048576) });
      log(`list of every pod, pages of ${pageSize}: ${pages} pages in ${round((Date.now() - t) / 1000, 2)} s`);
    }

    // ---- what the non-peer pods leave in the backend: heap after GC with them, and without ----
    const plain = pods - peerPods;
    const withThem = await heapAfterGc(b);
    const plainSelector = `${POD_KIND_LABEL}=plain`;
    await waitUntil(
      'every non-peer pod to be gone',
      async () => {
        try {
          // The API server ends a request after a minute; a collection this large may take more rounds.
          await client.request({
            method: 'DELETE',
            path: `/api/v1/namespaces/${BENCH_NAMESPACE}/pods`,
            query: { labelSelector: plainSelector, gracePeriodSeconds: 0 },
            responseType: 'none',
            timeoutMs: 120_000,
          });
        } catch (err) {
          log(`deleting the non-peer pods: ${(err as Error).message}; again`);
        }
        const left = await client.request<{ items: unknown[] }>({
          method: 'GET',
          path: `/api/v1/namespaces/${BENCH_NAMESPACE}/pods`,
          query: { labelSelector: plainSelector, limit: 1 },
        });
        return left.items.length === 0;
      },
      900_000,
      1000,
    );
    // The backend's watch delivers the deletions after the API server makes them.
    await sleep(10_000);
    const withoutThem = await heapAfterGc(b);
    const retained = round((withThem.heapUsedBytes - withoutThem.heapUsedBytes) / plain, 1);
    log(`non-peer pods: ${retained} bytes each left in the backend's heap (${plain} deleted)`);
    after = {
      listEveryPod: listTimes,
      retainedBytesPerNonPeerPod: {
        nonPeerPods: plain,
        heapAfterGcMbWith: round(withThem.heapUsedBytes / 1048576),
        heapAfterGcMbWithout: round(withoutThem.heapUsedBytes / 1048576),
        bytesPerPod: retained,
        target: 0,
      },
    };
    await b.stop();
    backend = undefined;
  }
  await observer.stop();
  client.close();
} finally {
  await backend?.stop();
  await cp.stop();
}

// ---- the growth table and the slopes ----
type Row = {
  nodes: number;
  podsPerNode: number;
  pods: number;
  start: { syncSeconds: number; peakRssMb: number };
  limitChange: {
    convergedSeconds: number;
    writes: number;
    expectedWrites: number;
    apiServerFloor: { seconds: number };
    ratioToFloor: number;
  };
  steadyState: { writes: number };
  capacityReads: CapacityReads & { responseBytes: number };
  backend: { settledRssMb: number; rssAfterReadsMb: number; peakRssMb: number; heapAfterGcMb: number };
};
const rows = results as unknown as Row[];
const figures: Record<string, (r: Row) => number> = {
  convergeSeconds: (r) => r.limitChange.convergedSeconds,
  apiServerFloorSeconds: (r) => r.limitChange.apiServerFloor.seconds,
  syncSeconds: (r) => r.start.syncSeconds,
  settledRssMb: (r) => r.backend.settledRssMb,
  peakRssMb: (r) => r.backend.peakRssMb,
  heapAfterGcMb: (r) => r.backend.heapAfterGcMb,
  capacityP95BoundMs: (r) => r.capacityReads.saturated.capacity.p95BoundMs,
  capacitySteadyP95BoundMs: (r) => r.capacityReads.steady20PerSecond.capacity.p95BoundMs,
};
// Fitted over the sizes with the same pods a node: the top size adds pods, not nodes.
const grown = rows.filter((r) => r.podsPerNode === PODS_PER_NODE);
const per = Object.fromEntries(
  Object.entries(figures).map(([k, f]) => [
    k,
    slopePerThousandNodes(grown.map((r) => ({ nodes: r.nodes, value: f(r) }))),
  ]),
);
const table = textTable(
  [
    'nodes',
    'pods',
    'sync',
    'converge',
    'API server alone',
    'writes',
    'steady',
    'RSS',
    'after reads',
    'peak',
    'heap',
    'p97.5',
  ],
  [
    ...rows.map((r) => [
      String(r.nodes),
      String(r.pods),
      `${r.start.syncSeconds} s`,
      `${r.limitChange.convergedSeconds} s`,
      `${r.limitChange.apiServerFloor.seconds} s`,
      `${r.limitChange.writes}/${r.limitChange.expectedWrites}`,
      String(r.steadyState.writes),
      `${r.backend.settledRssMb} MB`,
      `${r.backend.rssAfterReadsMb} MB`,
      `${r.backend.peakRssMb} MB`,
      `${r.backend.heapAfterGcMb} MB`,
      `${r.capacityReads.saturated.capacity.p95BoundMs} ms`,
    ]),
    [
      'per 1,000',
      '',
      `${per.syncSeconds} s`,
      `${per.convergeSeconds} s`,
      `${per.apiServerFloorSeconds} s`,
      '',
      '',
      `${per.settledRssMb} MB`,
      '',
      `${per.peakRssMb} MB`,
      `${per.heapAfterGcMb} MB`,
      `${per.capacityP95BoundMs} ms`,
    ],
  ],
);
log(`growth (slope over the ${PODS_PER_NODE}-pods-a-node sizes):\n${table}`);

const atTarget = rows.find((r) => r.nodes === TARGETS.atNodes && r.podsPerNode === PODS_PER_NODE);
console.log(
  JSON.stringify({
    machine: machine(),
    sizes: results,
    growth: { perThousandNodes: per, fittedOver: grown.map((r) => r.nodes), table },
    ...(after ?? {}),
    targets: TARGETS,
    metTargets: atTarget
      ? {
          convergeSeconds: atTarget.limitChange.convergedSeconds <= TARGETS.convergeSeconds,
          writesExact: rows.every((r) => r.limitChange.writes === r.limitChange.expectedWrites),
          steadyStateZero: rows.every((r) => r.steadyState.writes === 0),
          peakRssMb: atTarget.backend.peakRssMb <= TARGETS.rssMb,
          capacityP95: atTarget.capacityReads.saturated.capacity.p95BoundMs <= TARGETS.p95Ms,
        }
      : null,
    memoryLimitMb: MEMORY_LIMIT_MB ?? null,
    ...(stopped ? { stopped } : {}),
  }),
);
