// The README's test command (`hack/run test`): static checks, then the two Vitest lanes (unit;
// integration against real control planes and cloud endpoints), then the
// Playwright end-to-end tests when there are any. Ends with one summary line that CI reads.
// SIGINT or SIGTERM to this process (npm `exec`s it) reaches the running stage, which stops its own
// children, and no later stage starts.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];
const args = process.argv.slice(2).filter((a) => a !== '--');
const quick = args.includes('--skip-lint');

let running: ChildProcess | undefined;
let stoppedBy: NodeJS.Signals | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stoppedBy = signal;
    running?.kill(signal);
  });
}

async function run(title: string, command: string, commandArgs: string[], env: NodeJS.ProcessEnv = {}) {
  if (stoppedBy) process.exit(128 + constants.signals[stoppedBy]);
  console.log(`\n=== ${title} ===`);
  const child = spawn(command, commandArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  running = child;
  const [status, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  running = undefined;
  if (stoppedBy) process.exit(128 + constants.signals[stoppedBy]);
  if (status !== 0) failures.push(`${title} (exit ${status ?? signal})`);
}

if (!quick) {
  await run('lint: types, eslint, stylelint, prettier', 'npm', ['run', '-s', 'lint']);
}

const reportDir = mkdtempSync(join(tmpdir(), 'peerpods-test-'));
// The two Vitest lanes (vitest.config.ts), unit first: it fails fast and needs nothing built.
for (const lane of [
  { name: 'unit', title: 'vitest unit: contract, backend and hack logic, plugin components', project: 'unit:*' },
  { name: 'integration', title: 'vitest integration: control planes, moto, ARM server, helm', project: 'integration' },
]) {
  const vitestReport = join(reportDir, `vitest-${lane.name}.json`);
  await run(lane.title, 'vitest', [
    'run',
    `--project=${lane.project}`,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestReport}`,
  ]);
  if (existsSync(vitestReport)) {
    const report = JSON.parse(readFileSync(vitestReport, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    total.passed += report.numPassedTests;
    total.failed += report.numFailedTests;
    total.skipped += report.numPendingTests + report.numTodoTests;
  } else {
    failures.push(`vitest ${lane.name} wrote no report`);
  }
}

const e2eSpecs = existsSync('e2e')
  ? readdirSync('e2e', { recursive: true }).filter((f) => String(f).endsWith('.spec.ts'))
  : [];
if (e2eSpecs.length > 0) {
  const playwrightReport = join(reportDir, 'playwright.json');
  await run('playwright: end-to-end tests in Chromium', 'playwright', ['test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
  });
  if (existsSync(playwrightReport)) {
    const report = JSON.parse(readFileSync(playwrightReport, 'utf8')) as {
      stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    };
    total.passed += report.stats.expected + report.stats.flaky;
    total.failed += report.stats.unexpected;
    total.skipped += report.stats.skipped;
  } else {
    failures.push('playwright wrote no report');
  }
}

console.log('');
if (failures.length > 0) console.log(`failed stages: ${failures.join('; ')}`);
if (total.passed + total.failed === 0) failures.push('no test ran');
console.log(
  `Tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(failures.length > 0 || total.failed > 0 ? 1 : 0);
