// Builds the helm CLI from its Go module (hack/helm/go) once and caches it next to the
// control-plane binaries, keyed by Helm version and the wrapper's go.sum, so that tests and CI
// on the same machine reuse it. Also a small typed runner for the chart tests.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from '../controlplane/binaries.ts';
import { withLock } from '../file-lock.ts';

export const HELM_VERSION = 'v3.19.5';
/** Kubernetes release of the client libraries Helm is built with (k8s.io/client-go v0.34). */
const HELM_K8S_MAJOR = '1';
const HELM_K8S_MINOR = '34';

const goModuleDir = join(dirname(fileURLToPath(import.meta.url)), 'go');

export interface HelmBinary {
  path: string;
  version: string;
  /** true when this call built it, false when it came from the cache */
  built: boolean;
}

function wrapperFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum']) hash.update(readFileSync(join(goModuleDir, file)));
  return hash.digest('hex').slice(0, 12);
}

export function helmDir(): string {
  return join(cacheRoot(), 'helm', `helm-${HELM_VERSION}_${wrapperFingerprint()}`);
}

function requiredHelmVersion(): string {
  const goMod = readFileSync(join(goModuleDir, 'go.mod'), 'utf8');
  const match = /^\s*helm\.sh\/helm\/v3\s+(v\S+)/m.exec(goMod);
  if (!match) throw new Error(`${join(goModuleDir, 'go.mod')} does not require helm.sh/helm/v3`);
  return match[1]!;
}

function ldflags(): string {
  return [
    '-s',
    '-w',
    `-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`,
    '-X helm.sh/helm/v3/internal/version.gitTreeState=clean',
    // what `helm template` and `helm lint` assume as the cluster version without a cluster
    `-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=${HELM_K8S_MAJOR}`,
    `-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${HELM_K8S_MINOR}`,
    `-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=${HELM_K8S_MAJOR}`,
    `-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=${HELM_K8S_MINOR}`,
  ].join(' ');
}

function runGo(args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    log(`go ${args.join(' ')}  (in ${goModuleDir})`);
    const child = spawn('go', args, {
      cwd: goModuleDir,
      env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (err) =>
      reject(new Error(`cannot run go (${err.message}): install Go 1.24 or newer to build helm`)),
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`go ${args[0]} failed with exit code ${code}`)),
    );
  });
}

/** Returns the cached helm binary, building it first when the cache has none. */
export async function ensureHelm(log: (line: string) => void = (l) => console.error(l)): Promise<HelmBinary> {
  if (requiredHelmVersion() !== HELM_VERSION) {
    throw new Error(
      `hack/helm/go/go.mod requires helm ${requiredHelmVersion()} but helm.ts says ${HELM_VERSION}; make them agree`,
    );
  }
  const dir = helmDir();
  const binary = join(dir, 'helm');
  const result = (built: boolean): HelmBinary => ({ path: binary, version: HELM_VERSION, built });
  if (existsSync(binary)) {
    log(`[helm] using cached helm ${HELM_VERSION} in ${dir}`);
    return result(false);
  }
  mkdirSync(dirname(dir), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (existsSync(binary)) {
      log(`[helm] using cached helm ${HELM_VERSION} in ${dir} (built by a parallel run)`);
      return result(false);
    }
    const started = Date.now();
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    log(`[helm] building helm ${HELM_VERSION} from its Go module (first run only; about three minutes on 2 cores)`);
    log('[helm] step 1/2: downloading Go modules');
    await runGo(['mod', 'download'], log);
    log('[helm] step 2/2: building helm.sh/helm/v3/cmd/helm');
    await runGo(
      ['build', '-trimpath', '-ldflags', ldflags(), '-o', join(staging, 'helm'), 'helm.sh/helm/v3/cmd/helm'],
      log,
    );
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    log(`[helm] built in ${((Date.now() - started) / 1000).toFixed(1)} s, cached in ${dir}`);
    return result(true);
  });
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs helm with a private HOME-like environment (config, cache and data under `stateDir`), so
 * that tests never read or write the user's repositories or plugins. Never throws on a non-zero
 * exit: callers assert on the result.
 */
export function runHelm(
  helm: HelmBinary,
  args: string[],
  options: { stateDir: string; cwd?: string; kubeconfig?: string },
): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: options.stateDir,
      HELM_CONFIG_HOME: join(options.stateDir, 'config'),
      HELM_CACHE_HOME: join(options.stateDir, 'cache'),
      HELM_DATA_HOME: join(options.stateDir, 'data'),
      // no cluster unless one is named: `helm template` and `helm lint` never need one
      KUBECONFIG: options.kubeconfig ?? join(options.stateDir, 'no-cluster.kubeconfig'),
    };
    const child = spawn(helm.path, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
