// A real Kubernetes control plane for tests and the local demo: etcd, kube-apiserver (RBAC,
// client-certificate and token authentication) and kube-scheduler, on free loopback ports,
// with their files in one temporary directory. No kubelet: nodes are API objects.
//
// Every component runs in its own process group. stop() ends them; an exit handler ends them
// when the Node process exits; a detached reaper script ends them when the Node process is
// killed outright. So no process outlives the run that started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { dump } from 'js-yaml';
import {
  createCertificateAuthority,
  createSigningKeyPair,
  issueCertificate,
  type CertificateAuthority,
} from '../pki.ts';
import { ensureBinaries, type ControlPlaneBinaries } from './binaries.ts';
import { installBaseObjects } from './fixtures.ts';

const here = dirname(fileURLToPath(import.meta.url));

export const ADMIN_USER = 'test-admin';
export const NON_ADMIN_USER = 'test-developer';

export interface ControlPlaneOptions {
  /** Progress lines; default: silent. */
  log?: (line: string) => void;
  /** Install the CRDs, RuntimeClass and namespace the product reads (default true). */
  installBase?: boolean;
  /** Start kube-scheduler (default true). */
  scheduler?: boolean;
  /** Extra kube-apiserver flags, e.g. for a test that needs a feature gate. */
  apiServerFlags?: string[];
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  server: string;
  /** PEM of the CA that signed the API server's certificate and the client certificates. */
  caCertPem: string;
  ca: CertificateAuthority;
  /** Directory holding the control plane's files; removed by stop(). */
  dir: string;
  /** kubeconfig of the admin (client certificate in group system:masters). */
  kubeconfigPath: string;
  /** Bearer token of a user in system:masters (from --token-auth-file). */
  adminToken: string;
  /** Bearer token of an ordinary user with no RBAC bindings (from --token-auth-file). */
  userToken: string;
  /** Admin KubeConfig. */
  kubeConfig(): KubeConfig;
  /** KubeConfig that authenticates with the given bearer token. */
  kubeConfigForToken(token: string): KubeConfig;
  /** Stops kube-apiserver and starts it again on the same port and etcd (for recovery tests). */
  restartApiServer(): Promise<void>;
  stopApiServer(): Promise<void>;
  startApiServer(): Promise<void>;
  pids(): Record<string, number | undefined>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitFor(
  what: string,
  timeoutMs: number,
  probe: () => Promise<boolean>,
  proc?: ChildProcess,
  logFile?: string,
) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null) {
      throw new Error(`${what} exited with code ${proc.exitCode} before it was ready${tail(logFile)}`);
    }
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s (${lastError || 'no answer'})${tail(logFile)}`);
}

function tail(logFile?: string): string {
  if (!logFile || !existsSync(logFile)) return '';
  const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
  return `\n--- last lines of ${logFile} ---\n${lines.slice(-15).join('\n')}`;
}

async function httpsOk(url: string, options: { ca: string; token?: string }): Promise<boolean> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: options.ca,
        headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
        timeout: 2000,
        rejectUnauthorized: true,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function kubeconfigYaml(server: string, caPem: string, user: Record<string, string>, name: string): string {
  return dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'local', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } },
    ],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: 'local', user: name } }],
    'current-context': name,
  });
}

interface Component {
  name: string;
  proc?: ChildProcess;
  start(): ChildProcess;
}

const liveProcessGroups = new Set<number>();
let exitHandlerInstalled = false;
function installExitHandler() {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () => {
    for (const pgid of liveProcessGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const binaries: ControlPlaneBinaries = await ensureBinaries(log);
  installExitHandler();

  const dir = mkdtempSync(join(tmpdir(), 'peerpods-cp-'));
  const pgidFile = join(dir, 'pgids');
  writeFileSync(pgidFile, '');
  const reaper = spawn('bash', [join(here, 'reaper.sh'), String(process.pid), dir], {
    detached: true,
    stdio: 'ignore',
  });
  reaper.unref();

  const [etcdPort, etcdPeerPort, apiPort, schedulerPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const server = `https://127.0.0.1:${apiPort}`;

  // PKI: one CA for the API server's serving cert and every client cert.
  const ca = await createCertificateAuthority('peer-pods-local-cluster-ca');
  const serving = await issueCertificate(ca, {
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  const admin = await issueCertificate(ca, {
    commonName: ADMIN_USER,
    organizations: ['system:masters'],
    usage: 'client',
  });
  const scheduler = await issueCertificate(ca, { commonName: 'system:kube-scheduler', usage: 'client' });
  const serviceAccountKeys = await createSigningKeyPair();
  const adminToken = randomBytes(24).toString('hex');
  const userToken = randomBytes(24).toString('hex');

  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const caFile = file('ca.crt', ca.certPem);
  const servingCert = file('apiserver.crt', serving.certPem);
  const servingKey = file('apiserver.key', serving.keyPem);
  const saPub = file('sa.pub', serviceAccountKeys.publicKeyPem);
  const saKey = file('sa.key', serviceAccountKeys.privateKeyPem);
  const tokenFile = file(
    'tokens.csv',
    `${adminToken},${ADMIN_USER},uid-admin,"system:masters"\n${userToken},${NON_ADMIN_USER},uid-developer,"developers"\n`,
  );
  const kubeconfigPath = file(
    'admin.kubeconfig',
    kubeconfigYaml(
      server,
      ca.certPem,
      {
        'client-certificate-data': Buffer.from(admin.certPem).toString('base64'),
        'client-key-data': Buffer.from(admin.keyPem).toString('base64'),
      },
      ADMIN_USER,
    ),
  );
  const schedulerKubeconfig = file(
    'scheduler.kubeconfig',
    kubeconfigYaml(
      server,
      ca.certPem,
      {
        'client-certificate-data': Buffer.from(scheduler.certPem).toString('base64'),
        'client-key-data': Buffer.from(scheduler.keyPem).toString('base64'),
      },
      'system:kube-scheduler',
    ),
  );

  const launch = (name: string, binary: string, args: string[]): ChildProcess => {
    const logFile = join(dir, `${name}.log`);
    const out = openSync(logFile, 'a');
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', out, out] });
    if (child.pid) {
      liveProcessGroups.add(child.pid);
      appendFileSync(pgidFile, `${child.pid}\n`);
      child.on('exit', () => liveProcessGroups.delete(child.pid!));
    }
    child.unref();
    return child;
  };

  const etcd: Component = {
    name: 'etcd',
    start: () =>
      launch('etcd', binaries.etcd, [
        `--name=default`,
        `--data-dir=${join(dir, 'etcd-data')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
        `--initial-cluster=default=http://127.0.0.1:${etcdPeerPort}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ]),
  };
  const apiServer: Component = {
    name: 'kube-apiserver',
    start: () =>
      launch('kube-apiserver', binaries.kubeApiserver, [
        `--etcd-servers=http://127.0.0.1:${etcdPort}`,
        `--bind-address=127.0.0.1`,
        `--advertise-address=127.0.0.1`,
        `--secure-port=${apiPort}`,
        `--tls-cert-file=${servingCert}`,
        `--tls-private-key-file=${servingKey}`,
        `--client-ca-file=${caFile}`,
        `--token-auth-file=${tokenFile}`,
        // A slice flag: a caller's own --authorization-mode (e.g. Webhook,RBAC) replaces this one.
        ...((options.apiServerFlags ?? []).some((flag) => flag.startsWith('--authorization-mode='))
          ? []
          : ['--authorization-mode=RBAC']),
        `--service-account-issuer=https://kubernetes.default.svc`,
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--endpoint-reconciler-type=none',
        // No controller-manager runs, so nothing creates the `default` ServiceAccount that
        // this admission plugin requires of every pod.
        '--disable-admission-plugins=ServiceAccount',
        '--enable-priority-and-fairness=false',
        '--profiling=false',
        '--allow-privileged=true',
        '--v=1',
        ...(options.apiServerFlags ?? []),
      ]),
  };
  const schedulerComponent: Component = {
    name: 'kube-scheduler',
    start: () =>
      launch('kube-scheduler', binaries.kubeScheduler, [
        `--kubeconfig=${schedulerKubeconfig}`,
        `--authentication-kubeconfig=${schedulerKubeconfig}`,
        `--authorization-kubeconfig=${schedulerKubeconfig}`,
        '--leader-elect=false',
        `--bind-address=127.0.0.1`,
        `--secure-port=${schedulerPort}`,
        '--v=1',
      ]),
  };

  const stopComponent = async (component: Component) => {
    const proc = component.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    try {
      process.kill(-proc.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };

  const startApiServer = async () => {
    apiServer.proc = apiServer.start();
    await waitFor(
      'kube-apiserver',
      60_000,
      () => httpsOk(`${server}/readyz`, { ca: ca.certPem, token: adminToken }),
      apiServer.proc,
      join(dir, 'kube-apiserver.log'),
    );
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopComponent(schedulerComponent);
    await stopComponent(apiServer);
    await stopComponent(etcd);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    etcd.proc = etcd.start();
    await waitFor(
      'etcd',
      30_000,
      async () => {
        const res = await fetch(`http://127.0.0.1:${etcdPort}/health`);
        return res.ok && ((await res.json()) as { health?: string }).health === 'true';
      },
      etcd.proc,
      join(dir, 'etcd.log'),
    );
    await startApiServer();
    log(`[controlplane] kube-apiserver ready at ${server} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const kubeConfig = () => {
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfigPath);
      return kc;
    };
    if (options.installBase !== false) {
      await installBaseObjects(kubeConfig());
    }
    if (options.scheduler !== false) {
      schedulerComponent.proc = schedulerComponent.start();
      await waitFor(
        'kube-scheduler',
        30_000,
        () =>
          httpsOk(`https://127.0.0.1:${schedulerPort}/healthz`, { ca: ca.certPem }).catch(() =>
            insecureOk(schedulerPort),
          ),
        schedulerComponent.proc,
        join(dir, 'kube-scheduler.log'),
      );
    }
    log(`[controlplane] ready in ${((Date.now() - started) / 1000).toFixed(1)} s (files in ${dir})`);

    return {
      server,
      caCertPem: ca.certPem,
      ca,
      dir,
      kubeconfigPath,
      adminToken,
      userToken,
      kubeConfig,
      kubeConfigForToken(token: string) {
        const kc = new KubeConfig();
        kc.loadFromString(kubeconfigYaml(server, ca.certPem, { token }, `token-${token.slice(0, 6)}`));
        return kc;
      },
      async restartApiServer() {
        await stopComponent(apiServer);
        await startApiServer();
      },
      stopApiServer: () => stopComponent(apiServer),
      startApiServer,
      pids: () => ({
        etcd: etcd.proc?.pid,
        'kube-apiserver': apiServer.proc?.pid,
        'kube-scheduler': schedulerComponent.proc?.pid,
      }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The scheduler serves a self-signed certificate of its own; only liveness is asked here. */
async function insecureOk(port: number): Promise<boolean> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(`https://127.0.0.1:${port}/healthz`, { rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
