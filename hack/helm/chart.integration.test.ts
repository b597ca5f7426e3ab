// The chart against a real API server (hack/controlplane: etcd + kube-apiserver with RBAC and
// Pod Security admission, the ConsolePlugin and console operator CRDs installed):
// - every rendered object of every variant passes a server-side dry run;
// - the pods it defines pass Pod Security "restricted";
// - its RBAC, applied for real, lets the backend's ServiceAccount token do its job and refuses
//   what the backend must never do;
// - the enable-plugin Job's script, with its own ServiceAccount, enables the plugin idempotently;
// - the backend, started as a local process with the chart's environment and that token, does its job.
// There is no OpenShift service CA here: nothing fills caBundle or the serving-cert Secret,
// which a dry run does not need; the backend test issues its own certificate.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  ApiextensionsV1Api,
  AppsV1Api,
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  NodeV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1Container,
  type V1CustomResourceDefinition,
  type V1Deployment,
  type V1Job,
  type V1Pod,
  type V1PodSpec,
} from '@kubernetes/client-node';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../pki.ts';
import { freePort, startControlPlane, type ControlPlane } from '../controlplane/controlplane.ts';
import {
  createPeerPodConfig,
  createWorkerNodes,
  OPERATOR_NAMESPACE,
  PEERPOD_RESOURCE,
  setNodePeerPodCapacity,
} from '../controlplane/fixtures.ts';
import { ChartRenderer, CHART_DIR, DEFAULT_NAMESPACE, findOne, REPO_ROOT, VARIANTS, type Manifest } from './render.ts';

const NS = DEFAULT_NAMESPACE;
const FULLNAME = 'peer-pods-console';
const log = (line: string) => console.log(line);

let cp: ControlPlane;
let chart: ChartRenderer;
let admin: KubeConfig;
let workDir: string;

function apiMessage(err: unknown): string {
  if (err instanceof ApiException) {
    try {
      return `HTTP ${err.code}: ${(JSON.parse(String(err.body)) as { message?: string }).message ?? err.body}`;
    } catch {
      return `HTTP ${err.code}: ${String(err.body)}`;
    }
  }
  return (err as Error).message;
}

async function waitEstablished(kc: KubeConfig, name: string): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const crd = await api.readCustomResourceDefinition({ name });
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} was not Established within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Creates each object (dry run or for real) and returns one line per refusal. */
async function createAll(kc: KubeConfig, objects: Manifest[], dryRun: boolean): Promise<string[]> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const refusals: string[] = [];
  for (const object of objects) {
    try {
      await api.create(object, undefined, dryRun ? 'All' : undefined);
    } catch (err) {
      refusals.push(`${object.kind}/${object.metadata!.name}: ${apiMessage(err)}`);
    }
  }
  return refusals;
}

async function tokenFor(serviceAccount: string): Promise<string> {
  const response = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: serviceAccount,
    namespace: NS,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = response.status?.token;
  if (!token) throw new Error(`no token for ServiceAccount ${NS}/${serviceAccount}`);
  return token;
}

/**
 * The HTTP status of a request: 200 for success, the API status otherwise. A 429 ("storage is
 * (re)initializing", while the API server sets up a custom resource's storage) says nothing about
 * authorization, so the request is repeated until the server answers it.
 */
async function statusOf(call: () => Promise<unknown>): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await call();
      return 200;
    } catch (err) {
      if (!(err instanceof ApiException)) throw err;
      if (err.code === 429 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      if (err.code !== 403) console.log(`unexpected answer: ${apiMessage(err)}`);
      return err.code;
    }
  }
}

let backendRbac: Promise<void> | undefined;
/** Applies the backend's ServiceAccount and RBAC from the default render, once per file. */
function applyBackendRbac(): Promise<void> {
  return (backendRbac ??= (async () => {
    const rbacKinds = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
    const rbac = (await chart.render()).filter((o) => rbacKinds.has(o.kind!));
    expect(rbac).toHaveLength(7);
    expect(await createAll(admin, rbac, false)).toEqual([]);
  })());
}

