// GET /api/v1/setup of the whole backend against a real API server (hack/controlplane) and a real
// EC2 endpoint (moto): every check answers from what the cluster and the cloud hold, failures
// made on the real objects show up with their fix, and the list answers within 2 s.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../../hack/controlplane/controlplane.ts';
import {
  createInfrastructure,
  createPeerPodConfig,
  KATA_NODE_LABEL,
  OPERATOR_NAMESPACE,
  PEERPODCONFIG_NAME,
} from '../../../hack/controlplane/fixtures.ts';
import { issueCertificate } from '../../../hack/pki.ts';
import {
  createAwsPeerPodsSettings,
  createWorkerNetwork,
  motoClient,
  motoCredentials,
  MOTO_REGION,
} from '../../test/moto-seed.ts';
import { startMotoServer, type MotoServer } from '../../test/moto.ts';
import type { SetupCheck, SetupReport } from '@peer-pods-console/contract';
import { buildNamespacePolicy, buildNamespacePolicyBinding } from '@peer-pods-console/contract/namespace-policy';
import type { SetupCheckId } from '@peer-pods-console/contract/setup-checks';
import { startBackend, type RunningBackend } from '../backend.ts';
import { loadConfig } from '../config.ts';
import { waitFor } from '../kube/test/cluster.ts';
import { renderWebhookConfiguration } from '../webhook/webhook-configuration.ts';

const credentials = motoCredentials('setup-it');
const EXCLUDED_NAMESPACE = 'legacy-apps';

let cp: ControlPlane;
let moto: MotoServer;
let backend: RunningBackend;
let kc: KubeConfig;
let core: CoreV1Api;
const bodies: string[] = [];

async function get(path: string, token: string): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    request(
      `${backend.url}api/v1${path}`,
      { ca: cp.caCertPem, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          bodies.push(body);
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body });
        });
      },
    )
      .on('error', reject)
      .end();
  });
}

async function report(): Promise<{ report: SetupReport; ms: number }> {
  const res = await get('/setup', cp.adminToken);
  expect(res.status).toBe(200);
  return { report: JSON.parse(res.body) as SetupReport, ms: res.ms };
}

