// Fault scenarios against a real EC2 API (moto) behind the fault-injecting proxy
// (backend/test/fault-proxy.ts): the backend SIGKILLed in the middle of a port-rule apply and of
// an orphan cleanup (a rerun must converge: no duplicate rule, no VM deleted twice or wrongly),
// and EC2 errors injected under the API calls (5xx, throttling, timeouts, dropped connections).
import {
  CreateSubnetCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type {
  OrphanCleanupResult,
  PortRulesApplyResult,
  PortRulesReport,
  VmInventory,
} from '@peer-pods-console/contract';
import { leakProblems } from '../../../backend/src/server/test/malformed-requests.ts';
import { awsAction, ec2Error, type ProxiedRequest } from '../../../backend/test/fault-proxy.ts';
import { launchPodVms, MOTO_REGION } from '../../../backend/test/moto-seed.ts';
import { api, log, seconds, sleep, waitUntil, type BackendProcess } from '../harness.ts';
import { startScenario } from '../scenario.ts';
import type { ScenarioResult } from './result.ts';

/** One worker in moto, the backend's EC2 calls through the fault proxy, every call seen. */
async function cloudStack(name: string) {
  const scenario = await startScenario({
    name,
    scheduler: false,
    nodes: { count: 1, prefix: 'aws-worker-' },
    limit: 10,
    cloud: 'aws-behind-proxy',
    webhook: false,
    backendEnv: { LEADER_ELECTION: 'false', ORPHAN_GRACE_SECONDS: '0' },
  });
  const { proxy } = scenario.cloud;
  /** Every request that reached the proxy, bodies included (re-armed after clearFaults). */
  const seen: ProxiedRequest[] = [];
  const spy = () =>
    proxy.inject({
      match: (request) => {
        seen.push(request);
        return false;
      },
      times: Infinity,
      respond: 'drop',
    });
  spy();
  return {
    ...scenario,
    ...scenario.cloud,
    seen,
    clearFaults() {
      proxy.clearFaults();
      spy();
    },
    async call<T>(backend: BackendProcess, path: string, init: { method?: string; body?: unknown } = {}) {
      const t0 = Date.now();
      const res = await api(backend, scenario.ca, scenario.cp.adminToken, path, { ...init, timeoutMs: 300_000 });
      return { status: res.status, body: JSON.parse(res.body) as T, text: res.body, ms: Date.now() - t0 };
    },
  };
}

const isRealAuthorize = (r: ProxiedRequest) =>
  awsAction('AuthorizeSecurityGroupIngress')(r) && !new URLSearchParams(r.body).get('DryRun')?.startsWith('true');

/** Ingress pairs per tcp port from the worker group to itself, read straight from moto. */
async function workerGroupRules(ec2: EC2Client, groupId: string): Promise<Record<string, number>> {
  const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  const counts: Record<string, number> = {};
  for (const permission of out.SecurityGroups?.[0]?.IpPermissions ?? []) {
    const pairs = (permission.UserIdGroupPairs ?? []).filter((p) => p.GroupId === groupId).length;
    const key = `${permission.IpProtocol}/${permission.FromPort}`;
    counts[key] = (counts[key] ?? 0) + pairs;
  }
  return counts;
}

/**
 * Two kills: (a) right after EC2 created the first rule, before the backend heard back; (b) while
 * the second rule's call was in flight (not yet made). Each time a new backend reruns the apply.
 */
export async function backendKilledDuringPortRuleApply(): Promise<ScenarioResult> {
  const stack = await cloudStack('port-apply');
  try {
    const groupId = stack.network.workerGroupId;
    const variants = [
      { name: 'after EC2 created the first rule, before the answer came back', nth: 1, afterForwarding: true },
      { name: 'while the second rule was in flight, not yet made', nth: 2, afterForwarding: false },
    ];
    const runs: Record<string, unknown>[] = [];
    let allGood = true;
    let slowestRecovery = 0;
    for (const variant of variants) {
      // Start from no rules.
      const before = await workerGroupRules(stack.ec2, groupId);
      for (const [key, count] of Object.entries(before)) {
        if (count === 0 || !/^tcp\//.test(key)) continue;
        const port = Number(key.split('/')[1]);
        await stack.ec2.send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: groupId,
            IpPermissions: [
              { IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [{ GroupId: groupId }] },
            ],
          }),
        );
      }
      stack.clearFaults();
      let seenAuthorize = 0;
      let hung = false;
      stack.proxy.inject({
        match: (r) => isRealAuthorize(r) && ++seenAuthorize === variant.nth && (hung = true),
        afterForwarding: variant.afterForwarding,
        respond: 'hang',
      });
      const first = await stack.startBackend(`port-apply-${variant.nth}`);
      const applying = stack
        .call<PortRulesApplyResult>(first, '/ports/apply', { method: 'POST', body: {} })
        .catch((e: Error) => e);
      await waitUntil('the apply to reach the hung call', () => hung, 60_000, 20);
      await sleep(200);
      first.kill('SIGKILL');
      const killed = Date.now();
      await first.exited;
      await applying;
      const atKill = await workerGroupRules(stack.ec2, groupId);
      stack.clearFaults();

      const second = await stack.startBackend(`port-apply-${variant.nth}-rerun`);
      const authorizeBefore = stack.seen.filter(isRealAuthorize).length;
      const status = await stack.call<PortRulesReport>(second, '/ports?fresh=true');
      const rerun = await stack.call<PortRulesApplyResult>(second, '/ports/apply', { method: 'POST', body: {} });
      const recovered = Date.now();
      const rerunAuthorizeCalls = stack.seen.filter(isRealAuthorize).length - authorizeBefore;
      const again = await stack.call<PortRulesApplyResult>(second, '/ports/apply', { method: 'POST', body: {} });
      const thirdAuthorizeCalls = stack.seen.filter(isRealAuthorize).length - authorizeBefore - rerunAuthorizeCalls;
      const after = await workerGroupRules(stack.ec2, groupId);
      await second.stop();
      const good =
        rerun.status === 200 &&
        rerun.body.verified.rules.every((r) => r.state === 'present') &&
        after['tcp/15150'] === 1 &&
        after['tcp/9000'] === 1 &&
        again.status === 200 &&
        thirdAuthorizeCalls === 0 &&
        second.leakedLines.length === 0;
      allGood &&= good;
      slowestRecovery = Math.max(slowestRecovery, recovered - killed);
      runs.push({
        killed: variant.name,
        rulesInEc2AtKill: atKill,
        statusAfterRestart: status.body.rules.map((r) => `${r.id.split('/')[0]} ${r.state}`),
        rerun: rerun.body.results.map((r) => `${r.id.split('/')[0]} ${r.outcome}`),
        rerunAuthorizeCalls,
        rulesInEc2AfterRerun: after,
        thirdApply: again.body.results.map((r) => `${r.id.split('/')[0]} ${r.outcome}`),
        thirdApplyAuthorizeCalls: thirdAuthorizeCalls,
        killToConvergedSeconds: seconds(recovered - killed),
        good,
      });
    }
    return {
      scenario: 'backend-killed-during-port-rule-apply',
      what: 'the backend SIGKILLed in the middle of POST /api/v1/ports/apply (tcp 15150 and 9000 into the worker security group), twice: after EC2 made the first rule but before the backend heard, and with the second call in flight',
      observed:
        'the new backend found the rule that had been made present and created only the missing one; a third apply made no EC2 call; each port has exactly one rule in EC2',
      timeToRecoverSeconds: seconds(slowestRecovery),
      nothingLost: allGood,
      details: { runs, recoveryIncludes: 'starting a new backend process, GET /ports, POST /ports/apply' },
    };
  } finally {
    await stack.stop();
  }
}