beforeAll(async () => {
  chart = await ChartRenderer.create(log);
  cp = await startControlPlane({ log, scheduler: false });
  admin = cp.kubeConfig();
  workDir = mkdtempSync(join(tmpdir(), 'peerpods-chart-it-'));
  // OpenShift's restricted-v2 SCC is stricter than upstream's Pod Security "restricted";
  // enforcing the latter here is the closest check a plain API server can make.
  await admin.makeApiClient(CoreV1Api).createNamespace({
    body: {
      metadata: {
        name: NS,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    },
  });
  const standIn = load(
    readFileSync(join(import.meta.dirname, 'testdata', 'certificates.cert-manager.io.stand-in.yaml'), 'utf8'),
  );
  await admin
    .makeApiClient(ApiextensionsV1Api)
    .createCustomResourceDefinition({ body: standIn as V1CustomResourceDefinition });
  await waitEstablished(admin, 'certificates.cert-manager.io');
}, 20 * 60_000);

afterAll(async () => {
  await cp?.stop();
  chart?.dispose();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('server-side dry run', () => {
  it.each(Object.entries(VARIANTS))('accepts every object rendered from the %s values', async (_name, values) => {
    const objects = await chart.render({ values });
    expect(objects.length).toBeGreaterThan(10);
    expect(await createAll(admin, objects, true)).toEqual([]);
  });

  it('refuses an object the API server does not know (the dry run is real)', async () => {
    const refusals = await createAll(
      admin,
      [{ apiVersion: 'console.openshift.io/v1', kind: 'ConsolePlugin', metadata: { name: 'no-spec' } } as Manifest],
      true,
    );
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/ConsolePlugin\/no-spec: HTTP 422/);
  });
});

describe('helm against the API server', () => {
  const release = 'ppc-install';
  const namespace = 'ppc-install';
  const fullname = `${release}-peer-pods-console`;

  it('validates every object with install --dry-run=server and prints how to enable the plugin', async () => {
    const result = await chart.run(
      ['install', release, CHART_DIR, '--namespace', namespace, '--create-namespace', '--dry-run=server'],
      cp.kubeconfigPath,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('NOTES:');
    expect(result.stdout).toContain(
      `oc patch consoles.operator.openshift.io cluster --type=json \\\n       -p '[{"op": "add", "path": "/spec/plugins/-", "value": "peer-pods-console-plugin"}]'`,
    );
    expect(result.stdout).toContain(
      `MutatingWebhookConfiguration\n${fullname}-pod-mutator (CA from service-ca, failurePolicy Fail)`,
    );
  });

  it('installs, upgrades and uninstalls a release, leaving nothing behind', async () => {
    const install = await chart.run(
      ['install', release, CHART_DIR, '--namespace', namespace, '--create-namespace'],
      cp.kubeconfigPath,
    );
    expect({ code: install.code, stderr: install.stderr }).toEqual({ code: 0, stderr: '' });
    const custom = admin.makeApiClient(CustomObjectsApi);
    const plugin = (await custom.getClusterCustomObject({
      group: 'console.openshift.io',
      version: 'v1',
      plural: 'consoleplugins',
      name: 'peer-pods-console-plugin',
    })) as { spec: { backend: { service: { name: string; namespace: string } } } };
    expect(plugin.spec.backend.service).toMatchObject({ name: fullname, namespace });

    const upgrade = await chart.run(
      ['upgrade', release, CHART_DIR, '--namespace', namespace, '--reuse-values', '--set', 'backend.logLevel=debug'],
      cp.kubeconfigPath,
    );
    expect({ code: upgrade.code, stderr: upgrade.stderr }).toEqual({ code: 0, stderr: '' });
    const deployment = await admin.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: fullname, namespace });
    const env = deployment.spec!.template.spec!.containers[0]!.env!;
    expect(env.find((e) => e.name === 'LOG_LEVEL')?.value).toBe('debug');

    const uninstall = await chart.run(['uninstall', release, '--namespace', namespace, '--wait'], cp.kubeconfigPath);
    expect({ code: uninstall.code, stderr: uninstall.stderr }).toEqual({ code: 0, stderr: '' });
    const api = KubernetesObjectApi.makeApiClient(admin);
    const left: string[] = [];
    for (const object of await chart.render({ release, namespace })) {
      const found = await api
        .read({
          apiVersion: object.apiVersion!,
          kind: object.kind!,
          metadata: { name: object.metadata!.name!, namespace: object.metadata!.namespace },
        })
        .then(
          () => true,
          (err: unknown) => (err instanceof ApiException && err.code === 404 ? false : Promise.reject(err)),
        );
      if (found) left.push(`${object.kind}/${object.metadata!.name}`);
    }
    expect(left).toEqual([]);
  });
});

describe('Pod Security "restricted"', () => {
  function podFrom(spec: V1PodSpec, name: string): V1Pod {
    return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec };
  }

  it("admits the backend's pod", async () => {
    const deployment = findOne(await chart.render(), 'Deployment') as unknown as V1Deployment;
    const core = admin.makeApiClient(CoreV1Api);
    await expect(
      core.createNamespacedPod({
        namespace: NS,
        body: podFrom(deployment.spec!.template.spec!, 'backend'),
        dryRun: 'All',
      }),
    ).resolves.toBeDefined();
  });

  it("admits the enable-plugin Job's pod", async () => {
    const job = findOne(await chart.render({ values: VARIANTS['enable-plugin job'] }), 'Job') as unknown as V1Job;
    const core = admin.makeApiClient(CoreV1Api);
    await expect(
      core.createNamespacedPod({
        namespace: NS,
        body: podFrom(job.spec!.template.spec!, 'enable-plugin'),
        dryRun: 'All',
      }),
    ).resolves.toBeDefined();
  });

  it('refuses a pod without the security context (the namespace enforces the profile)', async () => {
    const core = admin.makeApiClient(CoreV1Api);
    const bare = podFrom({ containers: [{ name: 'app', image: 'example.com/app:1' }] }, 'bare');
    const refusal = await core.createNamespacedPod({ namespace: NS, body: bare, dryRun: 'All' }).then(
      () => 'admitted',
      (err: unknown) => apiMessage(err),
    );
    expect(refusal).toMatch(/violates PodSecurity "restricted:latest"/);
  });
});

