// `hack/run start --kubeconfig FILE` against a real API server (a control plane this test starts
// and treats as "the real cluster"): the console shell proxies the API server with the kubeconfig
// user's credentials and the backend with its token, and nothing is created in the cluster.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdmissionregistrationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../controlplane/controlplane.ts';
import { createWorkerNodes } from '../controlplane/fixtures.ts';
import { StartUsageError } from './args.ts';
import { ADMIN_TOKEN_ENV, DEVELOPER_TOKEN_ENV } from './kubeconfig.ts';
import { startLocalStack, type LocalStack } from './stack.ts';

const PLUGIN = 'peer-pods-console-plugin';
const BACKEND = `/api/proxy/plugin/${PLUGIN}/backend/api/v1`;

let cp: ControlPlane;
let dir: string;
let tokenKubeconfig: string;
let pluginDistDir: string;
const started: LocalStack[] = [];

async function start(kubeconfig: string, env: Record<string, string>): Promise<LocalStack> {
  const stack = await startLocalStack({
    platform: 'aws',
    nodes: 5,
    kubeconfig,
    backendPort: 0,
    shellPort: 0,
    pluginDistDir,
    backendOutput: { file: join(dir, `backend-${started.length}.log`) },
    env,
    log: () => {},
  });
  started.push(stack);
  return stack;
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  cp = await startControlPlane();
  await createWorkerNodes(cp.kubeConfig(), { count: 2, platform: 'aws' });
  dir = mkdtempSync(join(tmpdir(), 'kubeconfig-mode-'));
  tokenKubeconfig = join(dir, 'token.kubeconfig');
  writeFileSync(tokenKubeconfig, cp.kubeConfigForToken(cp.adminToken).exportConfig());
  // The shell needs only the manifest's name to serve and proxy; the plugin's build is not under test.
  pluginDistDir = join(dir, 'dist');
  mkdirSync(pluginDistDir);
  writeFileSync(
    join(pluginDistDir, 'plugin-manifest.json'),
    JSON.stringify({ name: PLUGIN, version: '0.1.0', loadScripts: [], extensions: [] }),
  );
});

afterAll(async () => {
  for (const stack of started) await stack.stop();
  await cp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--kubeconfig with a bearer-token user (as `oc login` writes it)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await start(tokenKubeconfig, { [DEVELOPER_TOKEN_ENV]: cp.userToken });
  });

  it('points the shell at the cluster’s API server, not at a local control plane', () => {
    expect(stack.mode).toBe('kubeconfig');
    expect(stack.apiServer).toBe(cp.server);
    expect(stack.kubeconfigPath).toBe(tokenKubeconfig);
    expect(stack.cloud).toBeUndefined();
  });

  it('proxies /api/kubernetes/api/v1/nodes to the cluster as the kubeconfig’s user', async () => {
    const { status, body } = await json(`${stack.shellUrl}/api/kubernetes/api/v1/nodes`);
    expect(status).toBe(200);
    const names = (body.items as { metadata: { name: string } }[]).map((n) => n.metadata.name).sort();
    expect(names).toEqual(['worker-0', 'worker-1']);
  });

  it('proxies the backend, which knows the user by the same token', async () => {
    const { status, body } = await json(`${stack.shellUrl}${BACKEND}/capacity`);
    expect(status).toBe(200);
    expect((body.totals as { nodes: number }).nodes).toBe(2);
  });

  it('offers the non-admin user whose token is in the environment, and acts as that user after a switch', async () => {
    const page = await fetch(`${stack.shellUrl}/`, { headers: { accept: 'text/html' } });
    const csrf = /csrf-token=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')![1]!;
    expect((await json(`${stack.shellUrl}/shell/session`)).body).toEqual({
      user: 'admin',
      users: ['admin', 'developer'],
    });
    const switched = await fetch(`${stack.shellUrl}/shell/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrftoken': csrf, cookie: `csrf-token=${csrf}` },
      body: JSON.stringify({ user: 'developer' }),
    });
    const userCookie = /console-shell-user=[^;]+/.exec(switched.headers.get('set-cookie') ?? '')![0];
    const nodes = await fetch(`${stack.shellUrl}/api/kubernetes/api/v1/nodes`, { headers: { cookie: userCookie } });
    expect(nodes.status).toBe(403);
    expect(((await nodes.json()) as { message: string }).message).toContain('User "test-developer" cannot list');
  });

  it('creates nothing in the cluster: no webhook registration, no demo pods, no peer-pods settings', async () => {
    const kc = cp.kubeConfig();
    const webhooks = await kc.makeApiClient(AdmissionregistrationV1Api).listMutatingWebhookConfiguration();
    expect(webhooks.items).toEqual([]);
    const core = kc.makeApiClient(CoreV1Api);
    expect((await core.listPodForAllNamespaces()).items).toEqual([]);
    expect((await core.listSecretForAllNamespaces({ fieldSelector: 'metadata.name=peer-pods-secret' })).items).toEqual(
      [],
    );
  });
});

describe('--kubeconfig with a client-certificate user (the control plane’s own admin kubeconfig)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await start(cp.kubeconfigPath, {});
  });

  it('proxies the API server with the client certificate', async () => {
    const { status, body } = await json(`${stack.shellUrl}/api/kubernetes/api/v1/nodes`);
    expect(status).toBe(200);
    expect((body.items as unknown[]).length).toBe(2);
  });

  it('warns that the backend needs a token, which it then refuses to go without', async () => {
    expect(stack.warnings.join('\n')).toContain(`set ${ADMIN_TOKEN_ENV}`);
    const { status } = await json(`${stack.shellUrl}${BACKEND}/capacity`);
    expect(status).toBe(401);
  });

  it('offers only the admin when no non-admin token is given', async () => {
    expect((await json(`${stack.shellUrl}/shell/session`)).body).toEqual({ user: 'admin', users: ['admin'] });
  });
});

describe('--kubeconfig that the cluster does not accept', () => {
  it('names the flag and the fix when the API server refuses the credentials', async () => {
    const stale = join(dir, 'stale.kubeconfig');
    writeFileSync(stale, cp.kubeConfigForToken('not-a-token-the-cluster-knows').exportConfig());
    const error = await startLocalStack({
      platform: 'aws',
      nodes: 5,
      kubeconfig: stale,
      backendPort: 0,
      shellPort: 0,
      pluginDistDir,
      log: () => {},
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(StartUsageError);
    expect((error as Error).message).toBe(
      `--kubeconfig: the API server ${cp.server} (context "token-not-a-") refused the credentials of user "token-not-a-" (401); log in again (\`oc login\`) or pick another context`,
    );
  });
});
