// The README's start command (`hack/run start`): the whole product locally on an embedded
// default — a real control plane with fake worker nodes, the OpenShift objects the product
// reads, the built plugin, and the backend serving it. Stops everything on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
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
await createInfrastructure(kc, { platform });
await createWorkerNodes(kc, { count: nodeCount, platform });
await createPeerPodConfig(kc, { limit: '10' });
console.log(
  `[start] ${nodeCount} ${platform.toUpperCase()} worker nodes, PeerPodConfig ${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME} (limit 10)`,
);

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
  },
});

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
  console.log('\n[start] stopping console shell, backend and control plane');
  await shell.stop();
  backend.kill('SIGTERM');
  await cp.stop();
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

Try: KUBECONFIG=${cp.kubeconfigPath} kubectl get nodes -o wide   (if kubectl is installed)
Press Ctrl-C to stop everything.
`);
