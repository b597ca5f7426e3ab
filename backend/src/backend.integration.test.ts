// The whole backend against a real API server and a real EC2 endpoint (moto): every API call is
// made as the signed-in user, cloud actions work end to end, and no secret ever leaves.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../hack/controlplane/controlplane.ts';
import {
  createInfrastructure,
  createPeerPodConfig,
  KATA_NODE_LABEL,
  OPERATOR_NAMESPACE,
} from '../../hack/controlplane/fixtures.ts';
import { issueCertificate } from '../../hack/pki.ts';
import {
  createAwsPeerPodsSettings,
  createWorkerNetwork,
  launchPodVms,
  motoClient,
  motoCredentials,
  MOTO_REGION,
} from '../test/moto-seed.ts';
import { startMotoServer, type MotoServer } from '../test/moto.ts';
import type {
  CapacityDelta,
  CapacitySummary,
  OrphanCleanupResult,
  PortRulesApplyResult,
  PortRulesReport,
  VmInventory,
} from '@peer-pods-console/contract';
import { applyCapacityDelta } from '@peer-pods-console/contract/capacity-delta';
import { startBackend, type RunningBackend } from './backend.ts';
import { loadConfig } from './config.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const credentials = motoCredentials('backend-it');
const ORPHAN_NAME = 'podvm-ghost-pod-0badc0de';

let cp: ControlPlane;
let moto: MotoServer;
let backend: RunningBackend;
let base: string;
let caPem: string;
let certDir: string;
const logLines: string[] = [];
const bodies: string[] = [];
let orphanId = '';

function envFor(cpKubeconfig: string, awsEndpoint: string): Record<string, string> {
  return {
    KUBECONFIG: cpKubeconfig,
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    WEBHOOK_PORT: '0',
    TLS_CERT_FILE: join(certDir, 'tls.crt'),
    TLS_KEY_FILE: join(certDir, 'tls.key'),
    WEBHOOK_CERT_FILE: join(certDir, 'tls.crt'),
    WEBHOOK_KEY_FILE: join(certDir, 'tls.key'),
    PLUGIN_ASSETS_DIR: '',
    LEADER_ELECTION: 'false',
    AWS_ENDPOINT_URL: awsEndpoint,
    ORPHAN_GRACE_SECONDS: '0',
    LOG_LEVEL: 'debug',
  };
}

