// The whole product on one machine, as `hack/run start` and the Playwright tests run it.
//
// Local mode: a real control plane with fake workers, the OpenShift objects the product reads, a
// simulated cloud (moto EC2 or the ARM test server), the backend with its webhook registered in
// the API server, demo peer pods, and the console shell in front of API server and backend.
// Kubeconfig mode (--kubeconfig): the backend and the shell act on a real cluster as the
// kubeconfig's user; nothing is created in that cluster.
//
// stop() ends everything that was started, in reverse order; a failed start stops what it began.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AdmissionregistrationV1Api,
  ApiException,
  AuthenticationV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import { renderWebhookConfiguration } from '../../backend/src/webhook/webhook-configuration.ts';
import { startConsoleShell, type ConsoleShell, type ConsoleShellOptions } from '../../console-shell/server.ts';
import { freePort, startControlPlane } from '../controlplane/controlplane.ts';
import {
  createInfrastructure,
  createPeerPodConfig,
  createWorkerNodes,
  OPERATOR_NAMESPACE,
  PEERPODCONFIG_NAME,
  type Platform,
} from '../controlplane/fixtures.ts';
import { issueCertificate } from '../pki.ts';
import { StartUsageError } from './args.ts';
import {
  annotateSmallNode,
  createDemoPeerPods,
  DEMO_NAMESPACE,
  SMALL_NODE_LIMIT,
  waitForAdvertisedCapacity,
} from './demo.ts';
import { ADMIN_TOKEN_ENV, DEVELOPER_TOKEN_ENV, loadTargetCluster, type TargetCluster } from './kubeconfig.ts';
import { defaultPluginDistDir, repoRoot } from './plugin-build.ts';
import { startBridge, type RealConsoleVersion } from './real-console.ts';
import { startSimulatedCloud, type SimulatedCloud } from './simulated-cloud.ts';

const EXIT_WITH_PARENT = pathToFileURL(join(import.meta.dirname, 'exit-with-parent.ts')).href;
const PLATFORM_NAMES: Record<Platform, string> = { aws: 'AWS', azure: 'Azure' };
const PLUGIN_NAME = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { consolePlugin: { name: string } }
).consolePlugin.name;

export interface LocalStackOptions {
  platform: Platform;
  nodes: number;
  /** A real cluster instead of the local control plane (see kubeconfig.ts). */
  kubeconfig?: string;
  /** That cluster, already checked by preflight(). */
  target?: TargetCluster;
  /** 0: a free port. */
  backendPort: number;
  shellPort: number;
  /** Flag names for port errors; default --port / --shell-port. */
  portFlags?: { backend: string; shell: string };
  pluginDistDir?: string;
  /** Where the backend's output goes: this terminal, or a log file. */
  backendOutput?: 'inherit' | { file: string };
  /** Demo peer pods (local mode); default true. */
  demo?: boolean;
  /** Age before an unclaimed VM counts as orphaned; default 60. */
  orphanGraceSeconds?: number;
  /** Seconds before a peer pod that is not running counts as stuck (STUCK_GRACE_SECONDS); default 60. */
  stuckGraceSeconds?: number;
  /** Default 15. */
  inventoryIntervalSeconds?: number;
  /** Environment read for the kubeconfig mode's tokens; default process.env. */
  env?: Record<string, string | undefined>;
  /** Real consoles (../shared/real-console/) to start beside the shell: one bridge per user each. */
  realConsoles?: readonly RealConsoleVersion[];
  /** Folder for the bridges' logs; default the stack's state folder (removed at stop). */
  logDir?: string;
  log?: (line: string) => void;
}

/** The addresses of one real console: one bridge per signed-in user. */
export interface RealConsoleUrls {
  admin: string;
  /** Absent when there is no non-admin token (kubeconfig mode without one). */
  developer?: string;
}

