// A real Prometheus scrapes the real backend's health port over HTTPS (trusting only the test CA)
// and evaluates the chart's rules, rendered by helm with every `for` at 0s: when a peer pod waits
// for a VM on a cluster whose one node is full, PeerPodsPendingForCapacity and PeerPodNodesFull
// fire through Prometheus' /api/v1/alerts, and PeerPodWebhookDown does not (the backend is up).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { PEER_POD_ALERTS } from '@peer-pods-console/contract/operations';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type RunningBackend } from '../../backend/src/backend.ts';
import { peerPod } from '../../backend/src/capacity/test/peer-pods.ts';
import { loadConfig } from '../../backend/src/config.ts';
import { startControlPlane, type ControlPlane } from '../controlplane/controlplane.ts';
import { createPeerPodConfig, createWorkerNodes } from '../controlplane/fixtures.ts';
import { ChartRenderer, findOne } from '../helm/render.ts';
import { issueCertificate } from '../pki.ts';
import { ensurePrometheus, startPrometheus, type RunningPrometheus } from './prometheus.ts';

const NAMESPACE = 'apps';
const NODE = 'worker-0';

interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
}

let cp: ControlPlane;
let backend: RunningBackend;
let prometheus: RunningPrometheus;
let workDir: string;
const backendLog: string[] = [];

/** The chart's PrometheusRule with every alert firing as soon as its condition holds. */
async function renderRulesAtOnce(): Promise<string> {
  const chart = await ChartRenderer.create((line) => console.log(line));
  try {
    const alerts = Object.fromEntries(PEER_POD_ALERTS.map((a) => [a, { for: '0s', severity: 'warning' }]));
    const objects = await chart.render({ values: { metrics: { prometheusRule: { enabled: true, alerts } } } });
    return dump((findOne(objects, 'PrometheusRule') as unknown as { spec: unknown }).spec);
  } finally {
    chart.dispose();
  }
}

function scrapeConfig(metricsUrl: string): string {
  const target = new URL(metricsUrl);
  return dump({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: ['alerts.rules.yaml'],
    scrape_configs: [
      {
        // what the chart's ServiceMonitor names the job (templates/servicemonitor.yaml)
        job_name: 'peer-pods-console',
        scheme: 'https',
        metrics_path: '/metrics',
        tls_config: { ca_file: 'ca.crt' },
        static_configs: [{ targets: [target.host] }],
      },
    ],
  });
}

async function promGet<T>(path: string): Promise<T> {
  const res = await fetch(`${prometheus.url}${path}`);
  const body = (await res.json()) as { status: string; data: T };
  if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.data;
}

async function query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const data = await promGet<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
    `/api/v1/query?query=${encodeURIComponent(promql)}`,
  );
  return data.result;
}

async function alerts(): Promise<PromAlert[]> {
  return (await promGet<{ alerts: PromAlert[] }>('/api/v1/alerts')).alerts;
}

