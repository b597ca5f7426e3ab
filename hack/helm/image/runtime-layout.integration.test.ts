// The image's runtime, without a container engine: the build stage's `npm run build` in a copy of
// the build context, the runtime stage's files assembled from it (runtime-layout.ts), and the
// image's CMD - `node backend/dist/main.js` with the image's environment - run with Node 22 from
// that directory as UID 1001 (as the image's USER; when the tests run as root) with nothing
// writable but its /tmp. It must serve /healthz over HTTPS and the plugin's assets.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startControlPlane, type ControlPlane } from '../../controlplane/controlplane.ts';
import { issueCertificate } from '../../pki.ts';
import { REPO_ROOT } from '../render.ts';
import { envOf } from './dockerfile.ts';
import { dockerfileStages, prepareRuntimeLayout, type RuntimeLayout } from './runtime-layout.ts';

const IMAGE_UID = 1001;
const asRoot = process.getuid?.() === 0;
const log = (line: string) => console.log(line);

let layout: RuntimeLayout;
let cp: ControlPlane;
let scratch: string;
let writableTmp: string;
let backend: ChildProcess;
let output = '';
let port: number;
let caPem: string;
let filesBefore: string[];

/** What the process runs as: the image's user when we can switch to it, else ourselves. */
const identity = asRoot ? { uid: IMAGE_UID, gid: 0 } : {};

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${prefix}${entry.name}`;
    return entry.isDirectory() ? [`${path}/`, ...listFiles(join(dir, entry.name), `${path}/`)] : [path];
  });
}

function setDirectoriesWritable(dir: string, writable: boolean): void {
  chmodSync(dir, writable ? 0o755 : 0o555);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) setDirectoriesWritable(join(dir, entry.name), writable);
  }
}

function httpsGet(path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`https://127.0.0.1:${port}${path}`, { ca: caPem, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  layout = await prepareRuntimeLayout(log);
  cp = await startControlPlane({ log, scheduler: false });

  // Outside the layout: the certificate (as the chart mounts it), a kubeconfig, and the only
  // writable directory, standing in for the emptyDir at /tmp.
  scratch = mkdtempSync(join(tmpdir(), 'peerpods-image-run-'));
  chmodSync(scratch, 0o755);
  writableTmp = join(scratch, 'tmp');
  mkdirSync(writableTmp, { mode: 0o777 });
  chmodSync(writableTmp, 0o777);
  if (asRoot) chownSync(writableTmp, IMAGE_UID, 0);
  const ca = cp.ca;
  caPem = ca.certPem;
  const serving = await issueCertificate(ca, {
    commonName: 'peer-pods-console',
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  const certDir = join(scratch, 'serving-cert');
  mkdirSync(certDir, { mode: 0o755 });
  writeFileSync(join(certDir, 'tls.crt'), serving.certPem, { mode: 0o444 });
  writeFileSync(join(certDir, 'tls.key'), serving.keyPem, { mode: 0o444 });
  const kubeconfig = join(scratch, 'kubeconfig');
  writeFileSync(kubeconfig, readFileSync(cp.kubeconfigPath), { mode: 0o444 });

  // Root owns the layout (as COPY leaves it) and UID 1001 cannot write it; without root, the
  // directories are made read-only instead.
  for (const dir of [join(layout.appDir, '..'), layout.appDir]) chmodSync(dir, 0o755);
  if (!asRoot) setDirectoriesWritable(layout.appDir, false);
  filesBefore = listFiles(layout.appDir);

  port = await freePort();
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    ...envOf(dockerfileStages().at(-1)!),
    // the image's /tmp is the pod's emptyDir; here it is writableTmp
    HOME: writableTmp,
    TMPDIR: writableTmp,
    NPM_CONFIG_CACHE: join(writableTmp, '.npm'),
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: String(await freePort()),
    TLS_CERT_FILE: join(certDir, 'tls.crt'),
    TLS_KEY_FILE: join(certDir, 'tls.key'),
    WEBHOOK_PORT: String(await freePort()),
    WEBHOOK_CERT_FILE: join(certDir, 'tls.crt'),
    WEBHOOK_KEY_FILE: join(certDir, 'tls.key'),
    KUBECONFIG: kubeconfig,
    LEADER_ELECTION: 'false',
  };
  // CMD ["node", "backend/dist/main.js"], from the image's WORKDIR, with Node 22
  backend = spawn(process.execPath, ['backend/dist/main.js'], {
    cwd: layout.appDir,
    env,
    ...identity,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  backend.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  backend.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (backend.exitCode !== null)
      throw new Error(`node backend/dist/main.js exited with code ${backend.exitCode}:\n${output}`);
    const answered = await httpsGet('/healthz').then(
      (res) => res.status === 200,
      () => false,
    );
    if (answered) break;
    if (Date.now() > deadline) throw new Error(`the backend did not answer /healthz within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 20 * 60_000);

afterAll(async () => {
  if (backend && backend.exitCode === null) {
    const exited = new Promise((r) => backend.once('exit', r));
    backend.kill('SIGTERM');
    await exited;
  }
  await cp?.stop();
  if (layout && !asRoot) setDirectoriesWritable(layout.appDir, true);
  layout?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the image runtime (node backend/dist/main.js in the runtime layout)', () => {
  it('uses Node.js 22, the base image major version', () => {
    expect(process.versions.node.split('.')[0]).toBe('22');
  });

  it('holds only what the runtime stage copies, with production dependencies only', () => {
    expect(readdirSync(layout.appDir).sort()).toEqual(['backend', 'dist', 'node_modules', 'package.json']);
    const installed = new Set(
      readdirSync(join(layout.appDir, 'node_modules')).flatMap((name) =>
        name.startsWith('@')
          ? readdirSync(join(layout.appDir, 'node_modules', name)).map((sub) => `${name}/${sub}`)
          : [name],
      ),
    );
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages)
      .filter(([path, entry]) => entry.dev === true && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path))
      .map(([path]) => path.slice('node_modules/'.length));
    expect(devOnly).toEqual(expect.arrayContaining(['vitest', 'webpack', 'node', 'tsx']));
    expect(devOnly.filter((name) => installed.has(name))).toEqual([]);
    for (const runtimeDependency of ['express', '@kubernetes/client-node', 'pino', 'zod'])
      expect(installed).toContain(runtimeDependency);
  });

  it('runs as UID 1001, the image user (or, without root to switch to it, as the test user)', () => {
    const status = readFileSync(`/proc/${backend.pid}/status`, 'utf8');
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(String(asRoot ? IMAGE_UID : process.getuid?.()));
  });

  it('answers /healthz over HTTPS', async () => {
    expect(await httpsGet('/healthz')).toMatchObject({ status: 200, body: 'ok' });
  });

  it('serves the plugin manifest and the entry script it names', async () => {
    const manifestResponse = await httpsGet('/plugin-manifest.json');
    expect(manifestResponse.status).toBe(200);
    expect(manifestResponse.type).toMatch(/^application\/json/);
    const manifest = JSON.parse(manifestResponse.body) as { name: string; loadScripts: string[] };
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      consolePlugin: { name: string };
    };
    expect(manifest.name).toBe(pkg.consolePlugin.name);
    expect(manifest.loadScripts.length).toBeGreaterThan(0);
    const entry = await httpsGet(`/${manifest.loadScripts[0]}`);
    expect(entry.status).toBe(200);
    expect(entry.type).toMatch(/javascript/);
  });

  it('cannot write its own directory (a read-only root filesystem), but can write its /tmp', () => {
    const probe = (dir: string) =>
      spawnSync(
        process.execPath,
        ['-e', `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'probe'))}, 'x')`],
        {
          cwd: layout.appDir,
          ...identity,
          encoding: 'utf8',
        },
      );
    const inLayout = probe(layout.appDir);
    expect(inLayout.status).not.toBe(0);
    expect(inLayout.stderr).toMatch(/EACCES/);
    expect(probe(writableTmp).status).toBe(0);
  });

  it('created no file in its directory while serving', () => {
    expect(listFiles(layout.appDir)).toEqual(filesBefore);
    expect(backend.exitCode).toBeNull();
  });
});