async function check(id: SetupCheckId): Promise<SetupCheck> {
  return (await report()).report.checks.find((c) => c.id === id)!;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

beforeAll(async () => {
  [cp, moto] = await Promise.all([startControlPlane({ scheduler: false }), startMotoServer()]);
  kc = cp.kubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  const network = await createWorkerNetwork(motoClient(moto.endpoint, credentials));
  await createInfrastructure(kc, { platform: 'aws', region: MOTO_REGION });
  await core.createNode({
    body: {
      metadata: { name: 'aws-worker-a', labels: { [KATA_NODE_LABEL]: '', 'node-role.kubernetes.io/worker': '' } },
      spec: { providerID: network.workerProviderId },
    },
  });
  await createAwsPeerPodsSettings(core, OPERATOR_NAMESPACE, network, credentials);
  await createPeerPodConfig(kc, { limit: '4' });
  await core.createNamespace({ body: { metadata: { name: EXCLUDED_NAMESPACE } } });

  const certDir = mkdtempSync(join(tmpdir(), 'setup-it-'));
  const serving = await issueCertificate(cp.ca, {
    commonName: 'peer-pods-console',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  writeFileSync(join(certDir, 'tls.crt'), serving.certPem);
  writeFileSync(join(certDir, 'tls.key'), serving.keyPem);
  const env = {
    KUBECONFIG: cp.kubeconfigPath,
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
    AWS_ENDPOINT_URL: moto.endpoint,
  };
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  backend = await startBackend(loadConfig([], env), { logDestination: sink });
  // Registered as the chart registers it, with a URL instead of a Service (no cluster DNS here).
  await kc.makeApiClient(AdmissionregistrationV1Api).createMutatingWebhookConfiguration({
    body: renderWebhookConfiguration({
      target: { url: backend.webhookUrl! },
      caBundlePem: cp.caCertPem,
      additionalExcludedNamespaces: [EXCLUDED_NAMESPACE],
    }),
  });
  await waitFor('the node to advertise its capacity', async () => {
    const node = await core.readNode({ name: 'aws-worker-a' });
    return node.status?.capacity?.['kata.peerpods.io/vm'] === '4';
  });
});

afterAll(async () => {
  await backend?.stop();
  await Promise.all([cp?.stop(), moto?.stop()]);
});

describe('GET /api/v1/setup', () => {
  it('needs the read permission: 403 for a user without RBAC, 401 without a token', async () => {
    expect((await get('/setup', cp.userToken)).status).toBe(403);
    expect((await get('/setup', 'not-a-token')).status).toBe(401);
  });

  // How fast is bench/setup's question (every report ≤ 2 s), measured there, not asserted here.
  it('answers every check of a healthy cluster, in display order', async () => {
    await report(); // the first cloud call also builds the EC2 client
    const { report: answer } = await report();
    expect(answer.targetRuntimeClass).toBe('kata-remote');
    expect(Object.fromEntries(answer.checks.map((c) => [c.id, c.status]))).toEqual({
      platform: 'pass',
      'worker-nodes': 'pass',
      'peer-pod-config': 'pass',
      'cloud-secret': 'pass',
      'cloud-config-map': 'pass',
      'runtime-class': 'pass',
      webhook: 'pass',
      // moto's worker security group starts without the peer-pods rules.
      ports: 'fail',
      'advertised-capacity': 'pass',
      // The PeerPodConfig says 4 and peer-pods-cm leaves PEERPODS_LIMIT_PER_NODE at the adaptor's 10.
      'adaptor-limit': 'warning',
      // moto's Standard On-Demand quota keeps its new-account default, 5 vCPUs: less than 4 m6a.large.
      'cloud-quota': 'warning',
      'capacity-writers': 'pass',
      'unaccounted-pods': 'pass',
      'namespace-policy': 'warning',
    });
    const found = Object.fromEntries(answer.checks.map((c) => [c.id, c.found]));
    expect(found['adaptor-limit']).toMatchObject({ key: 'adaptorLimitUnsetDrift', values: { value: 10, limit: 4 } });
    expect(found['cloud-quota']).toMatchObject({
      key: 'quotaShort',
      values: {
        promised: 4,
        size: 'm6a.large',
        vcpus: 2,
        quota: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
      },
    });
    const text = Object.fromEntries(answer.checks.map((c) => [c.id, c.found.message]));
    expect(text.platform).toBe(`AWS, region ${MOTO_REGION}.`);
    expect(text['worker-nodes']).toBe(`Nodes that match the nodeSelector ${KATA_NODE_LABEL}=: 1 (aws-worker-a).`);
    expect(text['cloud-secret']).toBe('The Secret peer-pods-secret holds AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.');
    expect(text.webhook).toMatch(
      /^peer-pods-console-pod-mutator: CA bundle set, \d+ namespaces excluded, and the webhook at https:\/\/127\.0\.0\.1:\d+\/mutate-v1-pod answered in \d+ ms\.$/,
    );
    expect(text.ports).toMatch(/^Not open yet: TCP 15150 \(.+\), TCP 9000 \(.+\)\.$/);
    expect(answer.checks.find((c) => c.id === 'ports')!.fix).toEqual({ kind: 'action', action: 'open-port-wizard' });
  });

  it('passes the ports check once the port wizard opened them', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      request(
        `${backend.url}api/v1/ports/apply`,
        {
          method: 'POST',
          ca: cp.caCertPem,
          headers: { Authorization: `Bearer ${cp.adminToken}`, 'Content-Type': 'application/json' },
        },
        (r) => {
          r.resume();
          r.on('end', () => resolve(r.statusCode ?? 0));
        },
      )
        .on('error', reject)
        .end('{}');
    });
    expect(res).toBe(200);
    // The setup service reuses a port report for a few seconds; wait until it asks the cloud again.
    await waitFor('the ports check to pass', async () => (await check('ports')).status === 'pass', {
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    expect((await check('ports')).found.message).toBe('Open: TCP 15150, TCP 9000.');
  });

  it('reports a PeerPodConfig whose limit is not a whole number, with the limit editor as the fix', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const target = {
      group: 'confidentialcontainers.org',
      version: 'v1alpha1',
      plural: 'peerpodconfigs',
      namespace: OPERATOR_NAMESPACE,
      name: PEERPODCONFIG_NAME,
    };
    await custom.patchNamespacedCustomObject({ ...target, body: { spec: { limit: 'ten' } } }, mergePatch);
    try {
      expect(await check('peer-pod-config')).toMatchObject({
        status: 'fail',
        found: { values: { name: PEERPODCONFIG_NAME, limit: '"ten"' } },
        fix: { kind: 'action', action: 'edit-limit' },
      });
    } finally {
      await custom.patchNamespacedCustomObject({ ...target, body: { spec: { limit: '4' } } }, mergePatch);
    }
  });

  it('names a key missing from the Secret, and never shows a value', async () => {
    await core.patchNamespacedSecret(
      { namespace: OPERATOR_NAMESPACE, name: 'peer-pods-secret', body: { data: { AWS_SECRET_ACCESS_KEY: null } } },
      mergePatch,
    );
    try {
      const secretCheck = await check('cloud-secret');
      expect(secretCheck.status).toBe('fail');
      expect(secretCheck.found.values.keys).toBe('AWS_SECRET_ACCESS_KEY');
      expect(JSON.stringify(secretCheck)).not.toContain(credentials.accessKeyId);
    } finally {
      await core.patchNamespacedSecret(
        {
          namespace: OPERATOR_NAMESPACE,
          name: 'peer-pods-secret',
          body: { stringData: { AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey } },
        },
        mergePatch,
      );
    }
  });

  it('fails the RuntimeClass check when kata-remote is gone, with the command that creates it', async () => {
    const { NodeV1Api } = await import('@kubernetes/client-node');
    const node = kc.makeApiClient(NodeV1Api);
    const saved = await node.readRuntimeClass({ name: 'kata-remote' });
    await node.deleteRuntimeClass({ name: 'kata-remote' });
    try {
      const runtimeClass = await check('runtime-class');
      expect(runtimeClass).toMatchObject({ status: 'fail', found: { key: 'runtimeClassMissing' } });
      expect(runtimeClass.fix).toMatchObject({
        kind: 'command',
        command: expect.stringContaining('handler: kata-remote'),
      });
    } finally {
      await node.createRuntimeClass({
        body: {
          metadata: { name: 'kata-remote' },
          handler: saved.handler,
          overhead: saved.overhead,
          scheduling: saved.scheduling,
        },
      });
    }
  });

  it('lists a peer pod created in an excluded namespace without the VM request, and not one created with it', async () => {
    const pod = (name: string, vm: boolean) => ({
      metadata: { name },
      spec: {
        runtimeClassName: 'kata-remote',
        containers: [
          {
            name: 'app',
            image: 'registry.example/app:1',
            ...(vm
              ? { resources: { requests: { 'kata.peerpods.io/vm': '1' }, limits: { 'kata.peerpods.io/vm': '1' } } }
              : {}),
          },
        ],
      },
    });
    await core.createNamespacedPod({ namespace: EXCLUDED_NAMESPACE, body: pod('escaped', false) });
    await core.createNamespacedPod({ namespace: EXCLUDED_NAMESPACE, body: pod('counted', true) });
    const unaccounted = await waitFor('the unaccounted peer pod', async () => {
      const result = await check('unaccounted-pods');
      return result.status === 'warning' ? result : undefined;
    });
    expect(unaccounted).toMatchObject({
      found: { values: { number: 1, pods: `${EXCLUDED_NAMESPACE}/escaped` } },
      fix: { kind: 'action', action: 'open-capacity' },
    });
    // Both count as peer pods in their namespace (the policy section warns about them).
    expect((await report()).report.peerPodNamespaces).toEqual([{ namespace: EXCLUDED_NAMESPACE, pods: 2 }]);
    await core.deleteNamespacedPod({ namespace: EXCLUDED_NAMESPACE, name: 'escaped', gracePeriodSeconds: 0 });
    await core.deleteNamespacedPod({ namespace: EXCLUDED_NAMESPACE, name: 'counted', gracePeriodSeconds: 0 });
  });

  it('reports the namespace policy as installed once its policy and binding exist', async () => {
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    await admission.createValidatingAdmissionPolicy({ body: buildNamespacePolicy() });
    expect((await check('namespace-policy')).found.key).toBe('policyIncomplete');
    await admission.createValidatingAdmissionPolicyBinding({ body: buildNamespacePolicyBinding() });
    expect((await check('namespace-policy')).status).toBe('pass');
  });

  it('turns a webhook that stopped answering into a failure that says so', async () => {
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    const current = await admission.readMutatingWebhookConfiguration({ name: 'peer-pods-console-pod-mutator' });
    const original = current.webhooks![0]!.clientConfig.url!;
    const closedPort = 'https://127.0.0.1:9/mutate-v1-pod';
    await admission.patchMutatingWebhookConfiguration(
      {
        name: 'peer-pods-console-pod-mutator',
        body: [{ op: 'replace', path: '/webhooks/0/clientConfig/url', value: closedPort }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    try {
      const webhook = await check('webhook');
      expect(webhook.status).toBe('fail');
      expect(webhook.found.message).toMatch(
        /^The webhook of peer-pods-console-pod-mutator at https:\/\/127\.0\.0\.1:9\/mutate-v1-pod did not answer: .*ECONNREFUSED/,
      );
    } finally {
      await admission.patchMutatingWebhookConfiguration(
        {
          name: 'peer-pods-console-pod-mutator',
          body: [{ op: 'replace', path: '/webhooks/0/clientConfig/url', value: original }],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
    }
  });

  it('never put a cloud secret into any answer', () => {
    for (const body of bodies) expect(body).not.toContain(credentials.secretAccessKey);
  });
});