async function call(path: string, token?: string, init: { method?: string; body?: unknown } = {}) {
  const { request } = await import('node:https');
  const url = new URL(`${base}api/v1${path}`);
  return new Promise<{ status: number; body: string; etag?: string; json: () => unknown }>((resolve, reject) => {
    const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        ca: caPem,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          bodies.push(body);
          resolve({ status: res.statusCode ?? 0, body, etag: res.headers.etag, json: () => JSON.parse(body) });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

beforeAll(async () => {
  [cp, moto] = await Promise.all([startControlPlane({ scheduler: false }), startMotoServer()]);
  const kc = cp.kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const ec2 = motoClient(moto.endpoint, credentials);
  const network = await createWorkerNetwork(ec2);
  [{ id: orphanId }] = (await launchPodVms(ec2, { names: [ORPHAN_NAME], subnetId: network.subnetId })) as [
    { id: string; name: string },
  ];

  await createInfrastructure(kc, { platform: 'aws', region: MOTO_REGION });
  await core.createNode({
    body: {
      metadata: { name: 'aws-worker-a', labels: { [KATA_NODE_LABEL]: '', 'node-role.kubernetes.io/worker': '' } },
      spec: { providerID: network.workerProviderId },
    },
  });
  await core.patchNodeStatus(
    {
      name: 'aws-worker-a',
      body: { status: { capacity: { cpu: '8', pods: '110' }, allocatable: { cpu: '8', pods: '110' } } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
  await createAwsPeerPodsSettings(core, OPERATOR_NAMESPACE, network, credentials);
  await createPeerPodConfig(kc, { limit: '4' });

  certDir = mkdtempSync(join(tmpdir(), 'backend-it-'));
  const serving = await issueCertificate(cp.ca, {
    commonName: 'peer-pods-console',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  writeFileSync(join(certDir, 'tls.crt'), serving.certPem);
  writeFileSync(join(certDir, 'tls.key'), serving.keyPem);
  writeFileSync(join(certDir, 'kubeconfig'), '');
  caPem = cp.caCertPem;

  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  backend = await startBackend(loadConfig([], envFor(cp.kubeconfigPath, moto.endpoint)), { logDestination: sink });
  base = backend.url;
  // Wait until the informers have synced and the node carries its capacity.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await call('/capacity', cp.adminToken);
    if (res.status === 200 && (res.json() as CapacitySummary).nodes.some((n) => n.advertised === 4)) break;
    if (Date.now() > deadline) throw new Error(`backend did not converge: ${res.status} ${res.body.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

afterAll(async () => {
  await backend?.stop();
  await Promise.all([cp?.stop(), moto?.stop()]);
});

const protectedCalls: { name: string; path: string; method?: string; body?: unknown }[] = [
  { name: 'capacity summary', path: '/capacity' },
  { name: 'node capacity', path: '/capacity/nodes/aws-worker-a' },
  { name: 'live events', path: '/events' },
  { name: 'VM inventory', path: '/vms' },
  { name: 'orphan clean-up', path: '/vms/cleanup', method: 'POST', body: { vmIds: ['i-0'], dryRun: true } },
  { name: 'port rule status', path: '/ports' },
  { name: 'port rule apply', path: '/ports/apply', method: 'POST', body: {} },
];

describe('backend API as the signed-in user', () => {
  it.each(protectedCalls)('answers 401 to $name without a token and with an unknown token', async (c) => {
    expect((await call(c.path, undefined, c)).status).toBe(401);
    expect((await call(c.path, 'unknown-token', c)).status).toBe(401);
  });

  it.each(protectedCalls)('answers 403 to $name for the non-admin, naming the missing permission', async (c) => {
    const res = await call(c.path, cp.userToken, c);
    expect(res.status).toBe(403);
    expect((res.json() as { error: { message: string } }).error.message).toMatch(
      /may not (list nodes \(cluster-wide\)|patch peerpodconfigs\.confidentialcontainers\.org in namespace openshift-sandboxed-containers-operator)/,
    );
  });

  it('tells the UI what the user may do', async () => {
    expect((await call('/permissions', cp.userToken)).json()).toEqual({
      user: 'test-developer',
      canRead: false,
      canChangeCloud: false,
      canReadCloud: false,
      canListPods: false,
    });
    expect((await call('/permissions', cp.adminToken)).json()).toEqual({
      user: 'test-admin',
      canRead: true,
      canChangeCloud: true,
      canReadCloud: true,
      canListPods: true,
    });
  });

  it('serves the capacity model with an ETag that turns repeated reads into 304s', async () => {
    const res = await call('/capacity', cp.adminToken);
    const summary = res.json() as CapacitySummary;
    expect(summary.nodes.find((n) => n.name === 'aws-worker-a')).toMatchObject({
      source: 'config',
      desired: 4,
      advertised: 4,
      allocatable: 4,
      used: 0,
      free: 4,
      drift: null,
    });
    const { request } = await import('node:https');
    const status = await new Promise<number>((resolve, reject) => {
      request(
        `${base}api/v1/capacity`,
        {
          ca: caPem,
          headers: { Authorization: `Bearer ${cp.adminToken}`, 'If-None-Match': res.etag! },
        },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(res.etag).toBe(`"capacity-${summary.revision}-${summary.orphans ?? 'unknown'}"`);
    expect(status).toBe(304);
  });

  it('streams the capacity summary, then what the limit change changed as deltas', async () => {
    const { request } = await import('node:https');
    const events: { event: string; bytes: number }[] = [];
    let state: CapacitySummary | undefined;
    const states: CapacitySummary[] = [];
    const req = request(`${base}api/v1/events`, { ca: caPem, headers: { Authorization: `Bearer ${cp.adminToken}` } });
    const done = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = frame
              .split('\n')
              .find((l) => l.startsWith('event: '))
              ?.slice(7);
            const data = frame
              .split('\n')
              .find((l) => l.startsWith('data: '))
              ?.slice(6);
            if (!event || !data) continue;
            events.push({ event, bytes: Buffer.byteLength(frame) });
            if (event === 'capacity') state = JSON.parse(data) as CapacitySummary;
            if (event === 'capacity-delta') state = applyCapacityDelta(state!, JSON.parse(data) as CapacityDelta);
            if (!state) throw new Error(`a delta that does not follow: ${data}`);
            states.push(state);
            if (state.nodes.some((n) => n.advertised === 6)) {
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on('error', (err) => (states.length ? resolve() : reject(err)));
    });
    req.end();
    await cp
      .kubeConfig()
      .makeApiClient(CustomObjectsApi)
      .patchNamespacedCustomObject(
        {
          group: 'confidentialcontainers.org',
          version: 'v1alpha1',
          plural: 'peerpodconfigs',
          namespace: OPERATOR_NAMESPACE,
          name: 'peerpodconfig-openshift',
          body: { spec: { limit: '6' } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    await done;
    expect(states[0]!.nodes[0]!.advertised).toBe(4);
    expect(states.at(-1)!.nodes[0]).toMatchObject({ desired: 6, advertised: 6 });
    expect(events[0]!.event).toBe('capacity');
    expect(events.slice(1).map((e) => e.event)).toEqual(events.slice(1).map(() => 'capacity-delta'));
    expect(Math.max(...events.slice(1).map((e) => e.bytes))).toBeLessThan(5_000);
    // What the deltas led to is what a one-off read answers.
    const read = (await call('/capacity', cp.adminToken)).json() as CapacitySummary;
    expect(states.at(-1)!.nodes).toEqual(read.nodes);
  });

  it('finds the orphan VM, previews its clean-up, then terminates exactly it', async () => {
    const inventory = (await call('/vms', cp.adminToken)).json() as VmInventory;
    expect(inventory.error).toBeNull();
    expect(inventory.vms).toEqual([expect.objectContaining({ id: orphanId, name: ORPHAN_NAME, orphan: true })]);

    const dryRun = (
      await call('/vms/cleanup', cp.adminToken, { method: 'POST', body: { vmIds: [orphanId], dryRun: true } })
    ).json() as OrphanCleanupResult;
    expect(dryRun.results).toEqual([expect.objectContaining({ id: orphanId, outcome: 'would-delete' })]);
    expect((await call('/vms', cp.adminToken)).json()).toMatchObject({ vms: [{ id: orphanId, state: 'running' }] });

    // Without the dry run's confirmation nothing is deleted.
    const unconfirmed = await call('/vms/cleanup', cp.adminToken, {
      method: 'POST',
      body: { vmIds: [orphanId], dryRun: false },
    });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.json()).toMatchObject({ error: { code: 'not_confirmed', field: 'confirmation' } });
    expect((await call('/vms', cp.adminToken)).json()).toMatchObject({ vms: [{ id: orphanId, state: 'running' }] });

    const confirmed = { vmIds: [orphanId], dryRun: false, confirmation: dryRun.confirmation };
    const real = (
      await call('/vms/cleanup', cp.adminToken, { method: 'POST', body: confirmed })
    ).json() as OrphanCleanupResult;
    expect(real.results).toEqual([expect.objectContaining({ id: orphanId, outcome: 'deleted' })]);
    const again = (
      await call('/vms/cleanup', cp.adminToken, { method: 'POST', body: confirmed })
    ).json() as OrphanCleanupResult;
    expect(again.results[0]!.outcome).not.toBe('deleted');
  });

  it('validates the node name in the path and answers 404 for a node it does not know', async () => {
    const bad = await call('/capacity/nodes/Not_A_Node', cp.adminToken);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request', field: 'name' } });
    const unknown = await call('/capacity/nodes/no-such-node', cp.adminToken);
    expect(unknown.status).toBe(404);
    const known = await call('/capacity/nodes/aws-worker-a', cp.adminToken);
    expect(known.json()).toMatchObject({ node: { name: 'aws-worker-a', source: 'config' } });
  });

  it('rejects a malformed clean-up request with the field that is wrong', async () => {
    const res = await call('/vms/cleanup', cp.adminToken, { method: 'POST', body: { vmIds: 'i-1', dryRun: true } });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request', field: 'vmIds' } });
  });

  it('reports the missing port rules, opens them, and reports them present afterwards', async () => {
    const before = (await call('/ports', cp.adminToken)).json() as PortRulesReport;
    expect(before.rules.map((r) => [r.port, r.state])).toEqual([
      [15150, 'missing'],
      [9000, 'missing'],
    ]);
    expect(before.commands.join('\n')).toContain('aws ec2 authorize-security-group-ingress');
    const applied = (
      await call('/ports/apply', cp.adminToken, { method: 'POST', body: {} })
    ).json() as PortRulesApplyResult;
    expect(applied.results.map((r) => r.outcome)).toEqual(['created', 'created']);
    expect(applied.verified.rules.every((r) => r.state === 'present')).toBe(true);
    const after = (await call('/ports', cp.adminToken)).json() as PortRulesReport;
    expect(after.rules.every((r) => r.state === 'present')).toBe(true);
    expect(after.canApply).toBe(false);
  });

  it('records every cloud change as an Event on the PeerPodConfig naming the user', async () => {
    const events = await cp
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .listNamespacedEvent({ namespace: OPERATOR_NAMESPACE });
    const messages = events.items.filter((e) => e.involvedObject.kind === 'PeerPodConfig').map((e) => e.message ?? '');
    expect(messages.some((m) => m.startsWith('test-admin:') && m.includes(orphanId))).toBe(true);
    expect(messages.some((m) => m.startsWith('test-admin:') && m.includes('15150'))).toBe(true);
  });

  it('never puts a secret or a token in a response or a log line', () => {
    const everything = bodies.join('\n') + logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(10);
    for (const secret of [credentials.secretAccessKey, cp.adminToken, cp.userToken]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('backend shutdown', () => {
  it('lets a request that is running when SIGTERM arrives finish, then exits', async () => {
    // A proxy in front of moto that holds every EC2 call for 1.5 s makes GET /ports slow.
    const slow: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        setTimeout(() => {
          const target = new URL(moto.endpoint);
          const upstream = httpRequest(
            { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
            (up) => {
              res.writeHead(up.statusCode ?? 502, up.headers);
              up.pipe(res);
            },
          );
          upstream.end(Buffer.concat(chunks));
        }, 1500),
      );
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    const slowEndpoint = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;

    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'backend/src/main.ts')], {
      cwd: root,
      env: { ...process.env, ...envFor(cp.kubeconfigPath, slowEndpoint), PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    const listening = new Promise<string>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"url":"(https:\/\/[^"]+)"/.exec(output);
        if (match) resolve(match[1]!);
      });
    });
    const childBase = await listening;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const { request } = await import('node:https');
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request(
        `${childBase}api/v1/ports`,
        { ca: caPem, headers: { Authorization: `Bearer ${cp.adminToken}` } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      )
        .on('error', reject)
        .end();
    });
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGTERM');

    const answered = await response;
    expect(answered.status).toBe(200);
    expect((JSON.parse(answered.body) as PortRulesReport).rules.length).toBeGreaterThan(0);
    expect(await exited).toBe(0);
    expect(output).toContain('shutting down');
    slow.close();
  });
});
