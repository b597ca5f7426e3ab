// The window another writer of kata.peerpods.io/vm opens on a node with a per-node override: the
// time from its write of the node's capacity to the backend's restore, as a watch on the nodes
// delivers both.
//   npx tsx bench/reconciler/other-writer.ts   → one JSON object on stdout, progress on stderr
//
// The other writer behaves like the sandboxed containers operator's peerpodconfig-ctrl
// (backend/src/capacity/test/upstream-writer.ts): user agent "manager/…", so the API server records
// the field manager "manager"; a JSON patch of status.capacity only; no resourceVersion. The backend
// (capacity controller with leader election) runs compiled in its own process (backend-process.ts).
//
// Scenario:
//   1. control plane (no scheduler), --nodes nodes, the default PeerPodConfig (limit "10"), the
//      first --overrides of them annotated with the override "2"; the backend converges;
//   2. single: the other writer sets one overridden node to "10", --flaps times, one at a time;
//   3. limit changes: --rounds times the limit goes up by one and, as peerpodconfig-ctrl does on
//      that PeerPodConfig change, the other writer writes it to every node the config selects.
// Per flap: `window` = restore event − foreign event (both as the watch delivers them);
// `fromPatchAnswer` = restore event − the other writer's PATCH answer. Figures in ms.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { pino } from 'pino';
import { createUpstreamWriter } from '../../backend/src/capacity/test/upstream-writer.ts';
import { KubeClient } from '../../backend/src/kube/client.ts';
import { apiListerWatcher, Informer, type RawObject, type StoredObject } from '../../backend/src/kube/informer.ts';
import { nodeStatusPatches, waitFor } from '../../backend/src/kube/test/cluster.ts';
import { startControlPlane } from '../../hack/controlplane/controlplane.ts';
import {
  createPeerPodConfig,
  createWorkerNodes,
  OPERATOR_NAMESPACE,
  PEERPODCONFIG_NAME,
} from '../../hack/controlplane/fixtures.ts';
import { compileBackendProcess } from './compile-backend.ts';

