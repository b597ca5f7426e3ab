// The webhook behind a real kube-apiserver: registered with a generated CA and a URL, pods created
// through the API and read back as stored. Uses the test control plane (hack/controlplane).

import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import {
  AdmissionregistrationV1Api,
  ApiException,
  CoreV1Api,
  NodeV1Api,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../../hack/controlplane/controlplane.ts';
import { createCertificateAuthority, issueCertificate } from '../../../hack/pki.ts';
import { GPUS_ANNOTATION, MEMORY_ANNOTATION, VCPUS_ANNOTATION } from './mutate.ts';
import { createWebhookServer, type WebhookServer } from './server.ts';
import { container, createServingFiles, peerPodWithSidecars, type ServingFiles } from './test/fixtures.ts';
import { renderWebhookConfiguration, DEFAULT_WEBHOOK_NAME } from './webhook-configuration.ts';

const VM = { requests: { 'kata.peerpods.io/vm': '1' }, limits: { 'kata.peerpods.io/vm': '1' } };
const NAMESPACE = 'peer-apps';
const EXCLUDED_BY_SELECTOR = 'legacy-apps';
const EXCLUDED_BY_WEBHOOK = 'openshift-peer-test';
/** reached only by a second registration without the runtime-class match condition, as upstream registers */
const SELECTOR_ONLY = 'selector-only-apps';

let controlPlane: ControlPlane;
let kubeConfig: KubeConfig;
let core: CoreV1Api;
let files: ServingFiles;
let registry: Registry;
let webhook: WebhookServer;
let port: number;
let podCounter = 0;

function startWebhook(): WebhookServer {
  return createWebhookServer({
    port,
    host: '127.0.0.1',
    certFile: files.certFile,
    keyFile: files.keyFile,
    metricsRegistry: registry,
    certReloadIntervalMs: 200,
  });
}

function peerPod(namespace: string, runtimeClassName = 'kata-remote'): V1Pod {
  const pod = peerPodWithSidecars(runtimeClassName);
  podCounter++;
  pod.metadata = { name: `pod-${podCounter}`, namespace, annotations: { team: 'a' } };
  delete pod.status;
  return pod as V1Pod;
}

async function admissions(outcome: string): Promise<number> {
  const metric = await registry.getSingleMetric('peerpods_webhook_admissions_total')!.get();
  return metric.values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
}

/** The readable part of an API error: the Status message the API server returned. */
function statusMessage(error: unknown): string {
  if (!(error instanceof ApiException)) throw error;
  const body =
    typeof error.body === 'string'
      ? (JSON.parse(error.body) as { message?: string })
      : (error.body as { message?: string });
  return body.message ?? '';
}

async function createError(create: () => Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await create();
  } catch (error) {
    return { code: (error as ApiException<unknown>).code, message: statusMessage(error) };
  }
  throw new Error('expected the API server to refuse the pod');
}