/**
 * 12 orphans, 2 VMs claimed by pods, 2 by PeerPods, 2 of another cluster (another subnet). A
 * cleanup of all 18 ids is killed after 5 terminations went through and a 6th was made by EC2
 * without the backend hearing; a new backend must delete exactly the remaining 6 orphans.
 */
export async function backendKilledDuringOrphanCleanup(): Promise<ScenarioResult> {
  const stack = await cloudStack('orphan-cleanup');
  try {
    const { ec2, network } = stack;
    const orphans = await launchPodVms(ec2, {
      names: Array.from({ length: 12 }, (_, i) => `podvm-gone-job-${i}-${(0xa0000000 + i).toString(16)}`),
      subnetId: network.subnetId,
    });
    const byPods = await launchPodVms(ec2, {
      names: ['podvm-claimed-web-0-1a2b3c4d', 'podvm-claimed-web-1-1a2b3c4e'],
      subnetId: network.subnetId,
    });
    const byPeerPods = await launchPodVms(ec2, {
      names: ['podvm-tracked-0-5e6f7a8b', 'podvm-tracked-1-5e6f7a8c'],
      subnetId: network.subnetId,
    });
    const otherSubnet = await ec2.send(
      new CreateSubnetCommand({ VpcId: network.vpcId, CidrBlock: '10.0.64.0/19', AvailabilityZone: `${MOTO_REGION}a` }),
    );
    const foreign = await launchPodVms(ec2, {
      names: ['podvm-other-cluster-0-99999999', 'podvm-other-cluster-1-99999998'],
      subnetId: otherSubnet.Subnet!.SubnetId!,
    });
    await ec2.send(
      new CreateTagsCommand({ Resources: foreign.map((v) => v.id), Tags: [{ Key: 'cluster', Value: 'other' }] }),
    );
    for (const [i] of byPods.entries()) {
      await stack.client.request({
        method: 'POST',
        path: '/api/v1/namespaces/default/pods',
        body: {
          metadata: { name: `claimed-web-${i}` },
          spec: {
            runtimeClassName: 'kata-remote',
            nodeName: 'aws-worker-0',
            containers: [{ name: 'app', image: 'registry.access.redhat.com/ubi9/ubi-minimal' }],
          },
        },
      });
    }
    for (const [i, vm] of byPeerPods.entries()) {
      await stack.client.request({
        method: 'POST',
        path: '/apis/confidentialcontainers.org/v1alpha1/namespaces/default/peerpods',
        body: {
          apiVersion: 'confidentialcontainers.org/v1alpha1',
          kind: 'PeerPod',
          metadata: { name: `tracked-${i}` },
          spec: { cloudProvider: 'aws', instanceID: vm.id },
        },
      });
    }
    const allIds = [...orphans, ...byPods, ...byPeerPods, ...foreign].map((v) => v.id);
    const orphanIds = new Set(orphans.map((v) => v.id));

    const terminateCalls = new Map<string, number>();
    const instanceOf = (r: ProxiedRequest) => new URLSearchParams(r.body).get('InstanceId.1') ?? '';
    let terminations = 0;
    const notForwarded = new Set<ProxiedRequest>();
    const first = await stack.startBackend('cleanup');
    await waitUntil(
      'the inventory to list the orphans',
      async () => {
        const listed = (await stack.call<VmInventory>(first, '/vms')).body.vms.filter((v) => v.orphan).map((v) => v.id);
        return orphans.every((o) => listed.includes(o.id));
      },
      60_000,
      500,
    );
    const dryRun = await stack.call<OrphanCleanupResult>(first, '/vms/cleanup', {
      method: 'POST',
      body: { vmIds: allIds, dryRun: true },
    });
    // Terminations 1-5 pass; the 6th is made by EC2 but its answer never comes; later ones hang unmade.
    // (Faults are tried in order until one matches; a used-up fault is not asked again, so the
    // counting happens in one that never matches.)
    stack.proxy.inject({
      match: (r) => {
        if (awsAction('TerminateInstances')(r)) terminations++;
        return false;
      },
      times: Infinity,
      respond: 'hang',
    });
    stack.proxy.inject({
      match: (r) => awsAction('TerminateInstances')(r) && terminations === 6,
      afterForwarding: true,
      respond: 'hang',
    });
    stack.proxy.inject({
      match: (r) => awsAction('TerminateInstances')(r) && terminations > 6 && Boolean(notForwarded.add(r)),
      times: Infinity,
      respond: 'hang',
    });
    const cleaning = stack
      .call<OrphanCleanupResult>(first, '/vms/cleanup', {
        method: 'POST',
        body: { vmIds: allIds, dryRun: false, confirmation: dryRun.body.confirmation },
      })
      .catch((e: Error) => e);
    await waitUntil('the 6th termination', () => terminations >= 6, 60_000, 20);
    await sleep(300);
    first.kill('SIGKILL');
    const killed = Date.now();
    await first.exited;
    await cleaning;
    for (const r of stack.seen) {
      if (awsAction('TerminateInstances')(r) && !notForwarded.has(r)) {
        terminateCalls.set(instanceOf(r), (terminateCalls.get(instanceOf(r)) ?? 0) + 1);
      }
    }
    const states = async () => {
      const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: allIds }));
      return new Map(out.Reservations!.flatMap((r) => r.Instances!).map((i) => [i.InstanceId!, i.State!.Name!]));
    };
    const atKill = await states();
    const terminatedAtKill = [...atKill].filter(([, s]) => s === 'terminated' || s === 'shutting-down').length;
    stack.clearFaults();

    const seenBefore = stack.seen.length;
    const second = await stack.startBackend('cleanup-rerun');
    const rerunDry = await stack.call<OrphanCleanupResult>(second, '/vms/cleanup', {
      method: 'POST',
      body: { vmIds: allIds, dryRun: true },
    });
    // The real cleanups carry the confirmation of the new backend's dry run.
    const confirmed = { vmIds: allIds, dryRun: false, confirmation: rerunDry.body.confirmation };
    const rerun = await stack.call<OrphanCleanupResult>(second, '/vms/cleanup', { method: 'POST', body: confirmed });
    const recovered = Date.now();
    const third = await stack.call<OrphanCleanupResult>(second, '/vms/cleanup', { method: 'POST', body: confirmed });
    for (const r of stack.seen.slice(seenBefore)) {
      if (awsAction('TerminateInstances')(r))
        terminateCalls.set(instanceOf(r), (terminateCalls.get(instanceOf(r)) ?? 0) + 1);
    }
    const final = await states();
    await second.stop();
    const wronglyDeleted = allIds.filter((id) => !orphanIds.has(id) && final.get(id) !== 'running');
    const orphansLeft = [...orphanIds].filter((id) => final.get(id) !== 'terminated');
    const deletedTwice = [...terminateCalls].filter(([, n]) => n > 1).map(([id]) => id);
    const outcomes = (r: OrphanCleanupResult) =>
      r.results.reduce<Record<string, number>>((acc, x) => ((acc[x.outcome] = (acc[x.outcome] ?? 0) + 1), acc), {});
    const leaks = [dryRun.text, rerunDry.text, rerun.text, third.text].flatMap((t) => leakProblems(t, stack.secrets));
    return {
      scenario: 'backend-killed-during-orphan-cleanup',
      what: 'the backend SIGKILLed in the middle of POST /api/v1/vms/cleanup of 18 ids (12 orphans, 4 claimed, 2 of another cluster), after 5 terminations and a 6th that EC2 made unheard',
      observed: `${terminatedAtKill} orphans terminated at the kill; the new backend's dry run proposed the other ${outcomes(rerunDry.body)['would-delete'] ?? 0}, its cleanup deleted them and refused the 6 claimed/foreign VMs; a third run deleted nothing`,
      timeToRecoverSeconds: seconds(recovered - killed),
      nothingLost:
        wronglyDeleted.length === 0 && orphansLeft.length === 0 && deletedTwice.length === 0 && leaks.length === 0,
      details: {
        firstDryRun: outcomes(dryRun.body),
        orphansTerminatedAtKill: terminatedAtKill,
        rerunDryRun: outcomes(rerunDry.body),
        rerun: outcomes(rerun.body),
        thirdRun: outcomes(third.body),
        terminateCallsReachingEc2: [...terminateCalls.values()].reduce((a, b) => a + b, 0),
        vmsTerminatedTwice: deletedTwice,
        claimedOrForeignVmsNotRunning: wronglyDeleted,
        orphansLeft,
        leaksInAnswers: leaks,
        killToCleanedUpSeconds: seconds(recovered - killed),
        recoveryIncludes: 'starting a new backend process, a dry run and the cleanup',
      },
    };
  } finally {
    await stack.stop();
  }
}

