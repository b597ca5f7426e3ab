// Builds prometheus and promtool from their Go module (hack/prometheus/go) once and caches them
// next to the control-plane binaries, keyed by version and the wrapper's go.sum; starts a real
// Prometheus on loopback for the alert tests. Built with the tag remove_all_sd (static targets
// only) and without the web UI's assets (the default without the tag builtinassets): the HTTP API
// is all the tests read.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, runGo } from '../controlplane/binaries.ts';
import { freePort } from '../controlplane/controlplane.ts';
import { withLock } from '../file-lock.ts';

/** Prometheus 3.10.0: the module's versions are v0.<major><minor>.<patch>. */
export const PROMETHEUS_MODULE_VERSION = 'v0.310.0';
export const PROMETHEUS_VERSION = '3.10.0';

const here = dirname(fileURLToPath(import.meta.url));
const goModuleDir = join(here, 'go');
const reaperScript = join(here, '..', 'controlplane', 'reaper.sh');

export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
  dir: string;
  /** true when this call built them, false when they came from the cache */
  built: boolean;
}

function wrapperFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum']) hash.update(readFileSync(join(goModuleDir, file)));
  return hash.digest('hex').slice(0, 12);
}

export function prometheusDir(): string {
  return join(cacheRoot(), 'prometheus', `prometheus-${PROMETHEUS_MODULE_VERSION}_${wrapperFingerprint()}`);
}

function requiredModuleVersion(): string | undefined {
  const goMod = readFileSync(join(goModuleDir, 'go.mod'), 'utf8');
  return /^\s*github\.com\/prometheus\/prometheus\s+(v\S+)/m.exec(goMod)?.[1];
}

function ldflags(): string {
  const pkg = 'github.com/prometheus/common/version';
  return ['-s', '-w', `-X ${pkg}.Version=${PROMETHEUS_VERSION}`, `-X ${pkg}.Branch=release-3.10`].join(' ');
}

/** Returns the cached prometheus and promtool, building them first when the cache has none. */
export async function ensurePrometheus(
  log: (line: string) => void = (l) => console.error(l),
): Promise<PrometheusBinaries> {
  if (requiredModuleVersion() !== PROMETHEUS_MODULE_VERSION) {
    throw new Error(
      `hack/prometheus/go/go.mod requires github.com/prometheus/prometheus ${requiredModuleVersion()} but prometheus.ts says ${PROMETHEUS_MODULE_VERSION}; make them agree`,
    );
  }
  const dir = prometheusDir();
  const result = (built: boolean): PrometheusBinaries => ({
    dir,
    built,
    prometheus: join(dir, 'prometheus'),
    promtool: join(dir, 'promtool'),
  });
  const ready = () => existsSync(join(dir, 'prometheus')) && existsSync(join(dir, 'promtool'));
  if (ready()) {
    log(`[prometheus] using cached prometheus and promtool ${PROMETHEUS_VERSION} in ${dir}`);
    return result(false);
  }
  mkdirSync(dirname(dir), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (ready()) {
      log(`[prometheus] using cached prometheus and promtool in ${dir} (built by a parallel run)`);
      return result(false);
    }
    const started = Date.now();
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    log(
      `[prometheus] building prometheus and promtool ${PROMETHEUS_VERSION} (first run only; about eight minutes on 2 cores)`,
    );
    log('[prometheus] step 1/2: downloading Go modules');
    await runGo(['mod', 'download'], goModuleDir, log);
    log('[prometheus] step 2/2: building cmd/prometheus and cmd/promtool');
    await runGo(
      [
        'build',
        '-trimpath',
        '-tags',
        'remove_all_sd',
        '-ldflags',
        ldflags(),
        '-o',
        `${staging}/`,
        'github.com/prometheus/prometheus/cmd/prometheus',
        'github.com/prometheus/prometheus/cmd/promtool',
      ],
      goModuleDir,
      log,
    );
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    log(`[prometheus] built in ${((Date.now() - started) / 1000).toFixed(1)} s, cached in ${dir}`);
    return result(true);
  });
}

export interface ToolResult {
  code: number;
  output: string;
}

/** Runs promtool; never throws on a non-zero exit (callers assert on it). */
export function runPromtool(binaries: PrometheusBinaries, args: string[], cwd?: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binaries.promtool, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

export interface RunningPrometheus {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Its log so far (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** prometheus.yml as text; rule_files may name files under `dir`. */
  config: string;
  /** Files to write next to the configuration before it starts (rules, CA certificates). */
  files?: Record<string, string>;
}

/**
 * Starts prometheus on a free loopback port with its own data directory, and resolves once it
 * answers /-/ready. It runs in a process group of its own, which stop() ends; should the test
 * process die first (even by SIGKILL), the control plane's reaper (hack/controlplane/reaper.sh)
 * ends it and removes its files.
 */
export async function startPrometheus(
  binaries: PrometheusBinaries,
  options: PrometheusOptions,
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'peerpods-prometheus-'));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, 'prometheus.yml'), options.config);
  const port = await freePort();
  const logFile = join(dir, 'prometheus.log');
  const out = openSync(logFile, 'w');
  const child: ChildProcess = spawn(
    binaries.prometheus,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { cwd: dir, detached: true, stdio: ['ignore', out, out] },
  );
  writeFileSync(join(dir, 'pgids'), `${child.pid}\n`);
  spawn('bash', [reaperScript, String(process.pid), dir], { detached: true, stdio: 'ignore' }).unref();
  const url = `http://127.0.0.1:${port}`;
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) process.kill(-child.pid!, 'SIGTERM');
    await exit;
    rmSync(dir, { recursive: true, force: true });
  };
  for (;;) {
    if (exited) throw new Error(`prometheus exited before it was ready:\n${log()}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return { url, log, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
