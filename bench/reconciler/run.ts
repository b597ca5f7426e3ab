// Capacity reconciler benchmark: 1,000 fake nodes and 10,000 peer pods on a real API server.
//   npx tsx bench/reconciler/run.ts        → one JSON object on stdout, progress on stderr
//
// The backend (capacity controller with leader election) runs in its own process
// (backend-process.ts), so its RSS is measured alone. Writes are counted where they land: the
// API server's apiserver_request_total for PATCH nodes/status (nothing else writes node status
// once the fixtures are in). Convergence is observed through a watch on the nodes.
//
// Scenario:
//   1. 1,000 nodes, PeerPodConfig limit "10", 10,000 peer pods bound 10 per node (no scheduler);
//   2. backend starts: time to sync and to advertise 10 on every node (1,000 writes);
//   3. limit 10 → 12: time to converge, writes (target: 1,000, every node changes);
//   4. 100 nodes get the override annotation "12" (no value changes: 0 writes), then
//      limit 12 → 15: time to converge, writes (target: 900, the nodes without override);
//   5. 60 s of steady state: writes (target 0);
//   6. backend RSS (target ≤ 200 MB), sampled every second; the peak and the final value.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { KubeClient } from '../../backend/src/kube/client.ts';
import { nodeStatusPatches, waitFor } from '../../backend/src/kube/test/cluster.ts';
import { peerPod } from '../../backend/src/capacity/test/peer-pods.ts';
import { startControlPlane } from '../../hack/controlplane/controlplane.ts';
import {
  createPeerPodConfig,
  createWorkerNodes,
  OPERATOR_NAMESPACE,
  PEERPODCONFIG_NAME,
} from '../../hack/controlplane/fixtures.ts';
import { compileBackendProcess } from './compile-backend.ts';
import { watchNodeCapacity } from './convergence.ts';

const NODES = 1000;
const PODS_PER_NODE = 10;
const { values: args } = parseArgs({
  options: {
    'steady-seconds': { type: 'string', default: '60' },
    /** Diagnosis: also report the backend's heap after a forced full GC (starts it with --expose-gc). */
    'diagnose-gc': { type: 'boolean', default: false },
    /** Extra V8/Node flags for the backend process, e.g. --max-semi-space-size=4. */
    'backend-flags': { type: 'string', default: '' },
  },
});
const STEADY_STATE_MS = Number(args['steady-seconds']) * 1000;
const OVERRIDDEN_NODES = 100;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const seconds = (ms: number) => Math.round(ms) / 1000;

interface BackendStats {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  leader: boolean;
  idle: boolean;
  writes: number;
  conflicts: number;
  errors: number;
  reconciles: number;
  totals: Record<string, number>;
  storedPods: number;
}

const compiled = compileBackendProcess('peer-pods-bench-reconciler');

