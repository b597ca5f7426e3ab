// Shared by the reliability scripts: the backend as its own process (compiled to JavaScript as
// the production build emits it), a reaper that ends those processes even when the script is
// killed, and small HTTPS / TLS / metrics helpers. What a script runs against is started by
// scenario.ts.
//
// Every child process runs in its own process group, listed in a temporary directory that a
// detached reaper (hack/controlplane/reaper.sh, the control plane's own) watches: when this
// process dies, even by SIGKILL, the reaper ends the groups and removes the directory.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request as httpsRequest, Agent, type RequestOptions } from 'node:https';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { buildContractPackage } from '../../contract/build.ts';
import { createMemoryCgroup, type MemoryCgroup } from './memory-cgroup.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..', '..');

export const log = (line: string) => process.stderr.write(`[reliability] ${line}\n`);
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
export const seconds = (ms: number) => round(ms / 1000, 2);
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function machine() {
  return { cpus: cpus().length, node: process.version, loadAverage: loadavg().map((v) => round(v, 2)) };
}

/** Polls until `probe` returns something truthy; throws naming `what` after the deadline. */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? `: ${lastError}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

// ---- process groups and their reaper --------------------------------------------------------

const reaperDir = mkdtempSync(join(tmpdir(), 'peerpods-reliability-'));
const pgidFile = join(reaperDir, 'pgids');
writeFileSync(pgidFile, '');
spawn('bash', [join(repo, 'hack', 'controlplane', 'reaper.sh'), String(process.pid), reaperDir], {
  detached: true,
  stdio: 'ignore',
}).unref();
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  rmSync(reaperDir, { recursive: true, force: true });
});

/** Spawns a child in its own process group that the reaper ends if this process dies. */
export function spawnReaped(command: string, args: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid) {
    liveGroups.add(child.pid);
    appendFileSync(pgidFile, `${child.pid}\n`);
    child.once('exit', () => liveGroups.delete(child.pid!));
  }
  return child;
}

/** Removes a cgroup once its processes are gone; the kernel refuses while one is left. */
function rmSilently(cgroup: MemoryCgroup): void {
  try {
    cgroup.remove();
  } catch {
    // still busy (a process not yet reaped) or already gone: the OS cleans it at reboot
  }
}

/** A directory for one script's files (certificates, kubeconfigs); removed when the process exits. */
export function workDir(name: string): string {
  const dir = join(reaperDir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

// ---- the backend, compiled ------------------------------------------------------------------

let compiledMain: string | undefined;

/**
 * The backend runs as JavaScript in production (npm run build:backend), not through a TypeScript
 * loader; so here too. Every backend source file is transpiled as tsc emits it into
 * node_modules/.cache (where package imports resolve), once per script run, and the contract
 * package is compiled beside it as the build does: Node finds it there before any other copy.
 */
export function compileBackend(): string {
  if (compiledMain) return compiledMain;
  const out = join(repo, 'node_modules', '.cache', `peer-pods-bench-reliability-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'test' ? [] : walk(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
    });
  for (const file of walk(join(repo, 'backend', 'src'))) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2023,
        rewriteRelativeImportExtensions: true,
      },
    });
    const target = join(out, relative(repo, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
  buildContractPackage(join(out, 'node_modules', '@peer-pods-console', 'contract'));
  process.on('exit', () => rmSync(out, { recursive: true, force: true }));
  compiledMain = join(out, 'backend', 'src', 'main.js');
  return compiledMain;
}

export interface BackendProcess {
  name: string;
  pid: number;
  /** https://127.0.0.1:<port>/ */
  url: string;
  /** https://127.0.0.1:<port> when the webhook is on */
  webhookUrl?: string;
  /** https://127.0.0.1:<port>: the health port, /healthz, /readyz and /metrics */
  metricsUrl: string;
  /** The last log lines (pino JSON), for diagnosis. */
  tail(): string[];
  /** Log lines containing any of the `forbidden` strings given at start (secrets, tokens). */
  leakedLines: string[];
  /** Log lines at level error or fatal. */
  errorLines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  rssMb(): number;
  /** The process's argv as the kernel has it (after start.sh's exec: node and its flags). */
  commandLine(): string[];
  /** Set when started with memoryLimitMb. */
  memoryCgroup?: MemoryCgroup;
  openFds(): number;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then waits for the exit (SIGKILL after 30 s). */
  stop(): Promise<void>;
}

export interface BackendOptions {
  name: string;
  /** Backend settings (environment variables); HOST and the kubeconfig are filled in. */
  env: Record<string, string>;
  kubeconfigPath: string;
  /** Strings that must never appear in a log line (tokens, cloud secrets). */
  forbidden?: string[];
  /** Resolve once the backend's log has this message (default: "backend listening"). */
  readyMessage?: string;
  /**
   * Run the backend as the image does under `resources.limits.memory`: in a memory cgroup with
   * this limit, started through backend/bin/start.sh (which sizes the heap from that limit).
   */
  memoryLimitMb?: number;
}

/** Starts `node backend/src/main.js` (compiled) and waits until it listens. */
export async function startBackendProcess(options: BackendOptions): Promise<BackendProcess> {
  const main = compileBackend();
  // Diagnosis: extra V8 flags for the backend, e.g. --max-old-space-size=160 to tell garbage from a leak.
  const nodeFlags = (process.env.RELIABILITY_BACKEND_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    HOST: '127.0.0.1',
    KUBECONFIG: options.kubeconfigPath,
    PLUGIN_ASSETS_DIR: '',
    ...options.env,
  };
  let memoryCgroup: MemoryCgroup | undefined;
  let child: ChildProcess;
  if (options.memoryLimitMb) {
    memoryCgroup = createMemoryCgroup(`ppc-${options.name}`, options.memoryLimitMb);
    // start.sh execs `$NODE backend/dist/main.js`: a directory whose backend/dist is the compiled backend.
    const image = workDir(`image-${options.name}`);
    mkdirSync(join(image, 'backend'), { recursive: true });
    symlinkSync(dirname(main), join(image, 'backend', 'dist'));
    // The shell joins the cgroup, then execs start.sh, which execs node: one pid throughout.
    child = spawnReaped(
      '/bin/sh',
      [
        '-c',
        'echo $$ > "$1/cgroup.procs" && exec /bin/sh "$2"',
        'sh',
        memoryCgroup.dir,
        join(repo, 'backend', 'bin', 'start.sh'),
      ],
      {
        cwd: image,
        env: { ...env, NODE: process.execPath, CGROUP_ROOT: memoryCgroup.startShRoot },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const cgroup = memoryCgroup;
    child.once('exit', () => setTimeout(() => rmSilently(cgroup), 500));
  } else {
    child = spawnReaped(process.execPath, [...nodeFlags, main], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  const tail: string[] = [];
  const leakedLines: string[] = [];
  const errorLines: string[] = [];
  const forbidden = (options.forbidden ?? []).filter(Boolean);
  let url = '';
  let webhookUrl: string | undefined;
  let metricsUrl = '';
  let onListening: (() => void) | undefined;
  let partial = '';
  const onLine = (line: string) => {
    if (!line) return;
    tail.push(line);
    if (tail.length > 200) tail.shift();
    if (forbidden.some((secret) => line.includes(secret))) leakedLines.push(line);
    if (/"level":"(error|fatal)"/.test(line)) errorLines.push(line.slice(0, 600));
    if (!url && line.includes('"backend listening"')) {
      const parsed = JSON.parse(line) as { url: string; webhook?: string; metrics: string };
      url = parsed.url;
      webhookUrl = parsed.webhook && parsed.webhook !== 'off' ? parsed.webhook : undefined;
      metricsUrl = parsed.metrics;
      onListening?.();
    }
  };
  const read = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(onLine);
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // The start-up deadline's timer is cleared once decided, so a short script ends when it is done.
  let startTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    new Promise<void>((resolve) => (onListening = resolve)),
    exited.then(({ code, signal }) => {
      throw new Error(`backend ${options.name} exited (${code ?? signal}) before listening:\n${tail.join('\n')}`);
    }),
    new Promise<never>((_resolve, reject) => {
      startTimer = setTimeout(
        () => reject(new Error(`backend ${options.name} did not listen within 60 s:\n${tail.join('\n')}`)),
        60_000,
      );
    }),
  ]).finally(() => clearTimeout(startTimer));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const pid = child.pid!;
  return {
    name: options.name,
    pid,
    url,
    webhookUrl,
    metricsUrl,
    tail: () => [...tail],
    leakedLines,
    errorLines,
    exited,
    alive,
    rssMb: () => procRssMb(pid),
    commandLine: () => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean),
    memoryCgroup,
    openFds: () => readdirSync(`/proc/${pid}/fd`).length,
    kill: (signal) => {
      if (alive()) process.kill(pid, signal);
    },
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function procRssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return round(Number(match?.[1] ?? 0) / 1024);
}

// ---- HTTPS ----------------------------------------------------------------------------------

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  ca: string;
  agent?: Agent;
  timeoutMs?: number;
}

export function https(url: string, options: HttpOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        agent: options.agent,
      } satisfies RequestOptions,
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.setTimeout(options.timeoutMs ?? 120_000, () => req.destroy(new Error('no answer in time')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Calls the backend's API as a bearer-token user; JSON in and out. */
export async function api(
  backend: { url: string },
  ca: string,
  token: string,
  path: string,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpAnswer & { json: <T>() => T }> {
  const answer = await https(`${backend.url}api/v1${path}`, {
    ca,
    method: init.method,
    timeoutMs: init.timeoutMs,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { ...answer, json: <T>() => JSON.parse(answer.body) as T };
}

/** Prometheus text → sum of the samples of `name` whose labels include `labels`. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    const close = rest.lastIndexOf('}');
    const labelText = rest[0] === '{' ? rest.slice(1, close) : '';
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).some(([k, v]) => found[k] !== v)) continue;
    total += Number(rest.slice(close + 1).trim());
  }
  return total;
}

/** The backend's /metrics, from its health port (the API and webhook ports do not serve it). */
export async function backendMetrics(backend: { metricsUrl: string }, ca: string): Promise<string> {
  const answer = await https(`${backend.metricsUrl}/metrics`, { ca });
  if (answer.status !== 200) throw new Error(`GET /metrics answered ${answer.status}`);
  return answer.body;
}

/** The process figures prom-client's default metrics carry (heap, handles, fds), in MB and counts. */
export function processFigures(metricsText: string) {
  const mb = (name: string) => round(metricValue(metricsText, name) / 1048576);
  return {
    rssMb: mb('process_resident_memory_bytes'),
    heapUsedMb: mb('nodejs_heap_size_used_bytes'),
    heapTotalMb: mb('nodejs_heap_size_total_bytes'),
    externalMb: mb('nodejs_external_memory_bytes'),
    activeHandles: metricValue(metricsText, 'nodejs_active_handles_total'),
    activeResources: metricValue(metricsText, 'nodejs_active_resources_total'),
    openFds: metricValue(metricsText, 'process_open_fds'),
  };
}

/** The fingerprint of the certificate a TLS server presents now. */
export async function servedFingerprint(url: string, ca: string): Promise<string> {
  const { connect } = await import('node:tls');
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port), ca, servername: undefined }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? '';
      socket.destroy();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

/** Percentiles of a list of numbers. */
export function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0;
  return { count: sorted.length, p50: round(at(0.5), 2), p99: round(at(0.99), 2), max: round(at(1), 2) };
}
