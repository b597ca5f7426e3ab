// Soak: the backend under steady admission and watch traffic for a long while, its memory and
// handles sampled throughout. Prints one JSON object.
//
//   npx tsx bench/reliability/soak.ts [--minutes 10] [--rate 50] [--sse 20] [--churn 2]
//
// Traffic, all at once for --minutes:
//   - AdmissionReviews sent straight to the webhook at --rate per second (paced, 4 keep-alive TLS connections);
//   - peer pods created through the API server (which calls the webhook) at --churn per second and
//     deleted 30 s later, so the capacity model changes all the time;
//   - --sse clients on GET /api/v1/events, each reconnecting every minute (staggered), each a
//     user of its own (a service account with a token from the TokenRequest API): the backend
//     holds at most 5 open streams per user, as 20 admins' browser tabs would not share one;
//   - one dashboard reading GET /api/v1/capacity every 2 s.
// Every 10 s: the backend's RSS and open file descriptors (/proc), its heap and active handles and
// resources (process.getActiveResourcesInfo, through prom-client's default metrics on /metrics),
// and event-loop lag. After a warm-up (the first fifth, at least 2 minutes), memory must stay
// within 10% (last minute vs first minute after warm-up), and handles must not grow.
import { Agent, request } from 'node:https';
import { parseArgs } from 'node:util';
import { isAlreadyExists, type KubeClient } from '../../backend/src/kube/client.ts';
import { admissionReview, peerPodWithSidecars } from '../../backend/src/webhook/test/fixtures.ts';
import {
  api,
  backendMetrics,
  log,
  machine,
  metricValue,
  processFigures,
  round,
  seconds,
  sleep,
  summary,
} from './harness.ts';
import { userPeerPod } from './pods.ts';
import { startScenario } from './scenario.ts';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '50' },
    sse: { type: 'string', default: '20' },
    churn: { type: 'string', default: '2' },
    'sample-seconds': { type: 'string', default: '10' },
  },
});
const MINUTES = Number(args.minutes);
const RATE = Number(args.rate);
const SSE_CLIENTS = Number(args.sse);
const CHURN = Number(args.churn);
const SAMPLE_MS = Number(args['sample-seconds']) * 1000;
const NAMESPACE = 'soak';
const startedAt = Date.now();
const loadAtStart = machine().loadAverage;

