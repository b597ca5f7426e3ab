// Browser benchmark (issues 9 and 17): N nodes (1,000 by default; issue 17 runs 5,000) — time from
// navigation to the capacity table rendered in headless Chromium (target ≤ 2 s), sort and filter
// (target ≤ 100 ms), and the page's JS heap under live updates (after 10 minutes within 10 % of
// after 1). Prints one JSON object on stdout, progress on stderr.
//
//   npx tsx bench/browser/run.ts [--nodes 1000] [--runs 7] [--live-seconds 60] [--churn-per-second 2]
//                                [--baseline-nodes 5]
//                                [--real-console 4.20,4.22|none]
//
// The stack is the one `hack/run start` brings up (hack/local-stack/stack.ts: control plane,
// moto EC2 with one instance per worker, the backend with its webhook registered, the console
// shell loading the built plugin through its manifest), with N workers and no demo pods. Then
// 0–4 peer pods per worker (2,000 on 1,000 nodes) are created bound to their node through the
// API server and the webhook, and the bench waits until the backend's model counts all of them.
//
// In Debian's Chromium (/usr/bin/chromium, as the e2e tests), per navigation to
// /peer-pods/capacity: the time from page.goto() until the node table shows exactly the expected
// first page (20 rows in name order) and the cluster totals show "VMs on N of N nodes" and the
// pods in use. The first navigation of a freshly launched browser is reported as cold; the next
// --runs open a new page in the same browser context (HTTP cache warm, as for a returning user).
// On each warm page, also: sort by Utilisation (both directions) and a name filter, timed in the
// page from the action to the expected rows; the JS heap (CDP Performance.getMetrics) after the
// render and after a forced GC. Then one page stays open for --live-seconds while peer pods come
// and go at --churn-per-second (the backend's stream pushes a delta per 200 ms window), and its
// heap after GC is read at 1 minute and at the end.
// The same runs (without the live phase) against a second stack with --baseline-nodes give the
// ratio; --baseline-nodes 0 skips it. The same navigations, sorts and filters then run in each
// real OpenShift console of --real-console (default: those ../shared/real-console/ holds) on the
// same stack, against the same data, reported beside the shell's with their ratio to it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { CHROMIUM_LAUNCH_OPTIONS, requireChromium } from '../../hack/chromium.ts';
import { RUNTIME_CLASS } from '../../hack/controlplane/fixtures.ts';
import { waitForAdvertisedCapacity } from '../../hack/local-stack/demo.ts';
import { buildPluginIfStale, repoRoot } from '../../hack/local-stack/plugin-build.ts';
import {
  availableRealConsoles,
  realConsoleAbsence,
  type RealConsoleVersion,
} from '../../hack/local-stack/real-console.ts';
import { startLocalStack, type LocalStack } from '../../hack/local-stack/stack.ts';
import {
  expectedFirstPage,
  FIRST_PAGE_ROWS,
  nameFilterFor,
  podsOnNode,
  stats,
  workerName,
  type TableQuery,
} from './scenario.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '7' },
    'live-seconds': { type: 'string', default: '60' },
    'baseline-nodes': { type: 'string', default: '5' },
    'churn-per-second': { type: 'string', default: '2' },
    'real-console': { type: 'string' },
  },
});
const positive = (flag: string, value: string, allowZero = false): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new Error(`--${flag}: "${value}" is not a whole number${allowZero ? '' : ' above 0'}; e.g. --${flag} 5`);
  }
  return n;
};
const NODES = positive('nodes', values.nodes);
const RUNS = positive('runs', values.runs);
const LIVE_SECONDS = positive('live-seconds', values['live-seconds'], true);
const CHURN_PER_SECOND = positive('churn-per-second', values['churn-per-second']);
const BASELINE_NODES = positive('baseline-nodes', values['baseline-nodes'], true);
const REAL_CONSOLES: RealConsoleVersion[] =
  values['real-console'] === undefined
    ? availableRealConsoles()
    : values['real-console'] === 'none'
      ? []
      : values['real-console'].split(',').map((v) => {
          if (!(availableRealConsoles() as string[]).includes(v.trim())) {
            throw new Error(`--real-console: "${v}" is not here; use ${availableRealConsoles().join(', ') || 'none'}`);
          }
          return v.trim() as RealConsoleVersion;
        });