export interface LocalStack {
  mode: 'local' | 'kubeconfig';
  shellUrl: string;
  /** The real consoles started beside the shell, by version. */
  realConsoles: Partial<Record<RealConsoleVersion, RealConsoleUrls>>;
  /** What starting another bridge on this stack takes (the admin's bearer token, when there is one). */
  bridgeTarget: { apiServer: string; backendUrl: string; adminToken?: string };
  backendUrl: string;
  /** The backend's health port: /healthz, /readyz and /metrics. */
  metricsUrl: string;
  apiServer: string;
  /** Admin kubeconfig of the cluster the stack acts on. */
  kubeconfigPath: string;
  /** The simulated cloud (local mode). */
  cloud?: { platform: Platform; details: Record<string, string> };
  /** Lines for the start banner: what was created, and who the shell's users are. */
  created: string[];
  users: string[];
  warnings: string[];
  /** Resolves with the backend's exit code if it exits before stop(). */
  backendExit: Promise<number | null>;
  stop(): Promise<void>;
}

/** Fails fast, naming the flag, when a fixed port is taken (e.g. by another `hack/run start`). */
async function assertPortFree(port: number, flag: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new StartUsageError(
              `${flag}: port ${port} is in use (another \`hack/run start\`?); stop that, or pass ${flag} 0 for a free port`,
            )
          : err,
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/**
 * What can be refused before anything starts (or the plugin builds): the --kubeconfig file and
 * its cluster's answer, and fixed ports that are taken. Returns the checked cluster, if any.
 */
export async function preflight(
  options: Pick<LocalStackOptions, 'kubeconfig' | 'backendPort' | 'shellPort' | 'portFlags' | 'env'> & {
    log?: (line: string) => void;
  },
): Promise<TargetCluster | undefined> {
  const flags = options.portFlags ?? { backend: '--port', shell: '--shell-port' };
  const target = options.kubeconfig ? await loadTargetCluster(options.kubeconfig, options.env) : undefined;
  if (target) await checkSignIn(target, options.log ?? (() => {}));
  await assertPortFree(options.backendPort, flags.backend);
  await assertPortFree(options.shellPort, flags.shell);
  return target;
}

async function waitForHttp(
  url: string,
  backend: ChildProcess,
  timeoutMs: number,
  accept: (res: Response) => Promise<boolean> = async (res) => res.ok,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (backend.exitCode !== null) throw new Error(`the backend exited with code ${backend.exitCode} while starting`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(accept, () => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const pluginDistDir = options.pluginDistDir ?? defaultPluginDistDir;
  const preflightTarget = options.target ?? (await preflight(options));

  const cleanups: { what: string; run: () => Promise<unknown> | unknown }[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const { what, run } of cleanups.reverse()) {
        const started = Date.now();
        try {
          await run();
        } catch (err) {
          log(`[start] stopping ${what} failed: ${(err as Error).message}`);
        }
        log(`[start] stopped ${what} (${Date.now() - started} ms)`);
      }
    })());
  const stateDir = mkdtempSync(join(tmpdir(), 'peerpods-start-'));
  cleanups.push({ what: 'state files', run: () => rmSync(stateDir, { recursive: true, force: true }) });
  let shellStarting: Promise<ConsoleShell> | undefined;

  try {
    const target = preflightTarget;
    const created: string[] = [];
    const users: string[] = [];
    const warnings: string[] = [];

    // The cluster: a real one, or the local control plane (with the simulated cloud starting alongside).
    let kubeconfigPath: string;
    let apiServer: string;
    let cloud: SimulatedCloud | undefined;
    let kc: KubeConfig | undefined;
    let shellCredentials: ShellCredentials;
    const backendEnv: Record<string, string> = {};
    let workerNames: string[] = [];
    let webhook: { port: number; caPem: string } | undefined;

    if (target) {
      kubeconfigPath = target.path;
      apiServer = target.server;
      shellCredentials = shellCredentialsFor(target);
      users.push(
        `admin       ${target.adminCredentials} (context "${target.context}")`,
        target.developerToken
          ? `developer   the token in ${DEVELOPER_TOKEN_ENV}`
          : `developer   not offered: set ${DEVELOPER_TOKEN_ENV} to a non-admin user's token to switch to one`,
      );
      if (!shellCredentials.tokens.admin) {
        warnings.push(
          `user "${target.user}" signs in with a client certificate: the API server accepts it, but the backend authorizes by bearer token, so the plugin's backend calls answer 401 until you set ${ADMIN_TOKEN_ENV} (e.g. to \`oc whoami -t\` or \`kubectl create token\` for an admin service account)`,
        );
      }
      created.push(
        `nothing in the cluster: the backend runs here with leader election (it waits for the Lease if an in-cluster backend holds it)`,
      );
    } else {
      workerNames = Array.from({ length: options.nodes }, (_, i) => `worker-${i}`);
      // Both start at once; whichever fails, the other is still registered for stop().
      const [cpStart, cloudStart] = await Promise.allSettled([
        startControlPlane({ log }).then((started) => {
          cleanups.push({ what: 'control plane', run: () => started.stop() });
          return started;
        }),
        startSimulatedCloud({ platform: options.platform, workerNames, stateDir }).then((started) => {
          cleanups.push({ what: 'simulated cloud', run: () => started.stop() });
          return started;
        }),
      ]);
      if (cpStart.status === 'rejected') throw cpStart.reason;
      if (cloudStart.status === 'rejected') throw cloudStart.reason;
      const cp = cpStart.value;
      cloud = cloudStart.value;
      kc = cp.kubeConfig();
      kubeconfigPath = cp.kubeconfigPath;
      apiServer = cp.server;
      shellCredentials = { caCertPem: cp.caCertPem, tokens: { admin: cp.adminToken, developer: cp.userToken } };
      await cloud.writePeerPodsSettings(kc);
      await createInfrastructure(kc, cloud.infrastructure);
      await createWorkerNodes(kc, {
        count: options.nodes,
        platform: options.platform,
        providerIds: cloud.workerProviderIds,
        labels: cloud.workerLabels,
      });
      await createPeerPodConfig(kc, { limit: '10' });
      created.push(
        `${options.nodes} fake ${PLATFORM_NAMES[options.platform]} workers (worker-0…), infrastructure/cluster on ${PLATFORM_NAMES[options.platform]}`,
        `PeerPodConfig ${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME} (limit 10), Secret peer-pods-secret, ConfigMap peer-pods-cm`,
        cloud.summary,
      );
      users.push(
        'admin       test-admin (system:masters)',
        'developer   test-developer (no RBAC bindings: sees why there is nothing to show, no destructive actions)',
      );

      // The backend serves the webhook with a certificate from the cluster's CA, as the chart's
      // MutatingWebhookConfiguration makes the API server call it on OpenShift.
      const serving = await issueCertificate(cp.ca, {
        commonName: 'peer-pods-webhook',
        ipAddresses: ['127.0.0.1'],
        usage: 'server',
      });
      writeFileSync(join(stateDir, 'webhook.crt'), serving.certPem);
      writeFileSync(join(stateDir, 'webhook.key'), serving.keyPem, { mode: 0o600 });
      webhook = { port: await freePort(), caPem: cp.caCertPem };
      Object.assign(backendEnv, cloud.backendEnv, {
        LEADER_ELECTION: 'false',
        WEBHOOK_PORT: String(webhook.port),
        WEBHOOK_CERT_FILE: join(stateDir, 'webhook.crt'),
        WEBHOOK_KEY_FILE: join(stateDir, 'webhook.key'),
        ORPHAN_GRACE_SECONDS: String(options.orphanGraceSeconds ?? 60),
        STUCK_GRACE_SECONDS: String(options.stuckGraceSeconds ?? 60),
        INVENTORY_INTERVAL_SECONDS: String(options.inventoryIntervalSeconds ?? 15),
      });
    }

    // The small node's override is set before the backend starts, so it advertises 1 from the start.
    const demo = !target && options.demo !== false;
    const smallNode = demo && kc ? await annotateSmallNode(kc, workerNames) : undefined;

    const backendPort = options.backendPort || (await freePort());
    const backendUrl = `http://127.0.0.1:${backendPort}`;
    // /healthz, /readyz and /metrics: the health port, as in the chart (plain HTTP here, like the API).
    const metricsUrl = `http://127.0.0.1:${await freePort()}`;
    // The shell's page bundle builds while the backend starts.
    shellStarting = startConsoleShell({
      apiServer,
      ...shellCredentials,
      backendUrl,
      pluginDistDir,
      port: options.shellPort,
      log,
    }).then((shell: ConsoleShell) => {
      cleanups.push({ what: 'console shell', run: () => shell.stop() });
      return shell;
    });
    shellStarting.catch(() => {});

    const output = options.backendOutput ?? 'inherit';
    const outFd = output === 'inherit' ? undefined : openSync(output.file, 'w');
    const backend = spawn(process.execPath, ['--import', 'tsx', '--import', EXIT_WITH_PARENT, 'backend/src/main.ts'], {
      cwd: repoRoot,
      stdio: outFd === undefined ? 'inherit' : ['ignore', outFd, outFd],
      env: {
        // The shell's tokens are the shell's; the backend acts with its kubeconfig only.
        ...Object.fromEntries(
          Object.entries(process.env).filter(([name]) => name !== ADMIN_TOKEN_ENV && name !== DEVELOPER_TOKEN_ENV),
        ),
        KUBECONFIG: kubeconfigPath,
        PORT: String(backendPort),
        METRICS_PORT: new URL(metricsUrl).port,
        HOST: '127.0.0.1',
        PLUGIN_ASSETS_DIR: pluginDistDir,
        ...backendEnv,
      },
    });
    if (outFd !== undefined) closeSync(outFd);
    const backendExit = new Promise<number | null>((resolve) => backend.once('exit', (code) => resolve(code)));
    const killBackend = () => {
      if (backend.exitCode === null && backend.signalCode === null) backend.kill('SIGKILL');
    };
    process.on('exit', killBackend);
    cleanups.push({
      what: 'backend',
      run: async () => {
        process.off('exit', killBackend);
        if (backend.exitCode !== null || backend.signalCode !== null) return;
        backend.kill('SIGTERM');
        const timer = setTimeout(killBackend, 10_000);
        await backendExit;
        clearTimeout(timer);
      },
    });
    if (!(await waitForHttp(`${backendUrl}/healthz`, backend, 60_000))) {
      throw new Error(`the backend did not answer ${backendUrl}/healthz within 60 s`);
    }
    // Ready, and its informer caches loaded: they do not gate readiness (the API answers 503
    // until they have), but the pages and the demo below read them.
    const readyWithCaches = async (res: Response) =>
      res.ok &&
      Object.values(
        ((await res.json()) as { informational?: Record<string, { ready: boolean }> }).informational ?? {},
      ).every((check) => check.ready);
    if (!(await waitForHttp(`${metricsUrl}/readyz`, backend, target ? 30_000 : 60_000, readyWithCaches))) {
      const report = await fetch(`${metricsUrl}/readyz`).then(
        (res) => res.text(),
        (err: Error) => err.message,
      );
      if (!target) throw new Error(`the backend is not ready after 60 s: ${report}`);
      warnings.push(`the backend is not ready yet: ${report}`);
    }
    log(`[start] backend ${backendUrl} is up`);

    if (webhook && kc) {
      await kc.makeApiClient(AdmissionregistrationV1Api).createMutatingWebhookConfiguration({
        body: renderWebhookConfiguration({
          target: { url: `https://127.0.0.1:${webhook.port}` },
          caBundlePem: webhook.caPem,
        }),
      });
      created.push(`MutatingWebhookConfiguration → https://127.0.0.1:${webhook.port}/mutate-v1-pod (the backend)`);
      if (demo && cloud) {
        await waitForAdvertisedCapacity(kc, workerNames);
        const result = await createDemoPeerPods(kc, cloud, smallNode);
        if (smallNode) created.push(`node ${smallNode} has the VM-limit override ${SMALL_NODE_LIMIT} (annotation)`);
        const forCapacity = result.pending.filter((p) => p.message.includes('Insufficient'));
        const otherwise = result.pending.filter((p) => !forCapacity.includes(p));
        created.push(
          `peer pods in ${DEMO_NAMESPACE}: ${result.running.length} running (${result.running.map((p) => `${p.name} on ${p.node}`).join(', ') || 'none'}), each with its VM and PeerPod`,
          `  ${forCapacity.length} pending for lack of capacity: ${forCapacity.map((p) => p.name).join(', ') || 'none'}`,
          ...(otherwise.length > 0
            ? [`  ${otherwise.length} unschedulable (no node to run on): ${otherwise.map((p) => p.name).join(', ')}`]
            : []),
          ...result.stuck.map(
            (p) =>
              `  ${p.name} on ${p.node}: its VM runs, its agent port is closed; stuck in sandbox creation ${options.stuckGraceSeconds ?? 60} s after start`,
          ),
          `orphan VM ${cloud.platform === 'aws' ? `counts as orphaned ${options.orphanGraceSeconds ?? 60} s after start (grace period)` : 'is 3 hours old: orphaned at once'}`,
        );
      }
    }

    const realConsoles: Partial<Record<RealConsoleVersion, RealConsoleUrls>> = {};
    // 127.0.0.1 is the shell's; each bridge gets the next loopback address (cookies are per host).
    let bridgeHost = 1;
    for (const version of options.realConsoles ?? []) {
      const urls: Partial<RealConsoleUrls> = {};
      for (const user of ['admin', 'developer'] as const) {
        const token = shellCredentials.tokens[user];
        if (!token) continue;
        const bridge = await startBridge({
          version,
          apiServer,
          token,
          backendUrl,
          pluginName: PLUGIN_NAME,
          host: `127.0.0.${(bridgeHost += 1)}`,
          logFile: join(options.logDir ?? stateDir, `bridge-${version}-${user}.log`),
        });
        cleanups.push({ what: `console ${version} (${user})`, run: () => bridge.stop() });
        urls[user] = bridge.url;
      }
      if (urls.admin) realConsoles[version] = { admin: urls.admin, developer: urls.developer };
      log(`[start] OpenShift console ${version} ${urls.admin ?? ''} (admin) ${urls.developer ?? ''} (developer)`);
    }

    const shell = await shellStarting;
    return {
      mode: target ? 'kubeconfig' : 'local',
      shellUrl: shell.url,
      realConsoles,
      bridgeTarget: { apiServer, backendUrl, adminToken: shellCredentials.tokens.admin },
      backendUrl,
      metricsUrl,
      apiServer,
      kubeconfigPath,
      cloud: cloud ? { platform: cloud.platform, details: cloud.details } : undefined,
      created,
      users,
      warnings,
      backendExit,
      stop,
    };
  } catch (err) {
    // A shell still building would otherwise register itself after stop() has run.
    await shellStarting?.catch(() => undefined);
    await stop();
    throw err;
  }
}