const scenario = await startScenario({
  name: 'soak',
  nodes: { count: 20, prefix: 'soak-' },
  limit: 50,
  namespaces: [NAMESPACE],
  client: { maxSockets: 16, requestTimeoutMs: 15_000 },
  webhook: 'registered',
  ready: 'serving',
});
try {
  const { cp, client, ca } = scenario;
  const backend = await scenario.startBackend();

  let running = true;
  const endAt = Date.now() + MINUTES * 60_000;

  // ---- admissions straight to the webhook, paced ----
  const admissionAgent = new Agent({ keepAlive: true, maxSockets: 4, ca });
  const reviewBody = JSON.stringify(admissionReview(peerPodWithSidecars(), { uid: 'soak-uid', namespace: 'shop' }));
  const admissions = { sent: 0, ok: 0, failed: 0, latencies: [] as number[] };
  const webhookUrl = `${backend.webhookUrl}/mutate-v1-pod?timeout=10s`;
  const admit = () => {
    const t0 = performance.now();
    admissions.sent++;
    const req = request(
      webhookUrl,
      { method: 'POST', agent: admissionAgent, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const ok = res.statusCode === 200 && body.includes('"allowed":true') && body.includes('"patch"');
          if (ok) admissions.ok++;
          else admissions.failed++;
          if (admissions.latencies.length < 200_000) admissions.latencies.push(performance.now() - t0);
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => admissions.failed++);
    req.end(reviewBody);
  };
  const pacer = (async () => {
    const started = performance.now();
    let due = 0;
    while (running) {
      const shouldHaveSent = Math.floor(((performance.now() - started) / 1000) * RATE);
      for (; due < shouldHaveSent; due++) admit();
      await sleep(5);
    }
  })();

  // ---- pod churn through the API server ----
  const churn = { created: 0, deleted: 0, failed: 0, firstFailures: [] as string[] };
  const live: { name: string; at: number }[] = [];
  let podIndex = 0;
  const churner = (async () => {
    while (running) {
      const tick = Date.now();
      for (let i = 0; i < CHURN; i++) {
        const index = podIndex++;
        const name = `soak-${index}`;
        client
          .request({
            method: 'POST',
            path: `/api/v1/namespaces/${NAMESPACE}/pods`,
            body: userPeerPod(name, NAMESPACE, index),
            responseType: 'none',
          })
          .then(
            () => {
              churn.created++;
              live.push({ name, at: Date.now() });
            },
            (err: Error) => {
              churn.failed++;
              if (churn.firstFailures.length < 5) churn.firstFailures.push(err.message.slice(0, 200));
            },
          );
      }
      while (live.length > 0 && live[0]!.at < Date.now() - 30_000) {
        const { name } = live.shift()!;
        client
          .request({
            method: 'DELETE',
            path: `/api/v1/namespaces/${NAMESPACE}/pods/${name}`,
            query: { gracePeriodSeconds: 0 },
            responseType: 'none',
          })
          .then(
            () => churn.deleted++,
            (err: Error) => {
              churn.failed++;
              if (churn.firstFailures.length < 5) churn.firstFailures.push(err.message.slice(0, 200));
            },
          );
      }
      await sleep(Math.max(0, 1000 - (Date.now() - tick)));
    }
  })();

  // ---- SSE clients, reconnecting every minute, one user each ----
  const viewerTokens = await viewerTokensFor(client, SSE_CLIENTS);
  const sse = {
    connects: 0,
    events: 0,
    errors: 0,
    refused: {} as Record<string, number>,
    perClientEvents: new Array<number>(SSE_CLIENTS).fill(0),
  };
  const sseUrl = `${backend.url}api/v1/events`;
  const sseClient = async (id: number) => {
    await sleep((id * 60_000) / SSE_CLIENTS);
    while (running) {
      sse.connects++;
      const refused = await new Promise<boolean>((resolve) => {
        const headers = { Authorization: `Bearer ${viewerTokens[id]!}` };
        const req = request(sseUrl, { ca, headers }, (res) => {
          if (res.statusCode !== 200) {
            // A refusal is counted, and the client waits before it asks again (a browser's
            // EventSource would not ask again at all).
            const status = String(res.statusCode);
            sse.refused[status] = (sse.refused[status] ?? 0) + 1;
            res.resume();
            resolve(true);
            return;
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const events = chunk.split('event: capacity').length - 1;
            sse.events += events;
            sse.perClientEvents[id]! += events;
          });
          res.on('error', () => resolve(false));
          res.on('close', () => resolve(false));
        });
        req.on('error', () => {
          sse.errors++;
          resolve(true);
        });
        req.end();
        const timer = setInterval(() => {
          if (!running || Date.now() > endAt + 60_000) req.destroy();
        }, 500);
        setTimeout(() => req.destroy(), 60_000);
        req.on('close', () => clearInterval(timer));
      });
      if (refused) await sleep(5_000);
    }
  };
  const sseClients = Array.from({ length: SSE_CLIENTS }, (_, id) => sseClient(id));

  // ---- a dashboard ----
  const dashboard = { reads: 0, failed: 0 };
  const reader = (async () => {
    while (running) {
      const res = await api(backend, ca, cp.adminToken, '/capacity').catch(() => ({ status: 0 }));
      if (res.status === 200) dashboard.reads++;
      else dashboard.failed++;
      await sleep(2000);
    }
  })();

  // ---- sampling ----
  interface Sample {
    atSeconds: number;
    rssMb: number;
    heapUsedMb: number;
    heapTotalMb: number;
    externalMb: number;
    openFds: number;
    activeHandles: number;
    activeResources: number;
    eventLoopLagMs: number;
    livePods: number;
    loadAverage1m: number;
  }
  const samples: Sample[] = [];
  const sample = async () => {
    const text = await backendMetrics(backend, ca);
    const figures = processFigures(text);
    samples.push({
      atSeconds: Math.round((Date.now() - (endAt - MINUTES * 60_000)) / 1000),
      rssMb: backend.rssMb(),
      heapUsedMb: figures.heapUsedMb,
      heapTotalMb: figures.heapTotalMb,
      externalMb: figures.externalMb,
      openFds: backend.openFds(),
      activeHandles: figures.activeHandles,
      activeResources: figures.activeResources,
      eventLoopLagMs: round(metricValue(text, 'nodejs_eventloop_lag_seconds') * 1000, 2),
      livePods: live.length,
      loadAverage1m: machine().loadAverage[0]!,
    });
    const last = samples.at(-1)!;
    log(
      `${last.atSeconds} s: rss ${last.rssMb} MB, heap ${last.heapUsedMb}/${last.heapTotalMb} MB, fds ${last.openFds}, resources ${last.activeResources}, admissions ${admissions.ok} ok ${admissions.failed} failed, pods ${churn.created}/${churn.deleted}, sse events ${sse.events}`,
    );
  };
  await sample();
  while (Date.now() < endAt) {
    await sleep(Math.min(SAMPLE_MS, Math.max(0, endAt - Date.now())));
    await sample();
  }
  running = false;
  await Promise.all([pacer, churner, reader, ...sseClients]);
  await sleep(5000);
  admissionAgent.destroy();
  await sleep(2000);
  const afterTraffic = {
    ...processFigures(await backendMetrics(backend, ca)),
    rssMb: backend.rssMb(),
    openFds: backend.openFds(),
  };

  // ---- analysis ----
  const totalSeconds = MINUTES * 60;
  const warmupSeconds = Math.min(totalSeconds / 2, Math.max(120, totalSeconds / 5));
  const steady = samples.filter((s) => s.atSeconds >= warmupSeconds);
  const firstMinute = steady.filter((s) => s.atSeconds < warmupSeconds + 60);
  const lastMinute = steady.filter((s) => s.atSeconds >= totalSeconds - 60);
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
  };
  const compare = (key: keyof Sample) => {
    const start = median(firstMinute.map((s) => s[key]));
    const end = median(lastMinute.map((s) => s[key]));
    const all = steady.map((s) => s[key]);
    return {
      firstMinuteAfterWarmup: start,
      lastMinute: end,
      changePercent: start ? round(((end - start) / start) * 100) : 0,
      min: Math.min(...all),
      max: Math.max(...all),
    };
  };
  // Least-squares slope of RSS after warm-up, as MB per 10 minutes.
  const slope = (() => {
    const xs = steady.map((s) => s.atSeconds);
    const ys = steady.map((s) => s.rssMb);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
    const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    return den ? round((num / den) * 600, 1) : 0;
  })();
  const rss = compare('rssMb');
  const fds = compare('openFds');
  const resources = compare('activeResources');
  const handles = compare('activeHandles');
  const result = {
    scenario: 'soak: steady admissions and watch traffic',
    machine: { ...machine(), loadAverageAtStart: loadAtStart },
    minutes: MINUTES,
    warmupSeconds,
    traffic: {
      admissions: {
        ratePerSecond: RATE,
        sent: admissions.sent,
        ok: admissions.ok,
        failed: admissions.failed,
        latencyMs: summary(admissions.latencies),
      },
      podChurn: { perSecond: CHURN, ...churn },
      sse: {
        clients: SSE_CLIENTS,
        connects: sse.connects,
        events: sse.events,
        errors: sse.errors,
        refusedByStatus: sse.refused,
        fewestEventsOneClient: Math.min(...sse.perClientEvents),
      },
      dashboard,
    },
    memory: { rssMb: rss, heapUsedMb: compare('heapUsedMb'), rssSlopeMbPer10Minutes: slope },
    handles: { openFds: fds, activeResources: resources, activeHandles: handles },
    eventLoopLagMs: compare('eventLoopLagMs'),
    afterTrafficStopped: afterTraffic,
    met: {
      memoryFlatWithin10Percent: Math.abs(rss.changePercent) <= 10,
      handlesNotGrowing:
        fds.lastMinute <= fds.firstMinuteAfterWarmup + 2 &&
        resources.lastMinute <= resources.firstMinuteAfterWarmup + 2,
      noFailedAdmissions: admissions.failed === 0 && churn.failed === 0,
      everyWatcherServed: Object.keys(sse.refused).length === 0 && Math.min(...sse.perClientEvents) > 0,
    },
    samples,
    backend: {
      errorLogLines: backend.errorLines.length,
      firstErrorLogLines: backend.errorLines.slice(0, 5),
      logLinesWithASecret: backend.leakedLines.length,
    },
    totalSeconds: seconds(Date.now() - startedAt),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await scenario.stop();
}

