// The stack the end-to-end tests run against, on one machine: a real control plane with the
// fixtures the product reads, the built plugin, the backend (as hack/start.ts starts it) and the
// console shell in front of both. Used by global-setup.ts; stop() ends everything it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startControlPlane, type ControlPlane } from '../hack/controlplane/controlplane.ts';
import { createInfrastructure, createPeerPodConfig, createWorkerNodes } from '../hack/controlplane/fixtures.ts';
import { artifactsDir, pluginDistDir, repoRoot } from './paths.ts';
import { startConsoleShell, type ConsoleShell } from './shell/server.ts';

export interface E2eStack {
  shellUrl: string;
  kubeconfigPath: string;
  apiServer: string;
  backendUrl: string;
  stop(): Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the plugin when dist/ is missing or older than its sources (the rule hack/start.ts uses). */
export function buildPluginIfStale(log: (line: string) => void): void {
  const manifest = join(pluginDistDir, 'plugin-manifest.json');
  const sourcesMtime = Math.max(
    newestMtime(join(repoRoot, 'console-plugin')),
    newestMtime(join(repoRoot, 'i18n')),
    statSync(join(repoRoot, 'webpack.config.ts')).mtimeMs,
  );
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= sourcesMtime) {
    log('[e2e] plugin build is up to date');
    return;
  }
  log('[e2e] building the plugin (npm run build:plugin)');
  const build = spawnSync('npm', ['run', '-s', 'build:plugin'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`npm run build:plugin failed with exit code ${build.status}`);
  // webpack leaves an unchanged manifest untouched; mark the build as current for the next run.
  const now = new Date();
  utimesSync(manifest, now, now);
}

async function waitForHealthy(url: string, backend: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (backend.exitCode !== null) break;
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-20).join('\n') : '';
  throw new Error(
    `backend did not answer ${url} within ${timeoutMs / 1000} s${backend.exitCode !== null ? ` (exited with ${backend.exitCode})` : ''}\n--- ${logFile} ---\n${tail}`,
  );
}

export async function startE2eStack(options: { nodes?: number; log?: (line: string) => void } = {}): Promise<E2eStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  buildPluginIfStale(log);

  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const cp: ControlPlane = await startControlPlane({ log });
    cleanups.push(() => cp.stop());
    const kc = cp.kubeConfig();
    await createInfrastructure(kc, { platform: 'aws' });
    await createWorkerNodes(kc, { count: options.nodes ?? 5, platform: 'aws' });
    await createPeerPodConfig(kc, { limit: '10' });
    log(`[e2e] control plane ${cp.server}: ${options.nodes ?? 5} AWS workers, PeerPodConfig limit 10`);

    const backendPort = await freePort();
    mkdirSync(join(artifactsDir, 'logs'), { recursive: true });
    const backendLog = join(artifactsDir, 'logs', 'backend.log');
    const out = openSync(backendLog, 'w');
    const backend = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
      cwd: repoRoot,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        KUBECONFIG: cp.kubeconfigPath,
        PORT: String(backendPort),
        HOST: '127.0.0.1',
        PLUGIN_ASSETS_DIR: 'dist',
        LEADER_ELECTION: 'false',
      },
    });
    const killBackend = () => {
      if (backend.exitCode === null) backend.kill('SIGKILL');
    };
    process.on('exit', killBackend);
    cleanups.push(async () => {
      process.off('exit', killBackend);
      if (backend.exitCode !== null) return;
      const exited = new Promise<void>((r) => backend.once('exit', () => r()));
      backend.kill('SIGTERM');
      const timer = setTimeout(killBackend, 5000);
      await exited;
      clearTimeout(timer);
    });
    const backendUrl = `http://127.0.0.1:${backendPort}`;
    await waitForHealthy(`${backendUrl}/healthz`, backend, backendLog, 60_000);
    log(`[e2e] backend ${backendUrl} (log: ${backendLog})`);

    const shell: ConsoleShell = await startConsoleShell({
      apiServer: cp.server,
      caCertPem: cp.caCertPem,
      tokens: { admin: cp.adminToken, developer: cp.userToken },
      backendUrl,
      pluginDistDir,
      port: 0,
      log,
    });
    cleanups.push(() => shell.stop());
    return { shellUrl: shell.url, kubeconfigPath: cp.kubeconfigPath, apiServer: cp.server, backendUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
