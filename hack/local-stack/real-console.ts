// The real OpenShift web console (bridge + frontend) beside the stand-in shell, from the builds
// in ../shared/real-console/ (present on the project's own machines only; see its README).
// One bridge per signed-in user: with --user-auth=disabled, bridge signs every browser in as the
// token it was started with. The plugin is loaded from the backend's manifest, the backend is
// reached through bridge's plugin proxy with `authorize: true`, and --release-version makes the
// console check the plugin's `@console/pluginAPI` range as a cluster of that version would.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, rmSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheRoot } from '../controlplane/binaries.ts';
import { withLock } from '../file-lock.ts';
import { freePort } from '../controlplane/controlplane.ts';
import { repoRoot } from './plugin-build.ts';

/** The console versions ../shared/real-console/ holds, oldest first. */
export const REAL_CONSOLE_VERSIONS = ['4.20', '4.22'] as const;
export type RealConsoleVersion = (typeof REAL_CONSOLE_VERSIONS)[number];

/** Where the archives are: PEERPODS_REAL_CONSOLE_DIR, else ../shared/real-console beside the checkout. */
export function realConsoleDir(): string {
  return process.env.PEERPODS_REAL_CONSOLE_DIR ?? resolve(repoRoot, '..', 'shared', 'real-console');
}

const archiveOf = (version: RealConsoleVersion) => join(realConsoleDir(), `console-${version}.tar.zst`);

/** The versions whose archive is here; empty on a machine without ../shared/. */
export function availableRealConsoles(): RealConsoleVersion[] {
  return REAL_CONSOLE_VERSIONS.filter((version) => existsSync(archiveOf(version)));
}

/** One line for a skipped lane: why there is no real console here. */
export function realConsoleAbsence(): string {
  return `${realConsoleDir()} has no console-<version>.tar.zst (the real consoles ship only beside the project's own checkouts), so the real-console lane does not run here`;
}

/**
 * The unpacked build of one version, cached by the archive's content hash under the project's
 * cache folder: the first call takes about 10 s, later ones return at once.
 */
export async function unpackRealConsole(version: RealConsoleVersion): Promise<string> {
  const archive = archiveOf(version);
  const hash = createHash('sha256').update(readFileSync(archive)).digest('hex').slice(0, 12);
  const root = join(cacheRoot(), 'real-console');
  const dir = join(root, `console-${version}_${hash}`);
  const ready = join(dir, `console-${version}`, 'bin', 'bridge');
  if (existsSync(ready)) return join(dir, `console-${version}`);
  mkdirSync(root, { recursive: true });
  return withLock(join(root, `.console-${version}.lock`), async () => {
    if (existsSync(ready)) return join(dir, `console-${version}`);
    const partial = `${dir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const untar = spawnSync('tar', ['--zstd', '-xf', archive, '-C', partial], { encoding: 'utf8' });
    if (untar.status !== 0) {
      throw new Error(`unpacking ${archive} failed (tar --zstd; is zstd installed?): ${untar.stderr.trim()}`);
    }
    renameSync(partial, dir);
    // Earlier unpacks of other archives of this version are no longer used.
    for (const entry of readdirSync(root)) {
      if (entry.startsWith(`console-${version}_`) && entry !== `console-${version}_${hash}`) {
        rmSync(join(root, entry), { recursive: true, force: true });
      }
    }
    return join(dir, `console-${version}`);
  });
}

export interface BridgeOptions {
  version: RealConsoleVersion;
  /** The API server's URL (its certificate is not verified: it is the local control plane's). */
  apiServer: string;
  /** The bearer token every browser of this bridge is signed in with. */
  token: string;
  /** The backend that serves the plugin's manifest and assets and answers the plugin proxy. */
  backendUrl: string;
  pluginName: string;
  /** What the console compares with the plugin's `@console/pluginAPI` range; default `<version>.0`. */
  releaseVersion?: string;
  /** Where bridge's output goes. */
  logFile: string;
  /**
   * The loopback address to listen on. Browsers keep cookies per host name, not per port, and a
   * bridge refuses another bridge's session cookie: each bridge gets its own 127.0.0.x.
   */
  host?: string;
}

export interface Bridge {
  url: string;
  version: RealConsoleVersion;
  stop(): Promise<void>;
}

/** Starts one bridge on a free loopback port and waits until it answers /health. */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const consoleDir = await unpackRealConsole(options.version);
  const port = await freePort();
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const backend = options.backendUrl.replace(/\/$/, '');
  const args = [
    `--listen=${url}`,
    `--public-dir=${join(consoleDir, 'frontend', 'public', 'dist')}`,
    '--k8s-mode=off-cluster',
    `--k8s-mode-off-cluster-endpoint=${options.apiServer}`,
    '--k8s-mode-off-cluster-skip-verify-tls=true',
    '--user-auth=disabled',
    `--k8s-auth-bearer-token=${options.token}`,
    '--user-settings-location=localstorage',
    `--release-version=${options.releaseVersion ?? `${options.version}.0`}`,
    `--plugins=${options.pluginName}=${backend}/`,
    `--plugin-proxy=${JSON.stringify({
      services: [
        {
          consoleAPIPath: `/api/proxy/plugin/${options.pluginName}/backend/`,
          endpoint: backend,
          authorize: true,
        },
      ],
    })}`,
    `--i18n-namespaces=plugin__${options.pluginName}`,
  ];
  const out = openSync(options.logFile, 'w');
  // bridge reads pkg/graphql/schema.graphql relative to its working directory.
  const child = spawn(join(consoleDir, 'bin', 'bridge'), args, {
    cwd: consoleDir,
    stdio: ['ignore', out, out],
    detached: false,
  });
  closeSync(out);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', kill);
  const stop = async () => {
    process.off('exit', kill);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(kill, 5_000);
    await exited;
    clearTimeout(timer);
  };
  // A bridge that neither answers nor exits within a minute is stuck, not slow.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `bridge ${options.version} did not answer ${url}/health within 60 s; its output is in ${options.logFile}`,
      );
    }
    if (child.exitCode !== null) {
      throw new Error(
        `bridge ${options.version} exited with code ${child.exitCode}; its output is in ${options.logFile}`,
      );
    }
    const up = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, version: options.version, stop };
}