const TARGET_MS = 2000;
/** Sort and filter answer (the table shows the rows and the next frame is painted) within this. */
const INTERACTION_TARGET_MS = 100;
const NAMESPACE = 'default';
const CAPACITY_PATH = '/api/proxy/plugin/peer-pods-console-plugin/backend/api/v1/capacity';
const PROBE = readFileSync(join(import.meta.dirname, 'page-probe.js'), 'utf8');
const benchStarted = performance.now();
const log = (line: string) => process.stderr.write(`[bench/browser] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const median = (samples: number[]) => stats(samples).medianMs;
/** Median of megabyte figures, to 0.1 MB. */
const medianMb = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(value * 10) / 10;
};

function peerPod(name: string, nodeName: string): V1Pod {
  return {
    metadata: { name, namespace: NAMESPACE, labels: { app: 'bench-browser' } },
    spec: {
      runtimeClassName: RUNTIME_CLASS,
      nodeName,
      containers: [
        {
          name: 'app',
          image: 'registry.access.redhat.com/ubi9/ubi-minimal',
          resources: { requests: { cpu: '250m', memory: '256Mi' } },
        },
      ],
    },
  };
}

/**
 * Creates the peer pods of the scenario through the API server (and so the webhook), 16 at a time,
 * and marks each Running on its status, as the kubelet would once its VM is up: a healthy cluster.
 * (Left Pending, every one is a stuck peer pod after a minute: the stuck list would hold 10,000 at
 * 5,000 nodes, a case the plugin's tests cover by paging the list.)
 */
async function createPeerPods(core: CoreV1Api, nodes: number): Promise<number> {
  const pods = Array.from({ length: nodes }, (_, i) =>
    Array.from({ length: podsOnNode(i) }, (_, k) => peerPod(`peer-${i}-${k}`, workerName(i))),
  ).flat();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < pods.length) {
        const body = pods[next++]!;
        await core.createNamespacedPod({ namespace: NAMESPACE, body });
        await core.patchNamespacedPodStatus(
          { namespace: NAMESPACE, name: body.metadata!.name!, body: { status: { phase: 'Running' } } },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
      }
    }),
  );
  return pods.length;
}

interface CapacityTotals {
  used: number;
  advertisedNodes: number;
  matchingNodes: number;
}

/** The backend's totals as the admin sees them through the shell (the path the plugin uses). */
async function backendTotals(shellUrl: string): Promise<CapacityTotals | undefined> {
  const res = await fetch(new URL(CAPACITY_PATH, shellUrl), { signal: AbortSignal.timeout(10_000) }).catch(
    () => undefined,
  );
  if (!res?.ok) return undefined;
  return ((await res.json()) as { totals: CapacityTotals }).totals;
}

async function waitForModel(shellUrl: string, nodes: number, used: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const totals = await backendTotals(shellUrl);
    if (totals && totals.used === used && totals.advertisedNodes === nodes && totals.matchingNodes === nodes) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the backend's model did not reach ${nodes} nodes and ${used} VMs in use within ${timeoutMs / 1000} s: ${JSON.stringify(totals)}`,
      );
    }
    await sleep(500);
  }
}

/** Texts the totals must show: the node count and the VMs in use. */
const totalsTexts = (nodes: number, used: number) => [`VMs on ${nodes} of ${nodes} nodes`, `In use${used}VMs`];

interface Metrics {
  JSHeapUsedSize: number;
  JSHeapTotalSize: number;
  Nodes: number;
  [name: string]: number;
}

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value])) as Metrics;
}

async function heapAfterGc(cdp: CDPSession): Promise<Metrics> {
  await cdp.send('HeapProfiler.collectGarbage');
  return metrics(cdp);
}

