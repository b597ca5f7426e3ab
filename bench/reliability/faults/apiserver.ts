// Fault scenarios: kube-apiserver restarted (stopped, started again on the same port and etcd)
// while peer pods are being created through it, and right after a limit change.
import type { CapacitySummary } from '@peer-pods-console/contract';
import type { KubeApiError } from '../../../backend/src/kube/client.ts';
import { listPods, nodesAt, setLimit } from '../cluster.ts';
import { api, backendMetrics, log, metricValue, seconds, sleep, waitUntil } from '../harness.ts';
import { mutationProblems, userPeerPod } from '../pods.ts';
import { startScenario } from '../scenario.ts';
import type { ScenarioResult } from './result.ts';

/**
 * 400 peer pods created by 8 clients that retry until the API server takes them; after the
 * 100th, the API server is restarted. Nothing may be lost or doubled: exactly 400 pods, each
 * mutated exactly once, all scheduled, and the capacity model counting them all.
 */
export async function apiServerRestartDuringPodCreation(): Promise<ScenarioResult> {
  const TOTAL = 400;
  const RESTART_AFTER = 100;
  const NAMESPACE = 'faults';
  const scenario = await startScenario({
    name: 'apiserver-restart',
    nodes: { count: 20, prefix: 'fault-', concurrency: 16 },
    limit: 25,
    namespaces: [NAMESPACE],
    client: { maxSockets: 32, requestTimeoutMs: 15_000 },
    webhook: 'registered',
    ready: 'advertised',
  });
  try {
    const { cp, client, ca } = scenario;
    const backend = await scenario.startBackend();
    const mutatedBefore = metricValue(await backendMetrics(backend, ca), 'peerpods_webhook_admissions_total', {
      outcome: 'mutated',
    });

    const outcome = new Map<string, 'created' | 'already-existed'>();
    const errors: Record<string, number> = {};
    let retries = 0;
    const restart: { started?: number; stopped?: number; apiServerReady?: number; firstCreateAfter?: number } = {};
    let lastCreateDone = 0;
    let restartDone: Promise<void> | undefined;
    let next = 0;
    const workers = Array.from({ length: 8 }, async () => {
      while (next < TOTAL) {
        const index = next++;
        const name = `peer-${String(index).padStart(3, '0')}`;
        for (let attempt = 0; ; attempt++) {
          const sent = Date.now();
          try {
            await client.request({
              method: 'POST',
              path: `/api/v1/namespaces/${NAMESPACE}/pods`,
              body: userPeerPod(name, NAMESPACE, index),
              responseType: 'none',
            });
            outcome.set(name, 'created');
            lastCreateDone = Date.now();
            // Recovery: the first create sent after the API server had stopped that went through.
            if (restart.stopped && sent >= restart.stopped && !restart.firstCreateAfter) {
              restart.firstCreateAfter = Date.now();
            }
            break;
          } catch (err) {
            const e = err as KubeApiError;
            if (e.code === 409 && e.reason === 'AlreadyExists') {
              // Stored before the answer was lost: the retry must not make a second one.
              outcome.set(name, 'already-existed');
              break;
            }
            const kind = e.code
              ? `HTTP ${e.code} ${e.reason}`.trim()
              : `transport: ${e.message.replace(/^.*?: /, '').slice(0, 40)}`;
            errors[kind] = (errors[kind] ?? 0) + 1;
            retries++;
            if (attempt > 400) throw new Error(`pod ${name} was never created: ${e.message}`);
            await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 4)));
          }
        }
        if (!restart.started && outcome.size >= RESTART_AFTER) {
          restart.started = Date.now();
          log(`restarting kube-apiserver after ${outcome.size} pods`);
          restartDone = (async () => {
            await cp.stopApiServer();
            restart.stopped = Date.now();
            await cp.startApiServer();
            restart.apiServerReady = Date.now();
          })();
        }
      }
    });
    await Promise.all(workers);
    await restartDone;

    const pods = await listPods(client, NAMESPACE);
    const wrong = pods.filter((p) => mutationProblems(p, Number(p.metadata.name.slice(5))).length > 0);
    // Every pod scheduled, and the capacity model counting each one.
    let last = { unscheduled: -1, modelUsed: -1, modelPeerPods: -1, modelPending: -1, pods: -1 };
    let modelConsistentAt: number | undefined;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const all = await listPods(client, NAMESPACE);
      const body = (await api(backend, ca, cp.adminToken, '/capacity')).json<CapacitySummary>();
      last = {
        unscheduled: all.filter((p) => !p.spec.nodeName).length,
        modelUsed: body.totals.used,
        modelPeerPods: body.totals.peerPods,
        modelPending: body.totals.pendingForCapacity,
        pods: all.length,
      };
      if (last.unscheduled === 0 && last.modelUsed === all.length) {
        modelConsistentAt = Date.now();
        break;
      }
      await sleep(1000);
    }
    const mutatedCalls =
      metricValue(await backendMetrics(backend, ca), 'peerpods_webhook_admissions_total', { outcome: 'mutated' }) -
      mutatedBefore;
    const result: ScenarioResult = {
      scenario: 'apiserver-restart-during-pod-creation',
      what: `kube-apiserver restarted (SIGTERM, start again) after ${RESTART_AFTER} of ${TOTAL} peer pods, 8 clients creating with retries`,
      observed: `creates failed while it was down (${Object.entries(errors)
        .map(([k, n]) => `${n}× ${k}`)
        .join(
          ', ',
        )}), clients retried; ${[...outcome.values()].filter((o) => o === 'already-existed').length} retries found their pod already stored (409); the webhook worked again with the first create after the restart`,
      timeToRecoverSeconds:
        restart.started && restart.firstCreateAfter ? seconds(restart.firstCreateAfter - restart.started) : null,
      nothingLost:
        pods.length === TOTAL &&
        outcome.size === TOTAL &&
        wrong.length === 0 &&
        modelConsistentAt !== undefined &&
        backend.alive(),
      details: {
        apiServerStopSeconds: restart.started && restart.stopped ? seconds(restart.stopped - restart.started) : null,
        apiServerDownToReadySeconds:
          restart.started && restart.apiServerReady ? seconds(restart.apiServerReady - restart.started) : null,
        restartToFirstCreateSeconds:
          restart.started && restart.firstCreateAfter ? seconds(restart.firstCreateAfter - restart.started) : null,
        restartToAllScheduledAndCountedSeconds:
          restart.started && modelConsistentAt ? seconds(modelConsistentAt - restart.started) : null,
        lastSchedulingAndModelState: last,
        restartToLastCreateSeconds: restart.started ? seconds(lastCreateDone - restart.started) : null,
        podsStored: pods.length,
        podsExpected: TOTAL,
        podsNotMutatedExactlyOnce: wrong.length,
        retries,
        failedAttemptsByKind: errors,
        webhookMutatedCalls: mutatedCalls,
        webhookCallsForCreatesTheApiServerDidNotFinish: mutatedCalls - TOTAL,
        backendAlive: backend.alive(),
        backendErrorLogLines: backend.errorLines.length,
        backendLogLinesWithASecret: backend.leakedLines.length,
      },
    };
    return result;
  } finally {
    await scenario.stop();
  }
}