describe("the backend's ServiceAccount, with the chart's RBAC applied", () => {
  let asBackend: KubeConfig;
  let workerName: string;
  let podName: string;

  beforeAll(async () => {
    await applyBackendRbac();
    asBackend = cp.kubeConfigForToken(await tokenFor(FULLNAME));

    const core = admin.makeApiClient(CoreV1Api);
    const [worker] = await createWorkerNodes(admin, { count: 1, namePrefix: 'rbac-worker-' });
    workerName = worker!.metadata!.name!;
    await core.createNamespacedSecret({
      namespace: OPERATOR_NAMESPACE,
      body: {
        metadata: { name: 'peer-pods-secret' },
        stringData: { AWS_ACCESS_KEY_ID: 'AKIA-TEST', AWS_SECRET_ACCESS_KEY: 'test' },
      },
    });
    await core.createNamespacedSecret({
      namespace: OPERATOR_NAMESPACE,
      body: { metadata: { name: 'another-secret' }, stringData: { a: 'b' } },
    });
    await core.createNamespacedConfigMap({
      namespace: OPERATOR_NAMESPACE,
      body: { metadata: { name: 'peer-pods-cm' }, data: { CLOUD_PROVIDER: 'aws' } },
    });
    podName = 'victim';
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: podName }, spec: { containers: [{ name: 'app', image: 'example.com/app:1' }] } },
    });
  });

  it('can list and watch Nodes, Pods, PeerPodConfigs and PeerPods', async () => {
    const core = asBackend.makeApiClient(CoreV1Api);
    const custom = asBackend.makeApiClient(CustomObjectsApi);
    expect(await statusOf(() => core.listNode())).toBe(200);
    expect(await statusOf(() => core.listPodForAllNamespaces())).toBe(200);
    const group = 'confidentialcontainers.org';
    expect(
      await statusOf(() => custom.listClusterCustomObject({ group, version: 'v1alpha1', plural: 'peerpodconfigs' })),
    ).toBe(200);
    expect(
      await statusOf(() => custom.listClusterCustomObject({ group, version: 'v1alpha1', plural: 'peerpods' })),
    ).toBe(200);
    const authz = asBackend.makeApiClient(AuthorizationV1Api);
    for (const [groupName, resource] of [
      ['', 'nodes'],
      ['', 'pods'],
      [group, 'peerpodconfigs'],
      [group, 'peerpods'],
    ] as const) {
      const review = await authz.createSelfSubjectAccessReview({
        body: { spec: { resourceAttributes: { group: groupName, resource, verb: 'watch' } } },
      });
      expect({ resource, allowed: review.status!.allowed }).toEqual({ resource, allowed: true });
    }
  });

  it("can patch a Node's status (its peer-pod capacity)", async () => {
    const core = asBackend.makeApiClient(CoreV1Api);
    const escaped = PEERPOD_RESOURCE.replace('/', '~1');
    const node = await core.patchNodeStatus(
      { name: workerName, body: [{ op: 'add', path: `/status/capacity/${escaped}`, value: '3' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(node.status!.capacity![PEERPOD_RESOURCE]).toBe('3');
  });

  it("cannot patch a Node's spec or labels", async () => {
    const core = asBackend.makeApiClient(CoreV1Api);
    const patch = () =>
      core.patchNode(
        { name: workerName, body: { metadata: { labels: { hacked: 'true' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    expect(await statusOf(patch)).toBe(403);
  });

  it('can get the named Secret and ConfigMap', async () => {
    const core = asBackend.makeApiClient(CoreV1Api);
    const secret = await core.readNamespacedSecret({ name: 'peer-pods-secret', namespace: OPERATOR_NAMESPACE });
    expect(Object.keys(secret.data!)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    const configMap = await core.readNamespacedConfigMap({ name: 'peer-pods-cm', namespace: OPERATOR_NAMESPACE });
    expect(configMap.data).toEqual({ CLOUD_PROVIDER: 'aws' });
  });

  it('cannot read another Secret, list Secrets, or read Secrets elsewhere', async () => {
    const core = asBackend.makeApiClient(CoreV1Api);
    expect(
      await statusOf(() => core.readNamespacedSecret({ name: 'another-secret', namespace: OPERATOR_NAMESPACE })),
    ).toBe(403);
    expect(await statusOf(() => core.listNamespacedSecret({ namespace: OPERATOR_NAMESPACE }))).toBe(403);
    expect(await statusOf(() => core.listSecretForAllNamespaces())).toBe(403);
    expect(await statusOf(() => core.readNamespacedSecret({ name: 'peer-pods-secret', namespace: 'default' }))).toBe(
      403,
    );
  });

  it('cannot delete or create pods', async () => {
    const core = asBackend.makeApiClient(CoreV1Api);
    expect(await statusOf(() => core.deleteNamespacedPod({ name: podName, namespace: 'default' }))).toBe(403);
    const create = () =>
      core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'intruder' }, spec: { containers: [{ name: 'app', image: 'example.com/app:1' }] } },
      });
    expect(await statusOf(create)).toBe(403);
    expect(
      await statusOf(() => admin.makeApiClient(CoreV1Api).readNamespacedPod({ name: podName, namespace: 'default' })),
    ).toBe(200);
  });

  it('can create, get and update its Lease in the release namespace, and nowhere else', async () => {
    const leases = asBackend.makeApiClient(CoordinationV1Api);
    const body = {
      metadata: { name: 'peer-pods-console-capacity' },
      spec: { holderIdentity: 'test', leaseDurationSeconds: 15 },
    };
    await leases.createNamespacedLease({ namespace: NS, body });
    const lease = await leases.readNamespacedLease({ name: 'peer-pods-console-capacity', namespace: NS });
    const updated = await leases.replaceNamespacedLease({
      name: 'peer-pods-console-capacity',
      namespace: NS,
      body: { ...lease, spec: { ...lease.spec, holderIdentity: 'test-2' } },
    });
    expect(updated.spec!.holderIdentity).toBe('test-2');
    expect(await statusOf(() => leases.createNamespacedLease({ namespace: 'default', body }))).toBe(403);
    expect(
      await statusOf(() => leases.deleteNamespacedLease({ name: 'peer-pods-console-capacity', namespace: NS })),
    ).toBe(403);
  });

  it('can create and patch Events', async () => {
    const core = asBackend.makeApiClient(CoreV1Api);
    const event = await core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: `${workerName}.capacity` },
        involvedObject: { kind: 'Node', name: workerName, apiVersion: 'v1' },
        reason: 'CapacityAdvertised',
        message: 'advertised 3 peer-pod VMs',
        type: 'Normal',
        count: 1,
        source: { component: 'peer-pods-console' },
      },
    });
    expect(event.reason).toBe('CapacityAdvertised');
    const patched = await core.patchNamespacedEvent(
      { name: event.metadata!.name!, namespace: 'default', body: { count: 2 } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.count).toBe(2);
  });

  it('can create TokenReviews and SubjectAccessReviews (to authorize console users)', async () => {
    const review = await asBackend
      .makeApiClient(AuthenticationV1Api)
      .createTokenReview({ body: { spec: { token: cp.userToken } } });
    expect(review.status!.authenticated).toBe(true);
    const access = await asBackend.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({
      body: { spec: { user: review.status!.user!.username, resourceAttributes: { resource: 'nodes', verb: 'list' } } },
    });
    expect(access.status!.allowed).toBe(false);
  });

  it('can read what the setup checks read', async () => {
    const custom = asBackend.makeApiClient(CustomObjectsApi);
    expect(await statusOf(() => asBackend.makeApiClient(NodeV1Api).listRuntimeClass())).toBe(200);
    for (const plural of [
      'mutatingwebhookconfigurations',
      'validatingadmissionpolicies',
      'validatingadmissionpolicybindings',
    ]) {
      expect({
        plural,
        status: await statusOf(() =>
          custom.listClusterCustomObject({ group: 'admissionregistration.k8s.io', version: 'v1', plural }),
        ),
      }).toEqual({
        plural,
        status: 200,
      });
    }
    expect(
      await statusOf(() =>
        custom.listClusterCustomObject({ group: 'config.openshift.io', version: 'v1', plural: 'infrastructures' }),
      ),
    ).toBe(200);
  });

  it('cannot change webhook configurations or enable console plugins', async () => {
    const custom = asBackend.makeApiClient(CustomObjectsApi);
    const deleteWebhooks = () =>
      custom.deleteClusterCustomObject({
        group: 'admissionregistration.k8s.io',
        version: 'v1',
        plural: 'mutatingwebhookconfigurations',
        name: `${FULLNAME}-pod-mutator`,
      });
    expect(await statusOf(deleteWebhooks)).toBe(403);
    const getConsole = () =>
      custom.getClusterCustomObject({
        group: 'operator.openshift.io',
        version: 'v1',
        plural: 'consoles',
        name: 'cluster',
      });
    expect(await statusOf(getConsole)).toBe(403);
  });
});

describe("the enable-plugin Job's script, with the Job's ServiceAccount", () => {
  const script = join(CHART_DIR, 'files', 'enable-plugin.mjs');
  const pluginName = 'peer-pods-console-plugin';
  const consoles = { group: 'operator.openshift.io', version: 'v1', plural: 'consoles', name: 'cluster' };
  let tokenFile: string;
  let caFile: string;

  beforeAll(async () => {
    const hooks = (await chart.render({ values: VARIANTS['enable-plugin job'] })).filter(
      (o) =>
        ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind!) &&
        o.metadata!.name!.endsWith('-enable-plugin'),
    );
    expect(hooks).toHaveLength(3);
    expect(await createAll(admin, hooks, false)).toEqual([]);
    tokenFile = join(workDir, 'enable-plugin.token');
    caFile = join(workDir, 'ca.crt');
    writeFileSync(tokenFile, await tokenFor(`${FULLNAME}-enable-plugin`));
    writeFileSync(caFile, cp.caCertPem);
  });

  function runScript(): Promise<{ code: number; output: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script], {
        env: {
          PATH: process.env.PATH,
          PLUGIN_NAME: pluginName,
          KUBE_API_URL: cp.server,
          KUBE_TOKEN_FILE: tokenFile,
          KUBE_CA_FILE: caFile,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, output }));
    });
  }

  async function consoleConfig(): Promise<{ spec?: { plugins?: string[] } }> {
    return (await admin.makeApiClient(CustomObjectsApi).getClusterCustomObject(consoles)) as {
      spec?: { plugins?: string[] };
    };
  }

  async function setConsoleConfig(spec: Record<string, unknown> | undefined): Promise<void> {
    const custom = admin.makeApiClient(CustomObjectsApi);
    await custom.deleteClusterCustomObject(consoles).catch(() => undefined);
    if (spec === undefined) return;
    await custom.createClusterCustomObject({
      ...consoles,
      body: { apiVersion: 'operator.openshift.io/v1', kind: 'Console', metadata: { name: 'cluster' }, spec },
    });
  }

  it('adds the plugin after the ones already enabled, and only once', async () => {
    await setConsoleConfig({ managementState: 'Managed', plugins: ['other-plugin'] });
    const first = await runScript();
    expect(first).toMatchObject({ code: 0, output: expect.stringContaining(`added ${pluginName}`) });
    const second = await runScript();
    expect(second).toMatchObject({ code: 0, output: expect.stringContaining(`${pluginName} is enabled`) });
    expect((await consoleConfig()).spec!.plugins).toEqual(['other-plugin', pluginName]);
  });

  it('creates spec.plugins when the console lists none', async () => {
    await setConsoleConfig({ managementState: 'Managed' });
    expect((await runScript()).code).toBe(0);
    expect((await consoleConfig()).spec).toEqual({ managementState: 'Managed', plugins: [pluginName] });
  });

  it('fails with a message when the cluster has no console config', async () => {
    await setConsoleConfig(undefined);
    const result = await runScript();
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/consoles\.operator\.openshift\.io\/cluster does not exist/);
  });

  it('runs as a ServiceAccount that may touch nothing else', async () => {
    const asJob = cp.kubeConfigForToken(readFileSync(tokenFile, 'utf8'));
    expect(await statusOf(() => asJob.makeApiClient(CoreV1Api).listNode())).toBe(403);
    expect(await statusOf(() => asJob.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: NS }))).toBe(403);
  });
});

