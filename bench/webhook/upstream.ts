// The upstream Go webhook (cloud-api-adaptor src/webhook, controller-runtime) as a side-by-side
// reference, run as ../shared/reference-webhook/README.md says. It is not part of the project:
// when that directory is missing, referenceBinary() says why and the benchmark goes on without it.
//
// The binary ships zstd-compressed; it is decompressed once into ~/.cache/peer-pods-console/ (keyed
// by the archive's hash) with the zstd CLI, else Node's zlib.zstdDecompressSync (Node 22.15+).
// It logs three lines per admission to stderr: they go to a file in the run's temporary directory,
// not a pipe, so that a reader on the other end of a pipe never slows it down.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REFERENCE_DIR = join(REPO_ROOT, '..', 'shared', 'reference-webhook');
const ARCHIVE = join(REFERENCE_DIR, 'caa-webhook.zst');
const CACHE_DIR = join(homedir(), '.cache', 'peer-pods-console', 'reference-webhook');

export type ReferenceBinary = { path: string; decompressedWith: string } | { skipped: string };

/** The decompressed upstream webhook, from the cache or made now; or why there is none. */
export function referenceBinary(): ReferenceBinary {
  if (!existsSync(ARCHIVE))
    return { skipped: `${ARCHIVE} is not there, so there is no upstream webhook to compare with` };
  const archive = readFileSync(ARCHIVE);
  const digest = createHash('sha256').update(archive).digest('hex').slice(0, 16);
  const path = join(CACHE_DIR, digest, 'caa-webhook');
  if (existsSync(path)) return { path, decompressedWith: 'cached' };
  mkdirSync(join(CACHE_DIR, digest), { recursive: true });
  const partial = `${path}.partial`;
  const decompressedWith = decompress(archive, partial);
  renameSync(partial, path);
  return { path, decompressedWith };
}

function decompress(archive: Buffer, to: string): string {
  const cli = spawnSync('zstd', ['-dqf', ARCHIVE, '-o', to], { stdio: 'ignore' });
  if (cli.status === 0) {
    chmodSync(to, 0o755);
    return 'zstd CLI';
  }
  // Experimental, from Node.js 22.15; the project's Node.js 22 has it.
  if (typeof zlib.zstdDecompressSync !== 'function') {
    throw new Error(`cannot decompress ${ARCHIVE}: no zstd on PATH and this Node.js has no zlib.zstdDecompressSync`);
  }
  writeFileSync(to, zlib.zstdDecompressSync(archive), { mode: 0o755 });
  return 'node:zlib zstdDecompressSync';
}

export interface UpstreamWebhook {
  port: number;
  pid: number;
  /** the process's CPU time so far (all threads, user + system), in µs; clock-tick resolution */
  cpuMicros(): number;
  /** where its stderr goes */
  stderrFile: string;
  /** its answer to the review it was started with */
  sampleAnswer: string;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** POSTs `review` once; resolves with the status code, rejects on a connection error. */
function post(port: number, review: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/mutate-v1-pod?timeout=10s',
        method: 'POST',
        rejectUnauthorized: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(review);
  });
}

/**
 * Starts the upstream webhook with the bench's serving certificate, in `dir` (its TMPDIR), and
 * waits until it answers `review` with a patch.
 */
export async function startUpstreamWebhook(options: {
  binary: string;
  dir: string;
  certPem: string;
  keyPem: string;
  review: string;
}): Promise<UpstreamWebhook> {
  const certDir = join(options.dir, 'k8s-webhook-server', 'serving-certs');
  mkdirSync(certDir, { recursive: true });
  writeFileSync(join(certDir, 'tls.crt'), options.certPem);
  writeFileSync(join(certDir, 'tls.key'), options.keyPem);
  // It needs a kubeconfig to start; with metrics and probes off it never contacts the server.
  const kubeconfig = join(options.dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: none, cluster: {server: "https://127.0.0.1:1"}}]',
      'contexts: [{name: none, context: {cluster: none, user: none}}]',
      'current-context: none',
      'users: [{name: none, user: {token: none}}]',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const stderrFile = join(options.dir, 'caa-webhook.stderr');
  const stderr = openSync(stderrFile, 'w');
  const child: ChildProcess = spawn(options.binary, ['--metrics-bind-address=0', '--health-probe-bind-address=0'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TMPDIR: options.dir,
      WEBHOOK_PORT: String(port),
      KUBECONFIG: kubeconfig,
      TARGET_RUNTIMECLASS: 'kata-remote',
    },
    stdio: ['ignore', stderr, stderr],
  });
  closeSync(stderr);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  const log = () => readFileSync(stderrFile, 'utf8').split('\n').slice(-5).join('\n');

  // Ready when it answers; then the answer must carry a patch.
  const deadline = Date.now() + 15_000;
  let answer: { status: number; body: string } | undefined;
  while (answer === undefined) {
    if (exited) throw new Error(`the upstream webhook ${exited}:\n${log()}`);
    if (Date.now() > deadline) throw new Error(`the upstream webhook did not answer in 15 s:\n${log()}`);
    answer = await post(port, options.review).catch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return undefined;
    });
  }
  if (answer.status !== 200 || !answer.body.includes('"patch"')) {
    child.kill('SIGTERM');
    throw new Error(`the upstream webhook answered ${answer.status} without a patch: ${answer.body.slice(0, 300)}`);
  }

  const pid = child.pid!;
  return {
    port,
    pid,
    stderrFile,
    sampleAnswer: answer.body,
    cpuMicros: () => processCpuMicros(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
