// The README's start command (`hack/run start`): the whole product locally on an embedded
// default — a real control plane with fake worker nodes, the OpenShift objects the product
// reads, the built plugin, and the backend serving it. Stops everything on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startControlPlane } from './controlplane/controlplane.ts';
import {
  createInfrastructure,
  createPeerPodConfig,
  createWorkerNodes,
  OPERATOR_NAMESPACE,
  PEERPODCONFIG_NAME,
  type Platform,
} from './controlplane/fixtures.ts';
import { freePort } from './controlplane/controlplane.ts';
import { startConsoleShell } from '../e2e/shell/server.ts';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { AdmissionregistrationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { renderWebhookConfiguration } from '../backend/src/webhook/webhook-configuration.ts';
import { startMotoServer, type MotoServer } from '../backend/test/moto.ts';
import {
  createAwsPeerPodsSettings,
  createWorkerNetwork,
  launchPodVms,
  motoClient,
  motoCredentials,
  MOTO_IMAGE_ID,
  MOTO_REGION,
} from '../backend/test/moto-seed.ts';
import { issueCertificate } from './pki.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    platform: { type: 'string', default: 'aws' },
    nodes: { type: 'string', default: '5' },
    port: { type: 'string', default: '9001' },
    'shell-port': { type: 'string', default: '9000' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('usage: hack/run start [--platform aws|azure] [--nodes N] [--port BACKEND_PORT] [--shell-port PORT]');
  process.exit(0);
}
const platform = values.platform as Platform;
if (platform !== 'aws' && platform !== 'azure') {
  console.error(`--platform: "${values.platform}" is not supported; use aws or azure`);
  process.exit(2);
}
const nodeCount = Number(values.nodes);
if (!Number.isInteger(nodeCount) || nodeCount < 0 || nodeCount > 5000) {
  console.error(`--nodes: "${values.nodes}" is not accepted; use a whole number from 0 to 5000`);
  process.exit(2);
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const manifest = join('dist', 'plugin-manifest.json');
const pluginSourcesChanged =
  !existsSync(manifest) ||
  Math.max(newestMtime('console-plugin'), newestMtime('i18n'), statSync('webpack.config.ts').mtimeMs) >
    statSync(manifest).mtimeMs;
if (pluginSourcesChanged) {
  console.log('[start] building the plugin (npm run build:plugin)');
  const build = spawnSync('npm', ['run', '-s', 'build:plugin'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // webpack leaves an unchanged manifest untouched; mark the build as current.
  const now = new Date();
  utimesSync(manifest, now, now);
} else {
  console.log('[start] plugin build is up to date');
}

const cp = await startControlPlane({ log: (line) => console.log(line) });
const kc = cp.kubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const stateDir = mkdtempSync(join(tmpdir(), 'peerpods-start-'));

// The simulated cloud (AWS): a real EC2 API endpoint (moto) holding one instance per worker node
// in the workers' security group, and one peer-pod VM that no pod claims (an orphan).
let cloud: { moto: MotoServer; env: Record<string, string>; summary: string } | undefined;
let providerIds: string[] | undefined;
if (platform === 'aws') {
  const moto = await startMotoServer();
  const credentials = motoCredentials('local-demo');
  const ec2 = motoClient(moto.endpoint, credentials);
  const network = await createWorkerNetwork(ec2);
  providerIds = [network.workerProviderId];
  if (nodeCount > 1) {
    const more = await ec2.send(
      new RunInstancesCommand({
        ImageId: MOTO_IMAGE_ID,
        MinCount: nodeCount - 1,
        MaxCount: nodeCount - 1,
        InstanceType: 'm6i.xlarge',
        SubnetId: network.subnetId,
        SecurityGroupIds: [network.workerGroupId],
      }),
    );
    for (const instance of more.Instances ?? []) providerIds.push(`aws:///${MOTO_REGION}a/${instance.InstanceId}`);
  }
  await launchPodVms(ec2, { names: ['podvm-forgotten-job-0badc0de'], subnetId: network.subnetId });
  await createAwsPeerPodsSettings(core, OPERATOR_NAMESPACE, network, credentials, { PEERPODS_LIMIT_PER_NODE: '10' });
  cloud = {
    moto,
    env: { AWS_ENDPOINT_URL: moto.endpoint, ORPHAN_GRACE_SECONDS: '60' },
    summary: `moto EC2 ${moto.endpoint}: ${nodeCount} worker instances in ${network.workerGroupId}, 1 orphan VM`,
  };
} else {
  console.log(
    '[start] --platform azure: no simulated Azure cloud in the local stack yet (VM and port pages will say so)',
  );
}
await createInfrastructure(kc, { platform, region: platform === 'aws' ? MOTO_REGION : undefined });
await createWorkerNodes(kc, { count: nodeCount, platform, providerIds });
await createPeerPodConfig(kc, { limit: '10' });
console.log(
  `[start] ${nodeCount} ${platform.toUpperCase()} worker nodes, PeerPodConfig ${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME} (limit 10)`,
);

// The backend serves the webhook with a certificate from the cluster's CA, and the API server
// calls it for peer pods, as the chart's MutatingWebhookConfiguration makes it do on OpenShift.
const serving = await issueCertificate(cp.ca, {
  commonName: 'peer-pods-webhook',
  ipAddresses: ['127.0.0.1'],
  usage: 'server',
});
writeFileSync(join(stateDir, 'webhook.crt'), serving.certPem);
writeFileSync(join(stateDir, 'webhook.key'), serving.keyPem, { mode: 0o600 });
const webhookPort = await freePort();

const backendPort = Number(values.port) || (await freePort());
const backend = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    KUBECONFIG: cp.kubeconfigPath,
    PORT: String(backendPort),
    HOST: '127.0.0.1',
    PLUGIN_ASSETS_DIR: 'dist',
    LEADER_ELECTION: 'false',
    WEBHOOK_PORT: String(webhookPort),
    WEBHOOK_CERT_FILE: join(stateDir, 'webhook.crt'),
    WEBHOOK_KEY_FILE: join(stateDir, 'webhook.key'),
    ...cloud?.env,
  },
});
await waitForHttp(`http://127.0.0.1:${backendPort}/readyz`, 60_000);
await kc.makeApiClient(AdmissionregistrationV1Api).createMutatingWebhookConfiguration({
  body: renderWebhookConfiguration({
    target: { url: `https://127.0.0.1:${webhookPort}` },
    caBundlePem: cp.caCertPem,
  }),
});
// A few peer pods, created as a user would: the webhook mutates them, the scheduler places them.
for (const name of ['web-frontend', 'batch-worker', 'ml-inference']) {
  await core.createNamespacedPod({
    namespace: 'default',
    body: {
      metadata: { name },
      spec: {
        runtimeClassName: 'kata-remote',
        containers: [
          {
            name: 'app',
            image: 'registry.access.redhat.com/ubi9/ubi-minimal',
            resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
          },
        ],
      },
    },
  });
}
console.log(
  `[start] webhook registered (https://127.0.0.1:${webhookPort}/mutate-v1-pod); 3 peer pods created in default`,
);

const shell = await startConsoleShell({
  apiServer: cp.server,
  caCertPem: cp.caCertPem,
  tokens: { admin: cp.adminToken, developer: cp.userToken },
  backendUrl: `http://127.0.0.1:${backendPort}`,
  pluginDistDir: 'dist',
  port: Number(values['shell-port']) || 0,
  log: (line) => console.log(line),
});

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  const step = async (what: string, work: () => Promise<unknown> | unknown) => {
    const started = Date.now();
    await work();
    console.log(`[start] stopped ${what} (${Date.now() - started} ms)`);
  };
  console.log('\n[start] stopping console shell, backend, simulated cloud and control plane');
  await step('console shell', () => shell.stop());
  await step('backend', () =>
    backend.exitCode === null ? new Promise((r) => (backend.once('exit', r), backend.kill('SIGTERM'))) : undefined,
  );
  await step('simulated cloud', () => cloud?.moto.stop());
  await step('control plane', () => cp.stop());
  rmSync(stateDir, { recursive: true, force: true });
  process.exit(code);
}
backend.on('exit', (code) => {
  if (!stopping) {
    console.error(`[start] backend exited with code ${code}`);
    void shutdown(1);
  }
});
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

console.log(`
Peer Pods Console — local stack is running
  console shell           ${shell.url}/peer-pods   (switch user admin / developer and language in the masthead)
  Kubernetes API server   ${cp.server}
  admin kubeconfig        ${cp.kubeconfigPath}
  admin bearer token      (in ${join(cp.dir, 'tokens.csv')})
  backend                 http://127.0.0.1:${backendPort}/healthz
  plugin manifest         http://127.0.0.1:${backendPort}/plugin-manifest.json
  simulated cloud         ${cloud?.summary ?? 'none'}

Try: KUBECONFIG=${cp.kubeconfigPath} kubectl get nodes -o wide   (if kubectl is installed)
Press Ctrl-C to stop everything.
`);