describe("the backend, run as a local process with the chart's environment and ServiceAccount token", () => {
  let backend: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (backend && backend.exitCode === null) {
      const exited = new Promise((r) => backend!.once('exit', r));
      backend.kill('SIGTERM');
      await exited;
    }
  });

  function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { ca, timeout: 3000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end();
    });
  }

  async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      if (backend?.exitCode !== null && backend?.exitCode !== undefined) {
        throw new Error(
          `the backend exited with code ${backend.exitCode} while waiting for ${what}:\n${output.slice(-3000)}`,
        );
      }
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() > deadline)
        throw new Error(`${what} did not happen within ${timeoutMs / 1000} s (${last})\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('becomes ready and advertises kata.peerpods.io/vm on the nodes its PeerPodConfig selects', async () => {
    await applyBackendRbac();
    const deployment = findOne(await chart.render(), 'Deployment') as unknown as V1Deployment;
    const container = deployment.spec!.template.spec!.containers.find((c) => c.name === 'backend') as V1Container;

    await createPeerPodConfig(admin, { limit: '7' });
    const nodes = await createWorkerNodes(admin, { count: 2, namePrefix: 'backend-worker-' });
    // a node that advertised a stale value, as after a limit change
    await setNodePeerPodCapacity(admin, nodes[1]!.metadata!.name!, 2);

    const serving = await issueCertificate(cp.ca, {
      commonName: FULLNAME,
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      usage: 'server',
    });
    const certDir = join(workDir, 'serving-cert');
    rmSync(certDir, { recursive: true, force: true });
    mkdirSync(certDir);
    writeFileSync(join(certDir, 'tls.crt'), serving.certPem);
    writeFileSync(join(certDir, 'tls.key'), serving.keyPem, { mode: 0o600 });
    const kubeconfig = join(workDir, 'backend.kubeconfig');
    writeFileSync(
      kubeconfig,
      dump({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'local',
            cluster: { server: cp.server, 'certificate-authority-data': Buffer.from(cp.caCertPem).toString('base64') },
          },
        ],
        users: [{ name: FULLNAME, user: { token: await tokenFor(FULLNAME) } }],
        contexts: [{ name: FULLNAME, context: { cluster: 'local', user: FULLNAME } }],
        'current-context': FULLNAME,
      }),
      { mode: 0o600 },
    );

    // The Deployment's environment, as the kubelet would give it, with what differs outside a pod:
    // loopback ports, the certificate directory, and a kubeconfig instead of the mounted token.
    const [port, metricsPort, webhookPort] = [await freePort(), await freePort(), await freePort()];
    const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (const variable of container.env!) {
      const field = variable.valueFrom?.fieldRef?.fieldPath;
      env[variable.name] =
        field === 'metadata.name'
          ? 'peer-pods-console-local-0'
          : field === 'metadata.namespace'
            ? NS
            : (variable.value ?? '');
    }
    const mountedCertDir = container.volumeMounts!.find((m) => m.name === 'serving-cert')!.mountPath;
    for (const name of ['TLS_CERT_FILE', 'TLS_KEY_FILE', 'WEBHOOK_CERT_FILE', 'WEBHOOK_KEY_FILE']) {
      env[name] = env[name]!.replace(mountedCertDir, certDir);
    }
    Object.assign(env, {
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      WEBHOOK_PORT: String(webhookPort),
      KUBECONFIG: kubeconfig,
      HOME: workDir,
    });

    backend = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    backend.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    backend.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    // The readiness probe's target: the health port, as the Deployment's readinessProbe names it.
    expect(container.readinessProbe!.httpGet).toMatchObject({ port: 'metrics', path: '/readyz' });
    const ready = await eventually('/readyz answering 200', 90_000, async () => {
      const res = await httpsGet(`https://127.0.0.1:${metricsPort}/readyz`, cp.caCertPem);
      return res.status === 200 ? res : undefined;
    });
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true });

    const core = admin.makeApiClient(CoreV1Api);
    const advertised = await eventually('kata.peerpods.io/vm = 7 on both selected nodes', 60_000, async () => {
      const values = await Promise.all(
        nodes.map(
          async (n) => (await core.readNodeStatus({ name: n.metadata!.name! })).status?.capacity?.[PEERPOD_RESOURCE],
        ),
      );
      if (!values.every((v) => v === '7')) throw new Error(`the nodes advertise ${JSON.stringify(values)}`);
      return values;
    });
    expect(advertised).toEqual(['7', '7']);
  }, 240_000);
});