async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const cp = await startControlPlane({ scheduler: false, log });
let backend: ReturnType<typeof fork> | undefined;
try {
  const kc = cp.kubeConfig();
  const client = await KubeClient.create(kc, { maxSockets: 64 });
  const custom = kc.makeApiClient(CustomObjectsApi);

  // ---- fixtures ----
  let t = Date.now();
  await createWorkerNodes(kc, { count: NODES, namePrefix: 'node-', concurrency: 32 });
  const nodesCreatedMs = Date.now() - t;
  log(`${NODES} nodes in ${seconds(nodesCreatedMs)} s`);
  await createPeerPodConfig(kc, { limit: '10' });
  await client.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'bench' } } });
  t = Date.now();
  const pods = Array.from({ length: NODES * PODS_PER_NODE }, (_, i) => i);
  await inBatches(pods, 48, async (i) => {
    const node = `node-${i % NODES}`;
    await client.request({
      method: 'POST',
      path: '/api/v1/namespaces/bench/pods',
      body: peerPod(`peer-${i}`, 'bench', { vms: 1, nodeName: node }),
    });
  });
  const podsCreatedMs = Date.now() - t;
  log(`${pods.length} pods in ${seconds(podsCreatedMs)} s`);

  // ---- the observer: every node's capacity and allocatable, from a watch ----
  const observer = await watchNodeCapacity(client);
  const waitConverged = (what: string, expected: (name: string) => string) => observer.converged(what, NODES, expected);

  // ---- the backend ----
  const messages: { type: string; [k: string]: unknown }[] = [];
  const waiters: (() => void)[] = [];
  backend = fork(compiled.entry, [cp.kubeconfigPath], {
    execArgv: [...(args['diagnose-gc'] ? ['--expose-gc'] : []), ...args['backend-flags']!.split(' ').filter(Boolean)],
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  backend.on('message', (m: { type: string }) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  let exited: number | null | undefined;
  backend.on('exit', (code) => {
    exited = code;
    for (const w of waiters.splice(0)) w();
  });
  const next = async (type: string) => {
    for (;;) {
      if (exited !== undefined)
        throw new Error(`the backend process exited (code ${exited}) while waiting for ${type}`);
      const index = messages.findIndex((m) => m.type === type);
      if (index >= 0) return messages.splice(index, 1)[0]!;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  const stats = async (): Promise<BackendStats> => {
    if (exited === undefined) backend!.send({ type: 'stats' });
    return (await next('stats')) as unknown as BackendStats;
  };
  let peakRss = 0;
  const sampler = setInterval(() => {
    void stats().then((s) => {
      peakRss = Math.max(peakRss, s.rssBytes);
      log(
        `backend rss ${Math.round(s.rssBytes / 1048576)} MB, heap ${Math.round(s.heapUsedBytes / 1048576)}/${Math.round(s.heapTotalBytes / 1048576)} MB, external ${Math.round(s.externalBytes / 1048576)} MB`,
      );
    });
  }, 1000);

  const patchesAtStart = await nodeStatusPatches(client);
  t = Date.now();
  const synced = (await next('synced')) as unknown as { ms: number };
  log(`backend synced in ${seconds(synced.ms)} s`);
  const initialConvergeMs = await waitConverged('initial advertisement', () => '10');
  const initialFromStartMs = Date.now() - t;
  await waitFor('backend idle', async () => (await stats()).idle);
  const initialWrites = (await nodeStatusPatches(client)) - patchesAtStart;
  log(`initial advertisement: ${initialWrites} writes, converged ${seconds(initialFromStartMs)} s after start`);

  const setLimit = (limit: string) =>
    custom.patchNamespacedCustomObject(
      {
        group: 'confidentialcontainers.org',
        version: 'v1alpha1',
        plural: 'peerpodconfigs',
        namespace: OPERATOR_NAMESPACE,
        name: PEERPODCONFIG_NAME,
        body: { spec: { limit } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  const settle = async () => {
    await waitFor('backend idle', async () => (await stats()).idle, { timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 2000));
    await waitFor('backend idle', async () => (await stats()).idle, { timeoutMs: 60_000 });
  };

  // Change 1: every node changes.
  let before = await nodeStatusPatches(client);
  let changeStart = Date.now();
  await setLimit('12');
  const change1ConvergeMs = Date.now() - changeStart + (await waitConverged('limit 12 on every node', () => '12'));
  await settle();
  const change1Writes = (await nodeStatusPatches(client)) - before;
  log(`limit 10 → 12: converged in ${seconds(change1ConvergeMs)} s with ${change1Writes} writes`);

  // Change 2: overrides equal to the current value write nothing; then only non-overridden nodes change.
  const overridden = new Set(
    Array.from({ length: OVERRIDDEN_NODES }, (_, i) => `node-${i * (NODES / OVERRIDDEN_NODES)}`),
  );
  before = await nodeStatusPatches(client);
  await inBatches([...overridden], 16, async (name) => {
    await client.request({
      method: 'PATCH',
      path: `/api/v1/nodes/${name}`,
      contentType: 'application/merge-patch+json',
      body: { metadata: { annotations: { 'peerpods.openshift.io/vm-limit': '12' } } },
    });
  });
  await settle();
  const overrideWrites = (await nodeStatusPatches(client)) - before;
  before = await nodeStatusPatches(client);
  changeStart = Date.now();
  await setLimit('15');
  const change2ConvergeMs =
    Date.now() -
    changeStart +
    (await waitConverged('limit 15 except overrides', (name) => (overridden.has(name) ? '12' : '15')));
  await settle();
  const change2Writes = (await nodeStatusPatches(client)) - before;
  log(
    `limit 12 → 15 with ${OVERRIDDEN_NODES} overrides: converged in ${seconds(change2ConvergeMs)} s with ${change2Writes} writes`,
  );

  // Steady state.
  log(`steady state for ${STEADY_STATE_MS / 1000} s`);
  before = await nodeStatusPatches(client);
  const backendWritesBefore = (await stats()).writes;
  await new Promise((r) => setTimeout(r, STEADY_STATE_MS));
  const steadyStateWrites = (await nodeStatusPatches(client)) - before;
  const final = await stats();
  clearInterval(sampler);
  let afterGc: BackendStats | undefined;
  if (args['diagnose-gc']) {
    backend.send({ type: 'stats', gc: true });
    afterGc = (await next('stats')) as unknown as BackendStats;
  }
  peakRss = Math.max(peakRss, final.rssBytes);

  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const result = {
    nodes: NODES,
    pods: pods.length,
    fixtures: { nodesCreatedSeconds: seconds(nodesCreatedMs), podsCreatedSeconds: seconds(podsCreatedMs) },
    backendSyncSeconds: seconds(synced.ms),
    initialAdvertisement: {
      convergedSecondsAfterBackendStart: seconds(initialFromStartMs),
      convergedSecondsAfterSync: seconds(initialConvergeMs),
      writes: initialWrites,
      expectedWrites: NODES,
    },
    limitChangeAllNodes: {
      change: '10 → 12',
      convergedSeconds: seconds(change1ConvergeMs),
      targetSeconds: 5,
      writes: change1Writes,
      expectedWrites: NODES,
    },
    overrideEqualToCurrentValue: { annotatedNodes: OVERRIDDEN_NODES, writes: overrideWrites, expectedWrites: 0 },
    limitChangeWithOverrides: {
      change: '12 → 15',
      convergedSeconds: seconds(change2ConvergeMs),
      targetSeconds: 5,
      writes: change2Writes,
      expectedWrites: NODES - OVERRIDDEN_NODES,
    },
    steadyState: {
      seconds: STEADY_STATE_MS / 1000,
      writes: steadyStateWrites,
      backendWrites: final.writes - backendWritesBefore,
      target: 0,
    },
    backend: {
      rssMb: mb(final.rssBytes),
      peakRssMb: mb(peakRss),
      heapUsedMb: mb(final.heapUsedBytes),
      heapTotalMb: mb(final.heapTotalBytes),
      externalMb: mb(final.externalBytes),
      targetRssMb: 200,
      storedPeerPods: final.storedPods,
      writeConflicts: final.conflicts,
      reconcileErrors: final.errors,
      reconciles: final.reconciles,
      modelTotals: final.totals,
    },
    ...(afterGc ? { afterFullGc: { rssMb: mb(afterGc.rssBytes), heapUsedMb: mb(afterGc.heapUsedBytes) } } : {}),
    backendRuntime: 'node, compiled JavaScript (as npm run build:backend emits it)',
    backendFlags: args['backend-flags'] || null,
    benchProcessRssMb: mb(process.memoryUsage().rss),
  };
  await observer.stop();
  backend.send({ type: 'stop' });
  await new Promise((r) => backend!.once('exit', r));
  backend = undefined;
  client.close();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  backend?.kill('SIGKILL');
  await cp.stop();
  rmSync(compiled.dir, { recursive: true, force: true });
}
