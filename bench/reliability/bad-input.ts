// Bad input at scale: malformed and hostile requests against every endpoint of a running backend
// (its own process, TLS, a real API server answering its TokenReviews and SubjectAccessReviews,
// moto as its cloud), then the webhook's own fuzzers. Prints one JSON object.
//
//   npx tsx bench/reliability/bad-input.ts [--random 20000] [--concurrency 16] [--seed N] [--skip-webhook-fuzz]
//     [--memory-limit-mb 512] [--admissions-per-second 20]
//
// Throughout, valid AdmissionReviews go to the webhook (--admissions-per-second); each must be
// answered with its patch. With --memory-limit-mb the backend runs as the image does under that
// container limit: in a memory cgroup, started by backend/bin/start.sh (heap sized from the limit);
// the run then also reports the cgroup's peak usage, limit hits and OOM kills (needs root).
//
// Every answer must be below 500 (or a closed connection, for bytes the HTTP parser refuses), with
// no stack trace, file path, token, cloud secret or file from outside the asset directory in it;
// the backend must stay up, and no log line may carry a token or a secret.
// The cases are in backend/src/server/test/malformed-requests.ts, shared with the CI test
// backend/src/server/api.fuzz.integration.test.ts (which sends the deterministic ones and 1,500 random ones).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  deterministicCases,
  problemsWith,
  randomCases,
  rawRequest,
  sendRaw,
  type MalformedCase,
} from '../../backend/src/server/test/malformed-requests.ts';
import { admissionReview, peerPodWithSidecars } from '../../backend/src/webhook/test/fixtures.ts';
import { backendMetrics, https, log, machine, processFigures, repo, sleep, waitUntil, workDir } from './harness.ts';
import { startScenario } from './scenario.ts';

const { values: args } = parseArgs({
  options: {
    random: { type: 'string', default: '20000' },
    /** The random requests are sent in this many rounds (new seeds), with memory figures after each. */
    rounds: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '16' },
    seed: { type: 'string', default: String(0xbad1) },
    'skip-webhook-fuzz': { type: 'boolean', default: false },
    /**
     * Run the backend as the image runs under a container memory limit (MiB): in a memory cgroup
     * with that limit, through backend/bin/start.sh, which sizes the heap from it. Needs root.
     */
    'memory-limit-mb': { type: 'string', default: '' },
    /** Valid AdmissionReviews per second sent to the webhook throughout; each must be answered. */
    'admissions-per-second': { type: 'string', default: '20' },
  },
});
const started = Date.now();
const loadAtStart = machine().loadAverage;
const CANARY = `canary-${Date.now().toString(36)}-must-never-be-served`;

// The plugin's assets, and a canary file beside (outside) them that traversal must not reach.
const dir = workDir('bad-input');
const assets = join(dir, 'assets');
mkdirSync(join(assets, 'locales', 'en'), { recursive: true });
writeFileSync(join(assets, 'plugin-manifest.json'), '{"name":"peer-pods-console-plugin"}');
writeFileSync(join(assets, 'exposed-main-0123abcd.js'), 'console.log(1)');
writeFileSync(join(assets, 'locales', 'en', 'plugin__peer-pods-console-plugin.json'), '{}');
writeFileSync(join(assets, '.env'), CANARY);
writeFileSync(join(dir, 'canary.txt'), CANARY);

