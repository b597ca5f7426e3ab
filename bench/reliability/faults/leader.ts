// Fault scenario: two backend processes share the capacity Lease; the leader is killed with
// SIGKILL in the middle of a limit change (no lease release, no goodbye).
import { nodesAt, setLimit } from '../cluster.ts';
import { backendMetrics, log, metricValue, seconds, sleep, waitUntil, type BackendProcess } from '../harness.ts';
import { startScenario } from '../scenario.ts';
import type { ScenarioResult } from './result.ts';

/**
 * 600 nodes at limit 10 and two replicas. The limit goes to 14; once the leader has written 30
 * nodes it is SIGKILLed. The other replica must take the Lease after it expires (15 s) and
 * finish; every node ends at 14, and the API server counts about one write per node.
 */
export async function leaderKilledDuringReconciliation(): Promise<ScenarioResult> {
  const NODES = 600;
  const scenario = await startScenario({
    name: 'leader',
    scheduler: false,
    nodes: { count: NODES, prefix: 'ha-', concurrency: 32 },
    limit: 10,
    client: { maxSockets: 32, requestTimeoutMs: 10_000 },
    webhook: false,
    backendEnv: { LEADER_ELECTION: 'true' },
  });
  try {
    const { client, ca } = scenario;
    const start = (identity: string) => scenario.startBackend(identity, { env: { POD_NAME: identity } });
    const replicas = await Promise.all([start('replica-a'), start('replica-b')]);
    const figures = async (backend: BackendProcess) => {
      const text = await backendMetrics(backend, ca);
      return {
        leader: metricValue(text, 'peerpods_capacity_leader') === 1,
        writes: metricValue(text, 'peerpods_capacity_node_writes_total'),
      };
    };
    const leader = await waitUntil('a leader', async () => {
      const states = await Promise.all(replicas.map(figures));
      return states.filter((s) => s.leader).length === 1 ? replicas[states.findIndex((s) => s.leader)] : undefined;
    });
    const follower = replicas.find((r) => r !== leader)!;
    await waitUntil(`limit 10 on ${NODES} nodes`, async () => (await nodesAt(client, '10')).at === NODES, 120_000, 250);
    await sleep(2000);
    const leaderBase = (await figures(leader)).writes;
    const followerBase = (await figures(follower)).writes;
    // Node-status PATCH requests the API server received (any answer), counted where they land.
    const nodeStatusPatches = async () =>
      metricValue(
        await client.request<string>({ method: 'GET', path: '/metrics', responseType: 'text' }),
        'apiserver_request_total',
        { verb: 'PATCH', resource: 'nodes', subresource: 'status' },
      );
    const patchesBase = await nodeStatusPatches();

    await setLimit(client, '14');
    let leaderWritesAtKill = 0;
    await waitUntil(
      'the leader to have written 30 nodes',
      async () => {
        leaderWritesAtKill = (await figures(leader)).writes - leaderBase;
        return leaderWritesAtKill >= 30;
      },
      30_000,
      10,
    );
    leader.kill('SIGKILL');
    const killed = Date.now();
    // Writes the leader had in flight land (or not) within moments; the Lease keeps the other
    // replica out for 15 s, so this is the state it inherits.
    await sleep(2000);
    const atKill = await nodesAt(client, '14');
    log(`leader ${leader.name} killed after ${leaderWritesAtKill} writes; ${atKill.at} nodes at 14`);
    await waitUntil('the other replica to lead', async () => (await figures(follower)).leader, 60_000, 100);
    const tookOver = Date.now();
    await waitUntil(`limit 14 on ${NODES} nodes`, async () => (await nodesAt(client, '14')).at === NODES, 120_000, 100);
    const converged = Date.now();
    await sleep(1000);
    const followerWrites = (await figures(follower)).writes - followerBase;
    const patches = (await nodeStatusPatches()) - patchesBase;

    // The killed replica comes back: it must follow, and nothing more is written.
    const restarted = await start(`${leader.name}-restarted`);
    await sleep(10_000);
    const after = await Promise.all([figures(follower), figures(restarted)]);
    const patchesLater = (await nodeStatusPatches()) - patchesBase;
    const result: ScenarioResult = {
      scenario: 'leader-killed-during-reconciliation',
      what: `two backend processes; limit 10 → 14 on ${NODES} nodes; the leader SIGKILLed after ${leaderWritesAtKill} node writes`,
      observed: `${atKill.at} nodes at 14 at the kill; the other replica took the Lease ${seconds(tookOver - killed)} s later (lease 15 s, never released) and wrote exactly the remaining ${followerWrites}; the API server received ${patches} node-status PATCHes for ${NODES} nodes`,
      timeToRecoverSeconds: seconds(converged - killed),
      nothingLost:
        followerWrites === NODES - atKill.at &&
        after[0]!.leader &&
        !after[1]!.leader &&
        patchesLater === patches &&
        (await nodesAt(client, '14')).at === NODES,
      details: {
        killToNewLeaderSeconds: seconds(tookOver - killed),
        killToAllConvergedSeconds: seconds(converged - killed),
        leaderWritesBeforeKill: leaderWritesAtKill,
        nodesAt14AtKill: atKill.at,
        followerWrites,
        followerWroteExactlyTheRest: followerWrites === NODES - atKill.at,
        apiServerNodeStatusPatchRequests: patches,
        nodes: NODES,
        requestsBeyondOnePerNode: patches - NODES,
        requestsBeyondOnePerNodeAre:
          'PATCHes the killed leader had in flight (answered or cut off); no node is written by both replicas',
        restartedReplicaFollows: !after[1]!.leader,
        writesAfterTheKilledReplicaCameBack: patchesLater - patches,
      },
    };
    return result;
  } finally {
    await scenario.stop();
  }
}