/** Polls until `check` returns a value; the test's timeout bounds it. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  let last: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined) return result;
    } catch (error) {
      last = error;
    }
    if (!prometheus || !backend) throw new Error(`stopped while waiting for ${what}: ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  const [binaries, rules, controlPlane] = await Promise.all([
    ensurePrometheus((line) => console.log(line)),
    renderRulesAtOnce(),
    startControlPlane({ scheduler: false }),
  ]);
  cp = controlPlane;
  const kc = cp.kubeConfig();
  await createWorkerNodes(kc, { count: 1 });
  await createPeerPodConfig(kc, { limit: '1' });
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });

  workDir = mkdtempSync(join(tmpdir(), 'peerpods-alerts-it-'));
  const serving = await issueCertificate(cp.ca, {
    commonName: 'peer-pods-console',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  writeFileSync(join(workDir, 'tls.crt'), serving.certPem);
  writeFileSync(join(workDir, 'tls.key'), serving.keyPem);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      backendLog.push(chunk.toString());
      done();
    },
  });
  const env = {
    KUBECONFIG: cp.kubeconfigPath,
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    TLS_CERT_FILE: join(workDir, 'tls.crt'),
    TLS_KEY_FILE: join(workDir, 'tls.key'),
    PLUGIN_ASSETS_DIR: '',
    LEADER_ELECTION: 'false',
    LOG_LEVEL: 'info',
  };
  backend = await startBackend(loadConfig([], env), { logDestination: sink });
  prometheus = await startPrometheus(binaries, {
    config: scrapeConfig(backend.metricsUrl),
    files: { 'alerts.rules.yaml': rules, 'ca.crt': cp.caCertPem },
  });
}, 20 * 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await backend?.stop();
  await cp?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the alerts, evaluated by a real Prometheus over the real backend’s metrics', () => {
  it('scrapes the health port over HTTPS and sees the node advertise its one VM, with nothing pending', async () => {
    await eventually('the node advertised in the scraped metrics', async () => {
      const [sample] = await query(`peerpods_node_vm_allocatable{job="peer-pods-console",node="${NODE}"}`);
      return sample?.value[1] === '1' ? sample : undefined;
    });
    expect(await query('up{job="peer-pods-console"}')).toEqual([
      expect.objectContaining({ value: [expect.any(Number), '1'] }),
    ]);
    expect((await query('peerpods_capacity_pending_peer_pods'))[0]?.value[1]).toBe('0');
    // Before the first scrape no replica is up, so PeerPodWebhookDown fires at once (its `for` is
    // 0s here); the first evaluation after the scrape resolves it.
    const names = await eventually('PeerPodWebhookDown resolved', async () => {
      const active = (await alerts()).map((a) => a.labels.alertname);
      return active.includes('PeerPodWebhookDown') ? undefined : active;
    });
    expect(names).not.toContain('PeerPodsPendingForCapacity');
    expect(names).not.toContain('PeerPodNodesFull');
  }, 180_000);

  it('fires PeerPodsPendingForCapacity and PeerPodNodesFull when a peer pod waits for the full node’s VM', async () => {
    const core = cp.kubeConfig().makeApiClient(CoreV1Api);
    // One peer pod takes the node's only VM; the next finds none (what the scheduler then writes).
    await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: peerPod('holder', NAMESPACE, { vms: 1, nodeName: NODE }),
    });
    await core.createNamespacedPod({ namespace: NAMESPACE, body: peerPod('waiting', NAMESPACE, { vms: 1 }) });
    await core.patchNamespacedPodStatus(
      {
        namespace: NAMESPACE,
        name: 'waiting',
        body: {
          status: {
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: '0/1 nodes are available: 1 Insufficient kata.peerpods.io/vm.',
                lastTransitionTime: new Date(),
              },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );

    const firing = await eventually('both alerts firing', async () => {
      const now = (await alerts()).filter((a) => a.state === 'firing');
      const pending = now.find((a) => a.labels.alertname === 'PeerPodsPendingForCapacity');
      const full = now.find((a) => a.labels.alertname === 'PeerPodNodesFull');
      return pending && full ? { pending, full, all: now } : undefined;
    });
    expect(firing.pending.labels).toEqual({
      alertname: 'PeerPodsPendingForCapacity',
      peerpods: 'true',
      severity: 'warning',
    });
    expect(firing.pending.annotations.summary).toBe(
      '1 peer pod(s) cannot be scheduled: no node has a free peer-pod VM',
    );
    expect(firing.full.labels).toEqual({
      alertname: 'PeerPodNodesFull',
      node: NODE,
      peerpods: 'true',
      severity: 'warning',
    });
    expect(firing.full.annotations.description).toContain(`node ${NODE} is in use`);
    expect(firing.all.map((a) => a.labels.alertname)).not.toContain('PeerPodWebhookDown');
  }, 180_000);
});