const scenario = await startScenario({
  name: 'bad-input',
  scheduler: false,
  nodes: { count: 1, prefix: 'fuzz-node-' },
  limit: 4,
  cloud: 'aws',
  webhook: 'direct',
  // Ready (the health port) and its caches loaded (readiness does not wait for them; the API does).
  ready: 'serving',
  backendEnv: {
    PLUGIN_ASSETS_DIR: assets,
    LEADER_ELECTION: 'false',
    ORPHAN_GRACE_SECONDS: '0',
    // The product's default: the periodic cloud inventory runs throughout, as in a cluster.
    INVENTORY_INTERVAL_SECONDS: '60',
  },
  memoryLimitMb: args['memory-limit-mb'] ? Number(args['memory-limit-mb']) : undefined,
});
try {
  const { cp, secrets } = scenario;
  const backend = await scenario.startBackend();
  const rssBefore = backend.rssMb();
  const fdsBefore = backend.openFds();
  const commandLine = backend.commandLine();
  const heapFlag = commandLine.find((arg) => arg.startsWith('--max-old-space-size=')) ?? null;

  // Throughout the run, real admissions: the webhook must go on answering every one while the
  // malformed requests land on both ports.
  const admissionAgent = new Agent({ keepAlive: true, maxSockets: 2, ca: cp.caCertPem });
  const reviewBody = JSON.stringify(admissionReview(peerPodWithSidecars(), { uid: 'bad-input', namespace: 'shop' }));
  const admissions = { sent: 0, ok: 0, failed: 0, firstFailures: [] as string[] };
  let admitting = true;
  const admitter = (async () => {
    const perSecond = Number(args['admissions-per-second']);
    const t0 = performance.now();
    while (admitting && perSecond > 0) {
      const due = Math.floor(((performance.now() - t0) / 1000) * perSecond);
      for (; admissions.sent < due;) {
        admissions.sent++;
        void https(`${backend.webhookUrl}/mutate-v1-pod?timeout=10s`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: reviewBody,
          ca: cp.caCertPem,
          agent: admissionAgent,
          timeoutMs: 10_000,
        }).then(
          (answer) => {
            if (answer.status === 200 && answer.body.includes('"allowed":true') && answer.body.includes('"patch"')) {
              admissions.ok++;
            } else {
              admissions.failed++;
              if (admissions.firstFailures.length < 5) admissions.firstFailures.push(`${answer.status}`);
            }
          },
          (err: Error) => {
            admissions.failed++;
            if (admissions.firstFailures.length < 5) admissions.firstFailures.push(err.message);
          },
        );
      }
      await sleep(20);
    }
  })();

  const ctx = { basePath: '/', adminToken: cp.adminToken, userToken: cp.userToken, canaryName: 'canary.txt' };
  const rounds = Number(args.rounds);
  const perRound = Math.ceil(Number(args.random) / rounds);
  const deterministic = deterministicCases(ctx);
  const randomRounds = Array.from({ length: rounds }, (_, round) =>
    randomCases(ctx, Number(args.seed) + round, perRound),
  );
  const cases: MalformedCase[] = [...deterministic, ...randomRounds.flat()];
  const apiTarget = { host: '127.0.0.1', port: Number(new URL(backend.url).port), ca: cp.caCertPem };
  const webhookTarget = { host: '127.0.0.1', port: Number(new URL(backend.webhookUrl!).port), ca: cp.caCertPem };
  // The webhook port gets the protocol-level cases too (its admission bodies are the webhook fuzzers').
  const webhookCases: MalformedCase[] = [
    // Same bytes; the webhook has its own answers (404 for paths it does not serve), so only the
    // universal rules apply.
    ...deterministicCases(ctx).map((c) => ({ ...c, expect: undefined })),
    {
      name: 'webhook: POST /mutate-v1-pod with a 5 MB body',
      request: rawRequest({
        method: 'POST',
        target: '/mutate-v1-pod',
        headers: [['Content-Type', 'application/json']],
        body: Buffer.alloc(5 * 1024 * 1024, 0x20),
      }),
      expect: [413],
      mayCloseWithoutAnswer: true,
    },
  ];

  log(`${cases.length} requests against the API port, ${webhookCases.length} against the webhook port`);
  const statuses: Record<string, number> = {};
  const problems: { case: string; problems: string[]; status: number; body: string }[] = [];
  let timedOut = 0;
  let closed = 0;
  const run = async (list: MalformedCase[], target: typeof apiTarget, label: string) => {
    let next = 0;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: Number(args.concurrency) }, async () => {
        while (next < list.length) {
          const c = list[next++]!;
          const answer = await sendRaw(target, c.request, {
            stream: c.stream,
            timeoutMs: c.mayTimeOut ? 2_000 : 15_000,
          });
          const key = answer.closedWithoutAnswer ? 'closed' : answer.timedOut ? 'timeout' : String(answer.status);
          statuses[key] = (statuses[key] ?? 0) + 1;
          if (answer.timedOut) timedOut++;
          if (answer.closedWithoutAnswer) closed++;
          const found = problemsWith(c, answer, secrets, CANARY);
          if (found.length > 0) {
            problems.push({
              case: `${label}: ${c.name}`,
              problems: found,
              status: answer.status,
              body: answer.body.slice(0, 300),
            });
          }
          if (!backend.alive()) throw new Error(`the backend died during "${c.name}"`);
        }
      }),
    );
    return Date.now() - t0;
  };
  const memory = [{ after: 'start', ...processFigures(await backendMetrics(backend, cp.caCertPem)) }];
  let apiMs = await run(deterministic, apiTarget, 'api');
  memory.push({
    after: `${deterministic.length} deterministic requests`,
    ...processFigures(await backendMetrics(backend, cp.caCertPem)),
  });
  for (const [index, list] of randomRounds.entries()) {
    apiMs += await run(list, apiTarget, 'api');
    memory.push({
      after: `random round ${index + 1} (${list.length} requests)`,
      ...processFigures(await backendMetrics(backend, cp.caCertPem)),
    });
  }
  const webhookMs = await run(webhookCases, webhookTarget, 'webhook');
  admitting = false;
  await admitter;
  await waitUntil('the last admissions to be answered', () => admissions.ok + admissions.failed === admissions.sent);
  admissionAgent.destroy();

  const healthAfter = await https(`${backend.url}healthz`, { ca: cp.caCertPem });
  const capacityAfter = await https(`${backend.url}api/v1/capacity`, {
    ca: cp.caCertPem,
    headers: { Authorization: `Bearer ${cp.adminToken}` },
  });
  const rssAfter = backend.rssMb();
  const fdsAfter = backend.openFds();

  // The webhook's fuzzers, with 10,240 random and mutated AdmissionReviews (CI runs 1,024).
  let webhookFuzz: Record<string, unknown> = { skipped: true };
  if (!args['skip-webhook-fuzz']) {
    log('running the webhook fuzzers (vitest backend/src/webhook/server.robustness.test.ts)');
    const t0 = Date.now();
    const vitest = spawnSync(
      join(repo, 'node_modules', '.bin', 'vitest'),
      ['run', 'backend/src/webhook/server.robustness.test.ts', '--reporter=json'],
      {
        cwd: repo,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, WEBHOOK_FUZZ_CASES: '10240' },
      },
    );
    const report = JSON.parse(vitest.stdout.slice(vitest.stdout.indexOf('{'))) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: { assertionResults: { title: string; status: string }[] }[];
    };
    webhookFuzz = {
      file: 'backend/src/webhook/server.robustness.test.ts',
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      tests: report.testResults.flatMap((r) => r.assertionResults.map((a) => `${a.status}: ${a.title}`)),
      seconds: Math.round((Date.now() - t0) / 1000),
    };
  }

  const cgroup = backend.memoryCgroup?.figures();
  await backend.stop();
  const result = {
    scenario: 'bad input at scale',
    machine: { ...machine(), loadAverageAtStart: loadAtStart },
    api: {
      requests: cases.length,
      deterministic: deterministic.length,
      random: perRound * rounds,
      rounds,
      seed: Number(args.seed),
      seconds: Math.round(apiMs / 100) / 10,
    },
    webhookPort: { requests: webhookCases.length, seconds: Math.round(webhookMs / 100) / 10 },
    statuses,
    closedByParser: closed,
    gaveUpWaiting: timedOut,
    problems: problems.length,
    firstProblems: problems.slice(0, 20),
    admissionsThroughout: { ...admissions, perSecond: Number(args['admissions-per-second']) },
    memoryLimit: cgroup
      ? {
          ...cgroup,
          startedAs: commandLine
            .slice(0, 2)
            .map((arg) => arg.replace(repo, '.'))
            .join(' '),
          heapFlag,
        }
      : { limitMb: null, heapFlag },
    backend: {
      aliveThroughout: true,
      healthzAfter: healthAfter.status,
      capacityAfter: capacityAfter.status,
      rssMb: { before: rssBefore, after: rssAfter },
      memory,
      openFds: { before: fdsBefore, after: fdsAfter },
      errorLogLines: backend.errorLines.length,
      firstErrorLogLines: backend.errorLines.slice(0, 5),
      logLinesWithASecret: backend.leakedLines.length,
      firstLogLinesWithASecret: backend.leakedLines
        .slice(0, 5)
        .map((line) => secrets.reduce((l, secret) => l.replaceAll(secret, '<SECRET>'), line).slice(0, 400)),
    },
    webhookFuzz,
    met:
      problems.length === 0 &&
      healthAfter.status === 200 &&
      capacityAfter.status === 200 &&
      backend.leakedLines.length === 0 &&
      admissions.failed === 0 &&
      (cgroup === undefined || cgroup.oomKills === 0) &&
      (webhookFuzz.skipped === true || webhookFuzz.failed === 0),
    totalSeconds: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await scenario.stop();
}