/** Polls until `probe` holds; the deadline only bounds a broken run. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up waiting for ${what}: ${String(lastError ?? 'condition not met')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function servedCertificate(): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      const certificate = new X509Certificate(socket.getPeerCertificate().raw);
      socket.end();
      resolve(certificate);
    });
    socket.once('error', reject);
  });
}

beforeAll(async () => {
  controlPlane = await startControlPlane({ scheduler: false });
  kubeConfig = controlPlane.kubeConfig();
  core = kubeConfig.makeApiClient(CoreV1Api);
  for (const name of [NAMESPACE, EXCLUDED_BY_SELECTOR, EXCLUDED_BY_WEBHOOK, SELECTOR_ONLY]) {
    await core.createNamespace({ body: { metadata: { name } } });
  }
  // A second runtime class, for pods that are sandboxed but not peer pods.
  await kubeConfig
    .makeApiClient(NodeV1Api)
    .createRuntimeClass({ body: { metadata: { name: 'kata' }, handler: 'kata' } });

  files = await createServingFiles();
  registry = new Registry();
  const probe = createWebhookServer({ port: 0, host: '127.0.0.1', certFile: files.certFile, keyFile: files.keyFile });
  port = (await probe.listen()).port;
  await probe.close();
  webhook = startWebhook();
  await webhook.listen();

  const configuration = renderWebhookConfiguration({
    target: { url: `https://127.0.0.1:${port}` },
    caBundlePem: files.ca.certPem,
    additionalExcludedNamespaces: [EXCLUDED_BY_SELECTOR, SELECTOR_ONLY],
  });
  await kubeConfig
    .makeApiClient(AdmissionregistrationV1Api)
    .createMutatingWebhookConfiguration({ body: configuration });
  // The API server picks up a new configuration asynchronously; wait until a dry run is mutated.
  await eventually(async () => {
    const pod = await core.createNamespacedPod({ namespace: NAMESPACE, body: peerPod(NAMESPACE), dryRun: 'All' });
    return pod.metadata?.annotations?.[VCPUS_ANNOTATION] ? true : undefined;
  }, 'the API server to call the webhook');
});

afterAll(async () => {
  await webhook?.close();
  files?.remove();
  await controlPlane?.stop();
});

describe('the webhook behind a real API server', () => {
  it('mutates a peer pod: stripped resources, the VM resource on the first container, sizing annotations', async () => {
    const body = peerPod(NAMESPACE);
    await core.createNamespacedPod({ namespace: NAMESPACE, body });
    const stored = await core.readNamespacedPod({ namespace: NAMESPACE, name: body.metadata!.name! });

    expect(stored.spec!.containers.map((c) => [c.name, c.resources])).toEqual([
      ['web', VM],
      ['proxy', {}],
      ['log-shipper', {}],
    ]);
    expect(stored.spec!.initContainers!.map((c) => [c.name, c.resources])).toEqual([['migrate', {}]]);
    // requests 1.85 cpu exceed the 1.5 cpu of limits → 2 vCPUs; limits 640Mi ≥ requests 480Mi → 640 MiB.
    expect(stored.metadata!.annotations).toEqual({ team: 'a', [VCPUS_ANNOTATION]: '2', [MEMORY_ANNOTATION]: '640' });
    // The RuntimeClass admission plugin still adds kata-remote's overhead: the worker pays only that.
    expect(stored.spec!.overhead).toEqual({ cpu: '250m', memory: '350Mi' });
  });

  it('mutates a GPU peer pod and keeps a sizing annotation the user set', async () => {
    const body = peerPod(NAMESPACE);
    body.metadata!.annotations = { [VCPUS_ANNOTATION]: '8' };
    body.spec!.containers = [
      container('trainer', { limits: { cpu: '4', memory: '1.5Gi', 'nvidia.com/gpu': '2' } }) as never,
    ];
    body.spec!.initContainers = [];
    await core.createNamespacedPod({ namespace: NAMESPACE, body });
    const stored = await core.readNamespacedPod({ namespace: NAMESPACE, name: body.metadata!.name! });
    expect(stored.spec!.containers[0]!.resources).toEqual(VM);
    expect(stored.metadata!.annotations).toEqual({
      [VCPUS_ANNOTATION]: '8',
      [MEMORY_ANNOTATION]: '1536',
      [GPUS_ANNOTATION]: '2',
    });
  });

  it.each([
    ['another runtime class', 'kata'],
    ['no runtime class', undefined],
  ])('leaves a pod with %s as it was', async (_name, runtimeClassName) => {
    const body = peerPod(NAMESPACE, runtimeClassName ?? 'unset');
    if (runtimeClassName === undefined) delete body.spec!.runtimeClassName;
    await core.createNamespacedPod({ namespace: NAMESPACE, body });
    const stored = await core.readNamespacedPod({ namespace: NAMESPACE, name: body.metadata!.name! });
    expect(stored.spec!.containers[0]!.resources).toEqual({
      requests: { cpu: '500m', memory: '256Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    expect(stored.spec!.initContainers![0]!.resources).toEqual({ requests: { cpu: '1', memory: '128Mi' } });
    expect(stored.metadata!.annotations).toEqual({ team: 'a' });
  });

  it('does not mutate a peer pod in a namespace excluded by the namespaceSelector (the webhook is not even called)', async () => {
    const calls = (await admissions('mutated')) + (await admissions('excluded-namespace'));
    const body = peerPod(EXCLUDED_BY_SELECTOR);
    await core.createNamespacedPod({ namespace: EXCLUDED_BY_SELECTOR, body });
    const stored = await core.readNamespacedPod({ namespace: EXCLUDED_BY_SELECTOR, name: body.metadata!.name! });
    expect(stored.spec!.containers[0]!.resources!.requests).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(stored.metadata!.annotations).toEqual({ team: 'a' });
    expect((await admissions('mutated')) + (await admissions('excluded-namespace'))).toBe(calls);
  });

  it("does not mutate a peer pod in a namespace the selector misses but the webhook's own list excludes", async () => {
    const excludedBefore = await admissions('excluded-namespace');
    const body = peerPod(EXCLUDED_BY_WEBHOOK);
    await core.createNamespacedPod({ namespace: EXCLUDED_BY_WEBHOOK, body });
    const stored = await core.readNamespacedPod({ namespace: EXCLUDED_BY_WEBHOOK, name: body.metadata!.name! });
    expect(stored.spec!.containers[0]!.resources!.requests).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(stored.metadata!.annotations).toEqual({ team: 'a' });
    expect(await admissions('excluded-namespace')).toBe(excludedBefore + 1);
  });

  it('mutates a server-side dry-run create and stores nothing', async () => {
    const body = peerPod(NAMESPACE);
    const answered = await core.createNamespacedPod({ namespace: NAMESPACE, body, dryRun: 'All' });
    expect(answered.spec!.containers[0]!.resources).toEqual(VM);
    expect(answered.metadata!.annotations?.[MEMORY_ANNOTATION]).toBe('640');
    const lookup = await createError(() =>
      core.readNamespacedPod({ namespace: NAMESPACE, name: body.metadata!.name! }),
    );
    expect(lookup.code).toBe(404);
  });

  it('refuses a peer pod that cannot be sized, with a message naming container and field', async () => {
    const body = peerPod(NAMESPACE);
    body.spec!.containers[1]!.resources = { requests: { cpu: '-250m' } };
    const refused = await createError(() => core.createNamespacedPod({ namespace: NAMESPACE, body }));
    expect(refused.code).toBe(400);
    expect(refused.message).toBe(
      `admission webhook "${DEFAULT_WEBHOOK_NAME}" denied the request: cannot size the peer-pod VM: ` +
        'spec.containers[1] "proxy": resources.requests.cpu: must not be negative, got "-250m"',
    );
  });

  it('serves a certificate rotated on disk without a restart, and the API server uses it', async () => {
    const original = await servedCertificate();

    // First a certificate from a CA the API server does not trust: proves the API server really
    // handshakes with whatever the webhook loaded.
    const stranger = await issueCertificate(await createCertificateAuthority('not-in-the-ca-bundle'), {
      commonName: 'stranger',
      ipAddresses: ['127.0.0.1'],
      usage: 'server',
    });
    writeFileSync(files.certFile, stranger.certPem);
    writeFileSync(files.keyFile, stranger.keyPem);
    await eventually(
      async () => ((await servedCertificate()).subject.includes('CN=stranger') ? true : undefined),
      'the stranger certificate',
    );
    // A connection opened before the reload answers once more, then closes (closing it while idle
    // could cross a call already on its way); the API server's next call handshakes anew.
    const distrusted = await eventually(async () => {
      const refused = await createError(() =>
        core.createNamespacedPod({ namespace: NAMESPACE, body: peerPod(NAMESPACE), dryRun: 'All' }),
      );
      return refused.message.includes('certificate signed by unknown authority') ? refused : undefined;
    }, 'a call that handshakes with the stranger certificate');
    expect(distrusted.message).toContain(`failed calling webhook "${DEFAULT_WEBHOOK_NAME}"`);
    expect(distrusted.message).toContain('certificate signed by unknown authority');

    // Then the real rotation: a new key and certificate from the trusted CA.
    await files.rotate('peer-pods-webhook-rotated');
    const rotated = await eventually(async () => {
      const served = await servedCertificate();
      return served.subject.includes('CN=peer-pods-webhook-rotated') ? served : undefined;
    }, 'the rotated certificate');
    expect(rotated.fingerprint256).not.toBe(original.fingerprint256);
    expect(rotated.publicKey.export({ format: 'der', type: 'spki' })).not.toEqual(
      original.publicKey.export({ format: 'der', type: 'spki' }),
    );

    const body = peerPod(NAMESPACE);
    await core.createNamespacedPod({ namespace: NAMESPACE, body });
    const stored = await core.readNamespacedPod({ namespace: NAMESPACE, name: body.metadata!.name! });
    expect(stored.spec!.containers[0]!.resources).toEqual(VM);
  });

  it('registered without the match condition (as upstream), is called for every pod and changes only peer pods', async () => {
    await kubeConfig.makeApiClient(AdmissionregistrationV1Api).createMutatingWebhookConfiguration({
      body: renderWebhookConfiguration({
        name: 'selector-only-test',
        webhookName: 'selector-only.test.peerpods.io',
        target: { url: `https://127.0.0.1:${port}` },
        caBundlePem: files.ca.certPem,
        matchRuntimeClass: false,
        additionalExcludedNamespaces: [NAMESPACE, EXCLUDED_BY_SELECTOR],
      }),
    });
    await eventually(async () => {
      const pod = await core.createNamespacedPod({
        namespace: SELECTOR_ONLY,
        body: peerPod(SELECTOR_ONLY),
        dryRun: 'All',
      });
      return pod.metadata?.annotations?.[VCPUS_ANNOTATION] ? true : undefined;
    }, 'the API server to call the second registration');

    const notPeerBefore = await admissions('not-peer-pod');
    const ordinary = peerPod(SELECTOR_ONLY, 'kata');
    await core.createNamespacedPod({ namespace: SELECTOR_ONLY, body: ordinary });
    const storedOrdinary = await core.readNamespacedPod({ namespace: SELECTOR_ONLY, name: ordinary.metadata!.name! });
    expect(storedOrdinary.spec!.containers[0]!.resources!.requests).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(storedOrdinary.metadata!.annotations).toEqual({ team: 'a' });
    expect(await admissions('not-peer-pod')).toBe(notPeerBefore + 1);

    const peer = peerPod(SELECTOR_ONLY);
    await core.createNamespacedPod({ namespace: SELECTOR_ONLY, body: peer });
    const storedPeer = await core.readNamespacedPod({ namespace: SELECTOR_ONLY, name: peer.metadata!.name! });
    expect(storedPeer.spec!.containers[0]!.resources).toEqual(VM);
    expect(storedPeer.metadata!.annotations).toEqual({
      team: 'a',
      [VCPUS_ANNOTATION]: '2',
      [MEMORY_ANNOTATION]: '640',
    });
  });

  it('refuses peer pods with a readable message while the webhook is down (failurePolicy Fail), and admits other pods', async () => {
    await webhook.close();
    try {
      const refused = await createError(() =>
        core.createNamespacedPod({ namespace: NAMESPACE, body: peerPod(NAMESPACE) }),
      );
      expect(refused.code).toBe(500);
      expect(refused.message).toContain(`failed calling webhook "${DEFAULT_WEBHOOK_NAME}"`);
      expect(refused.message).toContain(`https://127.0.0.1:${port}/mutate-v1-pod`);
      expect(refused.message).toContain('connection refused');

      // The match condition keeps ordinary pods off the webhook, so they do not depend on it.
      const ordinary = peerPod(NAMESPACE, 'kata');
      await expect(core.createNamespacedPod({ namespace: NAMESPACE, body: ordinary })).resolves.toHaveProperty(
        'metadata.name',
      );
    } finally {
      webhook = startWebhook();
      await webhook.listen();
    }
    const body = peerPod(NAMESPACE);
    await eventually(
      async () => (await core.createNamespacedPod({ namespace: NAMESPACE, body })) ?? undefined,
      'the webhook to be back',
    );
    expect(
      (await core.readNamespacedPod({ namespace: NAMESPACE, name: body.metadata!.name! })).spec!.containers[0]!
        .resources,
    ).toEqual(VM);
  });
});