/**
 * Tokens of `count` service accounts that may read capacity with pod names (list nodes, pods), one
 * per SSE client, from the TokenRequest API.
 */
async function viewerTokensFor(client: KubeClient, count: number): Promise<string[]> {
  const namespace = 'soak-viewers';
  const ignoreExists = (err: unknown) => {
    if (!isAlreadyExists(err)) throw err;
  };
  await client
    .request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: namespace } } })
    .catch(ignoreExists);
  await client
    .request({
      method: 'POST',
      path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
      body: {
        metadata: { name: 'soak-viewer' },
        rules: [{ apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list', 'watch'] }],
      },
    })
    .catch(ignoreExists);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `viewer-${i}`;
    await client
      .request({
        method: 'POST',
        path: `/api/v1/namespaces/${namespace}/serviceaccounts`,
        body: { metadata: { name } },
      })
      .catch(ignoreExists);
    await client
      .request({
        method: 'POST',
        path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
        body: {
          metadata: { name: `soak-${name}` },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'soak-viewer' },
          subjects: [{ kind: 'ServiceAccount', name, namespace }],
        },
      })
      .catch(ignoreExists);
    const answer = await client.request<{ status: { token: string } }>({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 7200 } },
    });
    tokens.push(answer.status.token);
  }
  return tokens;
}