type ShellCredentials = Pick<
  ConsoleShellOptions,
  'caCertPem' | 'apiServerInsecureSkipTlsVerify' | 'tokens' | 'clientCertificates'
>;

/** What the shell presents to the API server as each user: a token, else the client certificate. */
function shellCredentialsFor(target: TargetCluster): ShellCredentials {
  return {
    caCertPem: target.caPem,
    apiServerInsecureSkipTlsVerify: target.insecureSkipTlsVerify,
    tokens: { admin: target.admin.token, developer: target.developerToken },
    clientCertificates: target.admin.token ? {} : { admin: target.admin.clientCertificate },
  };
}

/** Asks the real cluster who the kubeconfig's user is: proves it answers and accepts the credentials. */
async function checkSignIn(target: TargetCluster, log: (line: string) => void): Promise<void> {
  const where = `the API server ${target.server} (context "${target.context}")`;
  try {
    const review = await target.kubeConfig.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    log(`[start] ${where} knows the kubeconfig's user as ${review.status?.userInfo?.username ?? '(unknown)'}`);
  } catch (err) {
    if (err instanceof ApiException) {
      if (err.code === 401) {
        throw new StartUsageError(
          `--kubeconfig: ${where} refused the credentials of user "${target.user}" (401); log in again (\`oc login\`) or pick another context`,
        );
      }
      // 404: an API server older than 1.28 without SelfSubjectReview; it answered, which is enough.
      if (err.code === 404 || err.code === 403) return;
    }
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message.split('\n')[0];
    throw new StartUsageError(
      `--kubeconfig: ${where} did not answer (${cause}); check that the cluster is up and reachable (VPN, proxy) and that the context is the right one`,
    );
  }
}
