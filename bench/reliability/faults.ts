// Faults: each scenario injects one fault into a running system and checks that it recovers and
// that nothing was lost, doubled or done wrongly. Prints one JSON object with a result per scenario.
//
//   npx tsx bench/reliability/faults.ts                       # every scenario, about 15 minutes
//   npx tsx bench/reliability/faults.ts --scenario leader-killed-during-reconciliation[,…]
//   npx tsx bench/reliability/faults.ts --list
//
// Each scenario starts its own control plane (and moto where it needs a cloud) and runs the
// backend as its own compiled process; see faults/*.ts for what each one does and checks.
import { parseArgs } from 'node:util';
import { apiServerRestartDuringLimitChange, apiServerRestartDuringPodCreation } from './faults/apiserver.ts';
import { certificateRotatedUnderLoad } from './faults/certificate.ts';
import { backendKilledDuringOrphanCleanup, backendKilledDuringPortRuleApply, cloudApiErrors } from './faults/cloud.ts';
import { leaderKilledDuringReconciliation } from './faults/leader.ts';
import type { ScenarioResult } from './faults/result.ts';
import { log, machine, seconds } from './harness.ts';

const SCENARIOS: Record<string, () => Promise<ScenarioResult>> = {
  'apiserver-restart-during-pod-creation': apiServerRestartDuringPodCreation,
  'apiserver-restart-during-limit-change': apiServerRestartDuringLimitChange,
  'leader-killed-during-reconciliation': leaderKilledDuringReconciliation,
  'backend-killed-during-port-rule-apply': backendKilledDuringPortRuleApply,
  'backend-killed-during-orphan-cleanup': backendKilledDuringOrphanCleanup,
  'cloud-api-errors': cloudApiErrors,
  'certificate-rotated-under-load': certificateRotatedUnderLoad,
};

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'all' },
    list: { type: 'boolean', default: false },
  },
});
if (args.list) {
  process.stdout.write(`${Object.keys(SCENARIOS).join('\n')}\n`);
  process.exit(0);
}
const chosen = args.scenario === 'all' ? Object.keys(SCENARIOS) : args.scenario!.split(',').map((s) => s.trim());
const unknown = chosen.filter((name) => !SCENARIOS[name]);
if (unknown.length > 0) {
  console.error(`--scenario: unknown ${unknown.join(', ')}; choose from ${Object.keys(SCENARIOS).join(', ')} or all`);
  process.exit(2);
}

const started = Date.now();
const results: (ScenarioResult | { scenario: string; error: string })[] = [];
for (const name of chosen) {
  log(`=== ${name} (load average ${machine().loadAverage.join(' ')}) ===`);
  const t0 = Date.now();
  try {
    const result = await SCENARIOS[name]!();
    results.push({
      ...result,
      details: { ...result.details, scenarioSeconds: seconds(Date.now() - t0), loadAverage: machine().loadAverage },
    });
    log(`${name}: nothing lost ${result.nothingLost}, recovered in ${result.timeToRecoverSeconds} s`);
  } catch (err) {
    results.push({ scenario: name, error: (err as Error).stack ?? String(err) });
    log(`${name} failed: ${(err as Error).message}`);
  }
}
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'reliability under faults',
      machine: machine(),
      scenarios: results,
      allRecoveredWithNothingLost: results.every((r) => 'nothingLost' in r && r.nothingLost),
      totalSeconds: seconds(Date.now() - started),
    },
    null,
    2,
  )}\n`,
);