interface Navigation {
  /** page.goto() called → table and totals observed by the bench (includes Playwright's round trip). */
  wallMs: number;
  /** Navigation start → table and totals in the DOM, and → the next frame painted (in the page). */
  domMs: number;
  paintedMs: number;
  /** In the page: the document's response end; the capacity request's start, end and size. */
  documentMs: number;
  capacityRequest?: { startMs: number; endMs: number; transferBytes: number; bodyBytes: number };
  heapUsedMb: number;
  heapUsedAfterGcMb: number;
  domNodes: number;
  scriptMs: number;
}

interface PageTimings {
  state: { tableAt: number; paintedAt: number };
  documentMs: number;
  capacity?: { startTime: number; responseEnd: number; transferSize: number; decodedBodySize: number };
}

async function navigate(
  page: Page,
  cdp: CDPSession,
  url: string,
  expected: { firstPage: string[]; totals: string[] },
): Promise<Navigation> {
  await page.addInitScript({
    content: `globalThis.__peerPodsBenchConfig = ${JSON.stringify(expected)};\n${PROBE}`,
  });
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page
    .waitForFunction('globalThis.__peerPodsBench?.state.tableAt !== undefined', undefined, {
      timeout: 60_000,
      polling: 'raf',
    })
    .catch(async (err: Error) => {
      const seen = await page
        .evaluate(
          '({ rows: globalThis.__peerPodsBench?.rowNames(), totals: globalThis.__peerPodsBench?.totalsText() })',
        )
        .catch(() => undefined);
      throw new Error(`the capacity table did not render as expected within 60 s: ${JSON.stringify(seen)}`, {
        cause: err,
      });
    });
  const wallMs = performance.now() - started;
  await page.waitForFunction('globalThis.__peerPodsBench.state.paintedAt !== undefined', undefined, {
    timeout: 60_000,
  });
  const timings = (await page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const capacity = performance.getEntriesByType('resource').find((e) => e.name.includes('/backend/api/v1/capacity'));
    return {
      state: globalThis.__peerPodsBench.state,
      documentMs: nav ? nav.responseEnd : 0,
      capacity: capacity && { startTime: capacity.startTime, responseEnd: capacity.responseEnd,
        transferSize: capacity.transferSize, decodedBodySize: capacity.decodedBodySize },
    };
  })()`)) as PageTimings;
  const before = await metrics(cdp);
  const after = await heapAfterGc(cdp);
  return {
    wallMs,
    domMs: timings.state.tableAt,
    paintedMs: timings.state.paintedAt,
    documentMs: Math.round(timings.documentMs),
    capacityRequest: timings.capacity && {
      startMs: Math.round(timings.capacity.startTime),
      endMs: Math.round(timings.capacity.responseEnd),
      transferBytes: timings.capacity.transferSize,
      bodyBytes: timings.capacity.decodedBodySize,
    },
    heapUsedMb: mb(before.JSHeapUsedSize),
    heapUsedAfterGcMb: mb(after.JSHeapUsedSize),
    domNodes: after.Nodes,
    scriptMs: Math.round((before.ScriptDuration ?? 0) * 1000),
  };
}

/** Runs an interaction in the page and times it there, up to the expected rows and the next frame. */
async function interact(
  page: Page,
  action: 'sort' | 'filter',
  argument: string,
  expected: string[],
): Promise<{ domMs: number; paintMs: number }> {
  return (await page.evaluate(
    `globalThis.__peerPodsBench.measure(${JSON.stringify(action)}, ${JSON.stringify(argument)}, ${JSON.stringify(expected)})`,
  )) as { domMs: number; paintMs: number };
}

interface StackFigures {
  nodes: number;
  pods: number;
  setup: { stackSeconds: number; podsSeconds: number; modelSyncSeconds: number };
  cold: Navigation;
  warm: Navigation[];
  sortByUtilisation: number[];
  filterByName: number[];
  live?: LiveFigures;
  /** The same measures in the real consoles, on the same stack. */
  realConsoles: Partial<Record<RealConsoleVersion, ConsoleFigures>>;
}

interface LiveFigures {
  seconds: number;
  /** Pod changes a second the bench paced (each a create or a delete through the API server). */
  churnPerSecond: number;
  podChanges: number;
  /** Events the page's stream received: the summary it opened with, then one delta per 200 ms window. */
  eventsReceived: number;
  heapUsedPeakMb: number;
  heapUsedAfterGcBeforeMb: number;
  /** After GC, once 60 s of churn have passed (when the phase is longer than that). */
  heapUsedAfterGcAt1MinMb?: number;
  heapUsedAfterGcAfterMb: number;
  /** heapUsedAfterGcAfterMb / heapUsedAfterGcAt1MinMb; the bound is 1.10. */
  heapRatioEndTo1Min?: number;
  domNodesBefore: number;
  domNodesAfter: number;
  /** After the live pods are gone: the page shows the original totals again. */
  caughtUp: boolean;
}

async function newPage(browser: Browser, context?: Awaited<ReturnType<Browser['newContext']>>, realConsole = false) {
  const ctx = context ?? (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' }));
  // A real console opens in the Administrator perspective without its welcome tour (user settings
  // in localStorage, as e2e/support/console.ts sets them).
  if (!context && realConsole) {
    await ctx.addInitScript(() =>
      localStorage.setItem(
        'console-user-settings',
        JSON.stringify({
          'console.lastPerspective': 'admin',
          'console.preferredPerspective': 'admin',
          'console.guidedTour': { admin: { completed: true }, dev: { completed: true } },
        }),
      ),
    );
  }
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  return { context: ctx, page, cdp };
}

const LIVE_POD_WINDOW = 10;
const HEAP_CHECKPOINT_SECONDS = 60;
const HEAP_RATIO_BOUND = 1.1;

/**
 * Peer pods come and go at `churnPerSecond` changes a second for `seconds` while the page stays
 * open: paced ticks alternate a create and a delete of the oldest once LIVE_POD_WINDOW pods are
 * alive, spread over the nodes. The heap after GC before, at 1 minute and at the end.
 */
async function livePhase(
  core: CoreV1Api,
  opened: Awaited<ReturnType<typeof newPage>>,
  nodes: number,
  pods: number,
  seconds: number,
  churnPerSecond: number,
): Promise<LiveFigures> {
  const { page, cdp } = opened;
  let events = 0;
  await cdp.send('Network.enable');
  cdp.on('Network.eventSourceMessageReceived', () => events++);
  const before = await heapAfterGc(cdp);
  let peak = before.JSHeapUsedSize;
  let atOneMinute: number | undefined;
  const alive: string[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let changes = 0;
  let created = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let nextSample = started + 1000;
  for (let tick = 0; ; tick++) {
    const due = started + (tick * 1000) / churnPerSecond;
    if (due >= deadline) break;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    let call: Promise<unknown>;
    if (alive.length >= LIVE_POD_WINDOW && tick % 2 === 1) {
      call = core.deleteNamespacedPod({ namespace: NAMESPACE, name: alive.shift()!, gracePeriodSeconds: 0 });
    } else {
      const k = created++;
      const name = `live-${k}`;
      alive.push(name);
      call = core.createNamespacedPod({ namespace: NAMESPACE, body: peerPod(name, workerName((k * 37) % nodes)) });
    }
    changes++;
    // Calls overlap (a slow one does not hold the pace back), at most 8 at once.
    const tracked = call.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= 8) await Promise.race(inFlight);
    if (performance.now() >= nextSample) {
      nextSample += 1000;
      peak = Math.max(peak, (await metrics(cdp)).JSHeapUsedSize);
    }
    if (
      atOneMinute === undefined &&
      seconds > HEAP_CHECKPOINT_SECONDS &&
      performance.now() - started >= HEAP_CHECKPOINT_SECONDS * 1000
    ) {
      atOneMinute = (await heapAfterGc(cdp)).JSHeapUsedSize;
      log(`live: heap ${mb(atOneMinute)} MB after GC at 1 min (${events} events so far)`);
    }
  }
  await Promise.all(inFlight);
  await Promise.all(
    alive.map((name) => core.deleteNamespacedPod({ namespace: NAMESPACE, name, gracePeriodSeconds: 0 })),
  );
  changes += alive.length;
  const caughtUp = await page
    .waitForFunction('globalThis.__peerPodsBench.showsTotals()', undefined, { timeout: 60_000 })
    .then(
      () => true,
      () => false,
    );
  const after = await heapAfterGc(cdp);
  log(
    `live: ${changes} pod changes, ${events} events pushed to the page in ${seconds} s; heap after GC ${mb(before.JSHeapUsedSize)} → ${mb(after.JSHeapUsedSize)} MB`,
  );
  return {
    seconds,
    churnPerSecond,
    podChanges: changes,
    eventsReceived: events,
    heapUsedPeakMb: mb(peak),
    heapUsedAfterGcBeforeMb: mb(before.JSHeapUsedSize),
    heapUsedAfterGcAt1MinMb: atOneMinute === undefined ? undefined : mb(atOneMinute),
    heapUsedAfterGcAfterMb: mb(after.JSHeapUsedSize),
    heapRatioEndTo1Min:
      atOneMinute === undefined ? undefined : Math.round((after.JSHeapUsedSize / atOneMinute) * 1000) / 1000,
    domNodesBefore: before.Nodes,
    domNodesAfter: after.Nodes,
    caughtUp: caughtUp && (await backendTotals(page.url()))?.used === pods,
  };
}

interface ConsoleFigures {
  cold: Navigation;
  warm: Navigation[];
  sortByUtilisation: number[];
  filterByName: number[];
}

/** The cold navigation, --runs warm ones with a sort and a filter each, in one console. */
async function measureConsole(
  browser: Browser,
  url: string,
  nodes: number,
  expected: { firstPage: string[]; totals: string[] },
  realConsole: boolean,
): Promise<
  ConsoleFigures & { context: Awaited<ReturnType<Browser['newContext']>>; last?: Awaited<ReturnType<typeof newPage>> }
> {
  const cold = await newPage(browser, undefined, realConsole);
  const coldNav = await navigate(cold.page, cold.cdp, url, expected);
  log(`cold: ${Math.round(coldNav.wallMs)} ms to the table (${Math.round(coldNav.paintedMs)} ms in the page)`);
  await cold.page.close();

  const warm: Navigation[] = [];
  const sortByUtilisation: number[] = [];
  const filterByName: number[] = [];
  const filter = nameFilterFor(nodes);
  const ascending: TableQuery = { sort: { column: 'utilisation', direction: 'asc' } };
  const descending: TableQuery = { sort: { column: 'utilisation', direction: 'desc' } };
  let last: Awaited<ReturnType<typeof newPage>> | undefined;
  for (let run = 1; run <= RUNS; run++) {
    await last?.page.close();
    last = await newPage(browser, cold.context, realConsole);
    const nav = await navigate(last.page, last.cdp, url, expected);
    warm.push(nav);
    const up = await interact(last.page, 'sort', 'Utilisation', expectedFirstPage(nodes, ascending));
    const down = await interact(last.page, 'sort', 'Utilisation', expectedFirstPage(nodes, descending));
    const filtered = await interact(
      last.page,
      'filter',
      filter,
      expectedFirstPage(nodes, { ...descending, nameFilter: filter }),
    );
    sortByUtilisation.push(up.paintMs, down.paintMs);
    filterByName.push(filtered.paintMs);
    log(
      `run ${run}/${RUNS}: ${Math.round(nav.wallMs)} ms to the table; sort ${Math.round(up.paintMs)}/${Math.round(down.paintMs)} ms, filter ${Math.round(filtered.paintMs)} ms; heap ${nav.heapUsedMb} MB (${nav.heapUsedAfterGcMb} after GC)`,
    );
  }
  return { cold: coldNav, warm, sortByUtilisation, filterByName, context: cold.context, last };
}

async function measureStack(nodes: number, liveSeconds: number, withRealConsoles: boolean): Promise<StackFigures> {
  log(`starting a stack with ${nodes} workers`);
  let started = performance.now();
  const logDir = mkdtempSync(join(tmpdir(), 'bench-browser-'));
  log(`backend log: ${join(logDir, 'backend.log')} (removed when the run succeeds)`);
  const stack: LocalStack = await startLocalStack({
    platform: 'aws',
    nodes,
    backendPort: 0,
    shellPort: 0,
    demo: false,
    realConsoles: withRealConsoles ? REAL_CONSOLES : [],
    logDir,
    backendOutput: { file: join(logDir, 'backend.log') },
    log: (line) => log(line),
  });
  let browser: Browser | undefined;
  try {
    const stackSeconds = (performance.now() - started) / 1000;
    const kc = new KubeConfig();
    kc.loadFromFile(stack.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    await waitForAdvertisedCapacity(
      kc,
      Array.from({ length: nodes }, (_, i) => workerName(i)),
    );
    started = performance.now();
    const pods = await createPeerPods(core, nodes);
    const podsSeconds = (performance.now() - started) / 1000;
    log(`${pods} peer pods on ${nodes} nodes in ${podsSeconds.toFixed(1)} s`);
    started = performance.now();
    await waitForModel(stack.shellUrl, nodes, pods);
    const modelSyncSeconds = (performance.now() - started) / 1000;

    const url = new URL('/peer-pods/capacity', stack.shellUrl).href;
    const expected = {
      firstPage: expectedFirstPage(nodes, { sort: { column: 'name', direction: 'asc' } }),
      totals: totalsTexts(nodes, pods),
    };
    browser = await chromium.launch({ ...CHROMIUM_LAUNCH_OPTIONS, headless: true });
    const {
      last: shellPage,
      context: shellContext,
      ...shell
    } = await measureConsole(browser, url, nodes, expected, false);
    const realConsoles: Partial<Record<RealConsoleVersion, ConsoleFigures>> = {};
    for (const version of withRealConsoles ? REAL_CONSOLES : []) {
      const consoleUrl = new URL('/peer-pods/capacity', stack.realConsoles[version]!.admin).href;
      log(`OpenShift console ${version}:`);
      const { context, last: _open, ...figures } = await measureConsole(browser, consoleUrl, nodes, expected, true);
      await context.close();
      realConsoles[version] = figures;
    }
    let last = shellPage;
    let live: LiveFigures | undefined;
    if (liveSeconds > 0) {
      await last?.page.close();
      last = await newPage(browser, shellContext);
      await navigate(last.page, last.cdp, url, expected);
      live = await livePhase(core, last, nodes, pods, liveSeconds, CHURN_PER_SECOND);
    }
    const figures: StackFigures = {
      nodes,
      pods,
      setup: {
        stackSeconds: Math.round(stackSeconds * 10) / 10,
        podsSeconds: Math.round(podsSeconds * 10) / 10,
        modelSyncSeconds: Math.round(modelSyncSeconds * 10) / 10,
      },
      ...shell,
      live,
      realConsoles,
    };
    rmSync(logDir, { recursive: true, force: true });
    return figures;
  } finally {
    await browser?.close();
    await stack.stop();
  }
}

const round = (n: Navigation) => ({
  wallMs: Math.round(n.wallMs),
  domMs: Math.round(n.domMs),
  paintedMs: Math.round(n.paintedMs),
  documentMs: n.documentMs,
  capacityRequest: n.capacityRequest,
  heapUsedMb: n.heapUsedMb,
  heapUsedAfterGcMb: n.heapUsedAfterGcMb,
  domNodes: n.domNodes,
  scriptMs: n.scriptMs,
});

function report(f: StackFigures) {
  return {
    nodes: f.nodes,
    pods: f.pods,
    setup: f.setup,
    firstPageRows: Math.min(FIRST_PAGE_ROWS, f.nodes),
    coldTimeToTable: round(f.cold),
    warmTimeToTable: {
      wall: stats(f.warm.map((n) => n.wallMs)),
      inPagePainted: stats(f.warm.map((n) => n.paintedMs)),
      capacityResponseEndMs: median(f.warm.map((n) => n.capacityRequest?.endMs ?? 0)),
      capacityResponseBytes: f.warm[0]?.capacityRequest?.bodyBytes,
      capacityTransferBytes: f.warm[0]?.capacityRequest?.transferBytes,
      scriptMs: median(f.warm.map((n) => n.scriptMs)),
    },
    sortByUtilisation: stats(f.sortByUtilisation),
    filterByName: stats(f.filterByName),
    jsHeap: {
      afterRenderMb: medianMb(f.warm.map((n) => n.heapUsedMb)),
      afterRenderAndGcMb: medianMb(f.warm.map((n) => n.heapUsedAfterGcMb)),
      domNodes: f.warm.at(-1)?.domNodes,
    },
    live: f.live,
  };
}

requireChromium();
buildPluginIfStale(log, '[bench/browser]', 'stderr');
log(`repository ${repoRoot}`);
const loadBefore = loadavg()[0]!;
if (REAL_CONSOLES.length === 0 && values['real-console'] === undefined) log(realConsoleAbsence());
const main = await measureStack(NODES, LIVE_SECONDS, true);
const baseline = BASELINE_NODES > 0 ? await measureStack(BASELINE_NODES, 0, false) : undefined;
const mainReport = report(main);
const coldMs = mainReport.coldTimeToTable.wallMs;
const warmP90 = mainReport.warmTimeToTable.wall.p90Ms;
console.log(
  JSON.stringify({
    ...mainReport,
    targetMs: TARGET_MS,
    // Judged on the browser's first navigation (nothing cached) and on the p90 of the warm ones.
    metTarget: coldMs <= TARGET_MS && warmP90 <= TARGET_MS,
    // Sort and filter judged on their p90 (action → expected rows → next frame, in the page).
    interactionTargetMs: INTERACTION_TARGET_MS,
    metInteractionTarget:
      mainReport.sortByUtilisation.p90Ms <= INTERACTION_TARGET_MS &&
      mainReport.filterByName.p90Ms <= INTERACTION_TARGET_MS,
    // The heap after GC at the end of the live phase against at its first minute (when it ran longer).
    heapRatioBound: HEAP_RATIO_BOUND,
    metHeapTarget:
      mainReport.live?.heapRatioEndTo1Min === undefined
        ? undefined
        : mainReport.live.heapRatioEndTo1Min <= HEAP_RATIO_BOUND,
    baseline: baseline && report(baseline),
    // The same navigations in the real consoles, on the same stack and data, and each one's ratio to the shell.
    realConsoles: Object.fromEntries(
      Object.entries(main.realConsoles).map(([version, figures]) => {
        const consoleReport = report({ ...main, ...figures, live: undefined });
        return [
          version,
          {
            coldTimeToTable: consoleReport.coldTimeToTable,
            warmTimeToTable: consoleReport.warmTimeToTable,
            sortByUtilisation: consoleReport.sortByUtilisation,
            filterByName: consoleReport.filterByName,
            jsHeap: consoleReport.jsHeap,
            ratioToShell: {
              warmMedian:
                Math.round(
                  (consoleReport.warmTimeToTable.wall.medianMs / mainReport.warmTimeToTable.wall.medianMs) * 100,
                ) / 100,
              cold: Math.round((consoleReport.coldTimeToTable.wallMs / mainReport.coldTimeToTable.wallMs) * 100) / 100,
            },
          },
        ];
      }),
    ),
    ratioToBaseline: baseline && {
      warmMedian:
        Math.round(
          (mainReport.warmTimeToTable.wall.medianMs / stats(baseline.warm.map((n) => n.wallMs)).medianMs) * 100,
        ) / 100,
      jsHeapAfterGc:
        Math.round(
          (mainReport.jsHeap.afterRenderAndGcMb / medianMb(baseline.warm.map((n) => n.heapUsedAfterGcMb))) * 100,
        ) / 100,
    },
    // Other work on the machine moves every figure; the 1-minute load average at start and end.
    loadAverage: { start: Math.round(loadBefore * 10) / 10, end: Math.round(loadavg()[0]! * 10) / 10 },
    benchSeconds: Math.round((performance.now() - benchStarted) / 1000),
  }),
);