const { values: args } = parseArgs({
  options: {
    flaps: { type: 'string', default: '20' },
    nodes: { type: 'string', default: '100' },
    overrides: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});
const FLAPS = Number(args.flaps);
const NODES = Number(args.nodes);
const OVERRIDES = Number(args.overrides);
const ROUNDS = Number(args.rounds);
const R = 'kata.peerpods.io/vm';
const OVERRIDE = '2';
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const round2 = (ms: number) => Math.round(ms * 100) / 100;

interface Sample {
  node: string;
  window: number;
  fromPatchAnswer: number;
}

/** Nearest-rank percentiles of the samples, in ms. */
function summary(samples: Sample[], field: 'window' | 'fromPatchAnswer') {
  const sorted = samples.map((s) => s[field]).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { median: round2(at(50)), p95: round2(at(95)), max: round2(sorted[sorted.length - 1] ?? NaN) };
}

// ---- the observer: every change of a node's capacity, stamped when the watch delivers it ----

interface Seen extends StoredObject {
  capacity?: string;
}
interface CapacityEvent {
  capacity: string | undefined;
  at: number;
}
const timeline = new Map<string, CapacityEvent[]>();
const listeners = new Set<() => void>();
const record = (node: Seen) => {
  const events = timeline.get(node.metadata.name) ?? [];
  if (events.at(-1)?.capacity === node.capacity && events.length > 0) return;
  events.push({ capacity: node.capacity, at: performance.now() });
  timeline.set(node.metadata.name, events);
  for (const listener of [...listeners]) listener();
};
/** The first change of `node` to `value` at or after index `from` of its timeline. */
function nextChange(node: string, value: string, from: number): Promise<{ index: number; at: number }> {
  return new Promise((resolve) => {
    const look = () => {
      const events = timeline.get(node) ?? [];
      for (let i = from; i < events.length; i += 1) {
        if (events[i]!.capacity === value) {
          listeners.delete(look);
          resolve({ index: i, at: events[i]!.at });
          return;
        }
      }
    };
    listeners.add(look);
    look();
  });
}

const compiled = compileBackendProcess('peer-pods-bench-other-writer');
const cp = await startControlPlane({ scheduler: false, log });
let backend: ReturnType<typeof fork> | undefined;
try {
  const kc = cp.kubeConfig();
  const client = await KubeClient.create(kc);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const names = Array.from({ length: NODES }, (_, i) => `node-${i}`);
  const overridden = names.slice(0, OVERRIDES);
  await createWorkerNodes(kc, { count: NODES, namePrefix: 'node-', concurrency: 16 });
  for (const name of overridden) {
    await client.request({
      method: 'PATCH',
      path: `/api/v1/nodes/${name}`,
      contentType: 'application/merge-patch+json',
      body: { metadata: { annotations: { 'peerpods.openshift.io/vm-limit': OVERRIDE } } },
    });
  }
  await createPeerPodConfig(kc, { limit: '10' });
  log(`${NODES} nodes, ${OVERRIDES} with the override ${OVERRIDE}, PeerPodConfig limit 10`);

  const observer = new Informer<Seen>({
    name: 'bench-nodes',
    logger: pino({ level: 'silent' }),
    listerWatcher: apiListerWatcher(client, { group: '', version: 'v1', plural: 'nodes', namespaced: false }),
    transform: (raw: RawObject) => ({
      metadata: { name: raw.metadata!.name!, resourceVersion: raw.metadata!.resourceVersion! },
      capacity: (raw.status as { capacity?: Record<string, string> } | undefined)?.capacity?.[R],
    }),
  });
  observer.addHandlers({ add: record, update: (_, node) => record(node) });
  observer.start();
  await observer.synced;

  // ---- the backend ----
  const messages: { type: string; [k: string]: unknown }[] = [];
  const waiters: (() => void)[] = [];
  backend = fork(compiled.entry, [cp.kubeconfigPath], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  backend.on('message', (m: { type: string }) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const next = async (type: string) => {
    for (;;) {
      const index = messages.findIndex((m) => m.type === type);
      if (index >= 0) return messages.splice(index, 1)[0]!;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  const stats = async () => {
    backend!.send({ type: 'stats' });
    return (await next('stats')) as unknown as { idle: boolean; otherWriterFlaps: number; writes: number };
  };
  await next('synced');
  const advertises = (name: string, value: string) => timeline.get(name)?.at(-1)?.capacity === value;
  await waitFor(
    'the backend to advertise every node',
    () => names.every((n) => advertises(n, overridden.includes(n) ? OVERRIDE : '10')),
    { timeoutMs: 120_000, intervalMs: 10 },
  );
  await waitFor('the backend to be idle', async () => (await stats()).idle, { timeoutMs: 60_000 });
  log('the backend has advertised every node');

  const upstream = await createUpstreamWriter(kc);
  const patchesBefore = await nodeStatusPatches(client);

  // ---- 2. one node, one flap at a time ----
  const single: Sample[] = [];
  const target = overridden[0]!;
  for (let i = 0; i < FLAPS; i += 1) {
    const from = timeline.get(target)!.length;
    await upstream.patchNode(target, '10');
    const answered = performance.now();
    const foreign = await nextChange(target, '10', from);
    const restored = await nextChange(target, OVERRIDE, foreign.index + 1);
    single.push({ node: target, window: restored.at - foreign.at, fromPatchAnswer: restored.at - answered });
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`single node: ${FLAPS} flaps, window median ${summary(single, 'window').median} ms`);

  // ---- 3. limit changes, each followed by peerpodconfig-ctrl's write to every selected node ----
  const reconcile: Sample[] = [];
  let limit = 10;
  for (let round = 0; round < ROUNDS; round += 1) {
    limit += 1;
    const value = String(limit);
    const from = new Map(names.map((n) => [n, timeline.get(n)!.length]));
    await custom.patchNamespacedCustomObject(
      {
        group: 'confidentialcontainers.org',
        version: 'v1alpha1',
        plural: 'peerpodconfigs',
        namespace: OPERATOR_NAMESPACE,
        name: PEERPODCONFIG_NAME,
        body: { spec: { limit: value } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    // peerpodconfig-ctrl's loop: one PATCH after another, to every node its selector matches
    // (the PeerPodConfig's own nodeSelector: here every node).
    const patched = new Map<string, number>();
    const loop = (async () => {
      for (const name of names) {
        await upstream.patchNode(name, value);
        patched.set(name, performance.now());
      }
    })();
    const flaps = await Promise.all(
      overridden.map(async (name) => {
        const foreign = await nextChange(name, value, from.get(name)!);
        const restored = await nextChange(name, OVERRIDE, foreign.index + 1);
        return { name, foreign, restored };
      }),
    );
    await loop;
    for (const { name, foreign, restored } of flaps) {
      reconcile.push({
        node: name,
        window: restored.at - foreign.at,
        fromPatchAnswer: restored.at - patched.get(name)!,
      });
    }
    await waitFor('every other node at the new limit', () =>
      names.every((n) => advertises(n, overridden.includes(n) ? OVERRIDE : value)),
    );
    log(`limit ${value}: ${OVERRIDES} overridden nodes set back`);
    await waitFor('the backend to be idle', async () => (await stats()).idle, { timeoutMs: 60_000 });
  }

  const final = await stats();
  const result = {
    nodes: NODES,
    overriddenNodes: OVERRIDES,
    otherWriter: { userAgent: 'manager/v0.0.0 (linux/amd64) kubernetes/$Format', fieldManager: 'manager' },
    singleNode: {
      flaps: single.length,
      windowMs: summary(single, 'window'),
      fromPatchAnswerMs: summary(single, 'fromPatchAnswer'),
    },
    limitChangeRewrites: {
      rounds: ROUNDS,
      flaps: reconcile.length,
      windowMs: summary(reconcile, 'window'),
      fromPatchAnswerMs: summary(reconcile, 'fromPatchAnswer'),
    },
    all: { flaps: single.length + reconcile.length, windowMs: summary([...single, ...reconcile], 'window') },
    flapsCountedByBackend: final.otherWriterFlaps,
    nodeStatusPatches: (await nodeStatusPatches(client)) - patchesBefore,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
  upstream.close();
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