/**
 * 300 nodes at limit 10; the limit goes to 12 and the API server is restarted the moment the
 * change is stored (the reconciler is still writing, or has not even seen the change). Every
 * node must converge to 12, each written once, and nothing written afterwards.
 */
export async function apiServerRestartDuringLimitChange(): Promise<ScenarioResult> {
  const NODES = 300;
  const scenario = await startScenario({
    name: 'limit-restart',
    scheduler: false,
    nodes: { count: NODES, prefix: 'limit-', concurrency: 32 },
    limit: 10,
    client: { maxSockets: 32, requestTimeoutMs: 10_000 },
    webhook: false,
    ready: 'advertised',
  });
  try {
    const { cp, client, ca } = scenario;
    const backend = await scenario.startBackend();
    await sleep(2000);
    const counters = async () => {
      const text = await backendMetrics(backend, ca);
      return {
        writes: metricValue(text, 'peerpods_capacity_node_writes_total'),
        conflicts: metricValue(text, 'peerpods_capacity_write_conflicts_total'),
        errors: metricValue(text, 'peerpods_capacity_reconcile_errors_total'),
      };
    };
    const before = await counters();

    await setLimit(client, '12');
    const started = Date.now();
    const atRestart = await counters();
    await cp.restartApiServer();
    const apiServerReady = Date.now();
    const atReady = await nodesAt(client, '12');
    await waitUntil(`limit 12 on ${NODES} nodes`, async () => (await nodesAt(client, '12')).at === NODES, 120_000, 100);
    const converged = Date.now();
    const afterConverge = await counters();
    await sleep(10_000);
    const steady = await counters();
    const summary = (await api(backend, ca, cp.adminToken, '/capacity')).json<CapacitySummary>();
    const writes = afterConverge.writes - before.writes;
    const result: ScenarioResult = {
      scenario: 'apiserver-restart-during-limit-change',
      what: `limit 10 → 12 on ${NODES} nodes, kube-apiserver restarted the moment the change was stored`,
      observed: `${atRestart.writes - before.writes} nodes written before the API server stopped, ${atReady.at} at 12 when it was back; the informers re-listed and the reconciler finished the rest, ${afterConverge.errors - before.errors} reconciles retried`,
      timeToRecoverSeconds: seconds(converged - started),
      nothingLost: writes >= NODES && steady.writes === afterConverge.writes && summary.totals.driftNodes === 0,
      details: {
        apiServerDownToReadySeconds: seconds(apiServerReady - started),
        changeToAllConvergedSeconds: seconds(converged - started),
        nodesWrittenBeforeStop: atRestart.writes - before.writes,
        nodesAt12WhenBack: atReady.at,
        nodeStatusWrites: writes,
        nodesThatChanged: NODES,
        writeConflicts: afterConverge.conflicts - before.conflicts,
        reconcileErrorsRetried: afterConverge.errors - before.errors,
        writesInTheNext10Seconds: steady.writes - afterConverge.writes,
        modelDriftNodes: summary.totals.driftNodes,
        backendAlive: backend.alive(),
        backendErrorLogLines: backend.errorLines.length,
      },
    };
    return result;
  } finally {
    await scenario.stop();
  }
}