/** EC2 errors injected under GET /api/v1/ports and POST /api/v1/ports/apply. */
export async function cloudApiErrors(): Promise<ScenarioResult> {
  const stack = await cloudStack('cloud-errors');
  try {
    const backend = await stack.startBackend('cloud-errors');
    await waitUntil(
      'GET /ports',
      async () => (await stack.call(backend, '/ports?fresh=true')).status === 200,
      60_000,
      500,
    );
    const describe = awsAction('DescribeInstances');
    const cases: {
      name: string;
      inject: () => void;
      call: () => Promise<{ status: number; text: string; ms: number }>;
      expectStatus: number;
    }[] = [
      {
        name: 'HTTP 500 InternalError twice on DescribeInstances',
        inject: () =>
          stack.proxy.inject({
            match: describe,
            times: 2,
            respond: ec2Error(500, 'InternalError', 'An internal error has occurred'),
          }),
        call: () => stack.call(backend, '/ports?fresh=true'),
        expectStatus: 200,
      },
      {
        name: 'HTTP 503 Unavailable 4 times (5 attempts allowed)',
        inject: () =>
          stack.proxy.inject({
            match: describe,
            times: 4,
            respond: ec2Error(503, 'Unavailable', 'The server is overloaded'),
          }),
        call: () => stack.call(backend, '/ports?fresh=true'),
        expectStatus: 200,
      },
      {
        name: 'throttling (RequestLimitExceeded) 3 times on DescribeSecurityGroups',
        inject: () =>
          stack.proxy.inject({
            match: awsAction('DescribeSecurityGroups'),
            times: 3,
            respond: ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.'),
          }),
        call: () => stack.call(backend, '/ports?fresh=true'),
        expectStatus: 200,
      },
      {
        name: 'connection dropped twice on DescribeInstances',
        inject: () => stack.proxy.inject({ match: describe, times: 2, respond: 'drop' }),
        call: () => stack.call(backend, '/ports?fresh=true'),
        expectStatus: 200,
      },
      {
        name: 'connection dropped after EC2 made the rule (AuthorizeSecurityGroupIngress)',
        inject: () => stack.proxy.inject({ match: isRealAuthorize, afterForwarding: true, respond: 'drop' }),
        call: () => stack.call(backend, '/ports/apply', { method: 'POST', body: {} }),
        expectStatus: 200,
      },
      {
        name: 'a timeout: DescribeInstances never answers, once',
        inject: () => stack.proxy.inject({ match: describe, times: 1, respond: 'hang' }),
        call: () => stack.call(backend, '/ports?fresh=true'),
        expectStatus: 200,
      },
      {
        name: 'HTTP 500 on every DescribeInstances',
        inject: () =>
          stack.proxy.inject({
            match: describe,
            times: Infinity,
            respond: ec2Error(500, 'InternalError', 'An internal error has occurred'),
          }),
        call: () => stack.call(backend, '/ports?fresh=true'),
        expectStatus: 503,
      },
      {
        name: 'throttling on every DescribeInstances',
        inject: () =>
          stack.proxy.inject({
            match: describe,
            times: Infinity,
            respond: ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.'),
          }),
        call: () => stack.call(backend, '/ports?fresh=true'),
        expectStatus: 503,
      },
      {
        name: 'every connection dropped',
        inject: () => stack.proxy.inject({ match: () => true, times: Infinity, respond: 'drop' }),
        call: () => stack.call(backend, '/ports?fresh=true'),
        expectStatus: 503,
      },
      {
        name: 'AuthFailure (HTTP 401), echoing the access key id',
        inject: () =>
          stack.proxy.inject({
            match: describe,
            times: Infinity,
            respond: ec2Error(
              401,
              'AuthFailure',
              `AWS was not able to validate the provided access credentials for ${stack.credentials.accessKeyId}`,
            ),
          }),
        call: () => stack.call(backend, '/ports?fresh=true'),
        expectStatus: 502,
      },
      {
        name: 'every DescribeInstances times out',
        inject: () => stack.proxy.inject({ match: describe, times: Infinity, respond: 'hang' }),
        call: () => stack.call(backend, '/ports?fresh=true'),
        expectStatus: 503,
      },
    ];
    const results: Record<string, unknown>[] = [];
    let allGood = true;
    for (const c of cases) {
      stack.clearFaults();
      const seenBefore = stack.seen.length;
      c.inject();
      const answer = await c.call();
      const attempts = stack.seen.length - seenBefore;
      stack.clearFaults();
      const recoveredStarted = Date.now();
      const recovery = await stack.call<PortRulesReport>(backend, '/ports');
      const body = JSON.parse(answer.text) as { error?: { code: string; message: string } };
      const leaks = leakProblems(answer.text, stack.secrets);
      const good = answer.status === c.expectStatus && leaks.length === 0 && recovery.status === 200;
      allGood &&= good;
      results.push({
        fault: c.name,
        status: answer.status,
        seconds: seconds(answer.ms),
        ec2Requests: attempts,
        error: body.error ? `${body.error.code}: ${body.error.message}` : null,
        leaks,
        nextCallAfterFaultCleared: { status: recovery.status, seconds: seconds(Date.now() - recoveredStarted) },
        good,
      });
      log(`${c.name}: ${answer.status} in ${seconds(answer.ms)} s after ${attempts} EC2 requests`);
    }
    const rules = await workerGroupRules(stack.ec2, stack.network.workerGroupId);
    await backend.stop();
    allGood &&= rules['tcp/15150'] === 1 && rules['tcp/9000'] === 1 && backend.leakedLines.length === 0;
    const transient = results.filter((r) => r.status === 200);
    return {
      scenario: 'cloud-api-errors',
      what: 'EC2 answers 5xx, throttles, times out and drops connections under GET /api/v1/ports and POST /api/v1/ports/apply (fault proxy in front of moto)',
      observed: `${transient.length} transient faults absorbed by the SDK's retries (the call still answered 200); persistent faults answered 503/502 with a cloud_* code and a sentence, no secret; one hung call costs the SDK's 30 s request timeout`,
      timeToRecoverSeconds: Math.max(
        ...results.map((r) => (r.nextCallAfterFaultCleared as { seconds: number }).seconds),
      ),
      nothingLost: allGood,
      details: { cases: results, rulesInEc2AfterAll: rules, backendLogLinesWithASecret: backend.leakedLines.length },
    };
  } finally {
    await stack.stop();
  }
}
