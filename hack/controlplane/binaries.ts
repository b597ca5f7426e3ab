// Builds etcd, kube-apiserver and kube-scheduler from their Go modules once, and caches them
// outside the repository keyed by version and by the wrapper modules' go.sum, so that later
// runs (and CI on the same machine) start without building.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLock } from '../file-lock.ts';

export const KUBERNETES_VERSION = 'v1.34.4';
export const ETCD_VERSION = 'v3.6.4';

const goModulesDir = join(dirname(fileURLToPath(import.meta.url)), 'go');

export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeScheduler: string;
  dir: string;
  /** true when this call built them, false when they came from the cache */
  built: boolean;
}

export function cacheRoot(): string {
  if (process.env.PEERPODS_CACHE_DIR) return process.env.PEERPODS_CACHE_DIR;
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'peer-pods-console');
}

function wrapperFingerprint(): string {
  const hash = createHash('sha256');
  for (const module of ['kubernetes', 'etcd']) {
    for (const file of ['go.mod', 'go.sum']) {
      hash.update(readFileSync(join(goModulesDir, module, file)));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

export function binariesDir(): string {
  return join(cacheRoot(), 'controlplane', `k8s-${KUBERNETES_VERSION}_etcd-${ETCD_VERSION}_${wrapperFingerprint()}`);
}

function paths(dir: string, built: boolean): ControlPlaneBinaries {
  return {
    dir,
    built,
    etcd: join(dir, 'etcd'),
    kubeApiserver: join(dir, 'kube-apiserver'),
    kubeScheduler: join(dir, 'kube-scheduler'),
  };
}

function versionLdflags(): string {
  const [major, minor] = KUBERNETES_VERSION.slice(1).split('.');
  const flags: string[] = ['-s', '-w'];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    flags.push(
      `-X ${pkg}.gitVersion=${KUBERNETES_VERSION}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
    );
  }
  return flags.join(' ');
}

/** Runs the go command as every cached build here does: local toolchain, no cgo, no VCS stamping. */
export function runGo(args: string[], cwd: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    log(`go ${args.join(' ')}  (in ${cwd})`);
    const child = spawn('go', args, {
      cwd,
      env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (err) =>
      reject(new Error(`cannot run go (${err.message}): install Go 1.25 or newer to build the test tools`)),
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`go ${args[0]} failed with exit code ${code}`)),
    );
  });
}

export async function ensureBinaries(
  log: (line: string) => void = (l) => console.error(l),
): Promise<ControlPlaneBinaries> {
  const dir = binariesDir();
  const ready = () =>
    existsSync(join(dir, 'etcd')) && existsSync(join(dir, 'kube-apiserver')) && existsSync(join(dir, 'kube-scheduler'));
  if (ready()) {
    log(`[controlplane] using cached binaries in ${dir}`);
    return paths(dir, false);
  }
  mkdirSync(dirname(dir), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (ready()) {
      log(`[controlplane] using cached binaries in ${dir} (built by a parallel run)`);
      return paths(dir, false);
    }
    const started = Date.now();
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    log(
      `[controlplane] building etcd ${ETCD_VERSION} and Kubernetes ${KUBERNETES_VERSION} (first run only; a few minutes on 2 cores)`,
    );
    log('[controlplane] step 1/3: downloading Go modules');
    await runGo(['mod', 'download'], join(goModulesDir, 'etcd'), log);
    await runGo(['mod', 'download'], join(goModulesDir, 'kubernetes'), log);
    log('[controlplane] step 2/3: building etcd');
    await runGo(
      ['build', '-trimpath', '-ldflags', '-s -w', '-o', join(staging, 'etcd'), 'go.etcd.io/etcd/server/v3'],
      join(goModulesDir, 'etcd'),
      log,
    );
    log('[controlplane] step 3/3: building kube-apiserver and kube-scheduler');
    await runGo(
      [
        'build',
        '-trimpath',
        '-ldflags',
        versionLdflags(),
        '-o',
        `${staging}/`,
        'k8s.io/kubernetes/cmd/kube-apiserver',
        'k8s.io/kubernetes/cmd/kube-scheduler',
      ],
      join(goModulesDir, 'kubernetes'),
      log,
    );
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    log(`[controlplane] built in ${((Date.now() - started) / 1000).toFixed(1)} s, cached in ${dir}`);
    return paths(dir, true);
  });
}
