// What every reliability script runs against, started in one place: a control plane with worker
// nodes and a PeerPodConfig, optionally an AWS in moto (behind the fault proxy when the script
// counts or breaks EC2 calls), serving certificates mounted as a Secret volume mounts them, and
// backend processes started on demand — each ready as the script needs it and, for a registered
// webhook, in the API server's path. `stop()` ends all of it, backends first.
//
//   const scenario = await startScenario({ name: 'load', nodes: { count: 100, prefix: 'load-' },
//     limit: 25, webhook: 'registered', ready: 'advertised' });
//   try {
//     const backend = await scenario.startBackend();
//     …the scenario and its measurements…
//   } finally {
//     await scenario.stop();
//   }
import type { EC2Client } from '@aws-sdk/client-ec2';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { KubeClient, type KubeClientOptions } from '../../backend/src/kube/client.ts';
import { startFaultProxy, type FaultProxy } from '../../backend/test/fault-proxy.ts';
import {
  createAwsPeerPodsSettings,
  createWorkerNetwork,
  motoClient,
  motoCredentials,
  MOTO_REGION,
  type MotoNetwork,
} from '../../backend/test/moto-seed.ts';
import { startMotoServer, type MotoServer } from '../../backend/test/moto.ts';
import { startControlPlane, type ControlPlane } from '../../hack/controlplane/controlplane.ts';
import {
  createInfrastructure,
  createPeerPodConfig,
  createWorkerNodes,
  OPERATOR_NAMESPACE,
} from '../../hack/controlplane/fixtures.ts';
import { createNamespace, nodesAt, registerWebhook, waitForWebhookInPath } from './cluster.ts';
import { https, log, startBackendProcess, waitUntil, workDir, type BackendProcess } from './harness.ts';
import { SecretVolume } from './secret-volume.ts';

export interface ScenarioOptions {
  /** Names the scenario's files (its certificates) and the cloud's secret key. */
  name: string;
  /** Start kube-scheduler (default true); scenarios that place no pods leave it out. */
  scheduler?: boolean;
  /** Extra kube-apiserver flags (token and authorization webhooks, for instance). */
  apiServerFlags?: string[];
  /** Worker nodes `<prefix>0…`, created `concurrency` at a time (default 16). */
  nodes: { count: number; prefix: string; concurrency?: number };
  /** The PeerPodConfig's limit: peer pods per node. */
  limit: number;
  /** Namespaces for the scenario's pods. */
  namespaces?: string[];
  /** The scenario's KubeClient (as the admin): its sockets and request timeout. */
  client?: KubeClientOptions;
  /**
   * An AWS in moto: a worker network the first node runs in, the Infrastructure and the operator's
   * peer-pods Secret and ConfigMap. 'aws-behind-proxy' puts the fault proxy between the backend and
   * moto, to count EC2 calls or break them.
   */
  cloud?: 'aws' | 'aws-behind-proxy';
  /**
   * 'registered': the first backend started becomes the API server's mutating webhook, and
   * startBackend resolves once the API server calls it; 'direct': served, for requests sent
   * straight to it; false: the webhook is off.
   */
  webhook: 'registered' | 'direct' | false;
  /**
   * When startBackend resolves: 'listening' (default) as soon as the backend says so; 'serving'
   * when it is ready on its health port and answers GET /api/v1/capacity (its caches loaded);
   * 'advertised' when every node advertises the limit (the reconciler has written them all).
   */
  ready?: 'listening' | 'serving' | 'advertised';
  /** Backend settings over the scenario's own (ports, TLS, webhook, cloud endpoint). */
  backendEnv?: Record<string, string>;
  /** Run each backend under this container memory limit (see harness.ts; needs root). */
  memoryLimitMb?: number;
}

export interface AwsCloud {
  moto: MotoServer;
  /** Talks to moto directly (not through the proxy), as the cluster's owner would. */
  ec2: EC2Client;
  network: MotoNetwork;
  /** In the peer-pods Secret; the backend must never show them. */
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface Scenario {
  cp: ControlPlane;
  kc: KubeConfig;
  client: KubeClient;
  /** PEM of the cluster CA: it signed the API server's certificate and every backend's. */
  ca: string;
  /** The backends' serving certificate and key, rotatable. */
  volume: SecretVolume;
  /** Tokens and cloud keys no backend log line may carry. */
  secrets: string[];
  /**
   * Starts a backend process with the scenario's settings, `env` over them, and resolves when it
   * is ready (options.ready); log lines with any of `secrets` or `forbidden` are counted as leaks.
   */
  startBackend(name?: string, more?: { env?: Record<string, string>; forbidden?: string[] }): Promise<BackendProcess>;
  /** Stops every backend still running, then the cloud and the control plane. */
  stop(): Promise<void>;
}

type WithCloud<O> = O extends { cloud: 'aws-behind-proxy' }
  ? { cloud: AwsCloud & { proxy: FaultProxy } }
  : O extends { cloud: 'aws' }
    ? { cloud: AwsCloud }
    : unknown;

/** Where the first registered backend's probe pods go (see waitForWebhookInPath). */
const PROBE_NAMESPACE = 'webhook-probe';

export async function startScenario<const O extends ScenarioOptions>(options: O): Promise<Scenario & WithCloud<O>> {
  const servers = await startServers(options);
  const { cp } = servers;
  const backends: BackendProcess[] = [];
  let client: KubeClient | undefined;
  const stop = async () => {
    await Promise.all(backends.map((backend) => backend.stop()));
    client?.close();
    await servers.stop();
  };
  try {
    const kc = cp.kubeConfig();
    const cloud = servers.moto ? await seedAws(kc, servers.moto, servers.proxy, options.name) : undefined;
    await createWorkerNodes(kc, {
      count: options.nodes.count,
      namePrefix: options.nodes.prefix,
      concurrency: options.nodes.concurrency,
      providerIds: cloud ? [cloud.network.workerProviderId] : undefined,
    });
    await createPeerPodConfig(kc, { limit: String(options.limit) });
    const kubeClient = (client = await KubeClient.create(kc, options.client));
    const registered = options.webhook === 'registered';
    for (const namespace of [...(options.namespaces ?? []), ...(registered ? [PROBE_NAMESPACE] : [])]) {
      await createNamespace(kubeClient, namespace);
    }
    const volume = await SecretVolume.create(cp.ca, workDir(`${options.name}-tls`));
    const secrets = [
      cp.adminToken,
      cp.userToken,
      ...(cloud ? [cloud.credentials.secretAccessKey, cloud.credentials.accessKeyId] : []),
    ];
    const env = backendEnv(options, volume, (servers.proxy ?? servers.moto)?.endpoint);
    const ready = readiness(options, cp, kubeClient);
    let webhookInPath = false;
    const scenario: Scenario & { cloud?: AwsCloud } = {
      cp,
      kc,
      client: kubeClient,
      ca: cp.caCertPem,
      volume,
      secrets,
      cloud,
      async startBackend(name = 'backend', more = {}) {
        const backend = await startBackendProcess({
          name,
          kubeconfigPath: cp.kubeconfigPath,
          env: { ...env, ...more.env },
          forbidden: [...secrets, ...(more.forbidden ?? [])],
          memoryLimitMb: options.memoryLimitMb,
        });
        backends.push(backend);
        await ready(backend);
        if (registered && !webhookInPath) {
          await registerWebhook(kc, backend.webhookUrl!, cp.caCertPem);
          await waitForWebhookInPath(kubeClient, PROBE_NAMESPACE);
          webhookInPath = true;
        }
        return backend;
      },
      stop,
    };
    return scenario as Scenario & WithCloud<O>;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The control plane and, for a cloud, moto (behind the fault proxy if asked); stopped together. */
async function startServers(options: ScenarioOptions) {
  const [cpStarted, motoStarted] = await Promise.allSettled([
    startControlPlane({ scheduler: options.scheduler, apiServerFlags: options.apiServerFlags, log }),
    options.cloud ? startMotoServer() : Promise.resolve(undefined),
  ]);
  const moto = motoStarted.status === 'fulfilled' ? motoStarted.value : undefined;
  let proxy: FaultProxy | undefined;
  const stop = async () => {
    await proxy?.stop();
    await Promise.all([cpStarted.status === 'fulfilled' ? cpStarted.value.stop() : undefined, moto?.stop()]);
  };
  try {
    if (cpStarted.status === 'rejected') throw cpStarted.reason;
    if (motoStarted.status === 'rejected') throw motoStarted.reason;
    if (moto && options.cloud === 'aws-behind-proxy') proxy = await startFaultProxy({ target: moto.endpoint });
    return { cp: cpStarted.value, moto, proxy, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A worker network in moto, the Infrastructure naming AWS, the operator's peer-pods Secret and ConfigMap. */
async function seedAws(
  kc: KubeConfig,
  moto: MotoServer,
  proxy: FaultProxy | undefined,
  name: string,
): Promise<AwsCloud & { proxy?: FaultProxy }> {
  const credentials = motoCredentials(name);
  const ec2 = motoClient(moto.endpoint, credentials);
  const network = await createWorkerNetwork(ec2);
  await createInfrastructure(kc, { platform: 'aws', region: MOTO_REGION });
  await createAwsPeerPodsSettings(kc.makeApiClient(CoreV1Api), OPERATOR_NAMESPACE, network, credentials);
  return { moto, ec2, network, credentials, proxy };
}

/** The backend's settings: ephemeral ports, TLS from the volume, the webhook on or off, the cloud's endpoint. */
function backendEnv(options: ScenarioOptions, volume: SecretVolume, cloudEndpoint: string | undefined) {
  return {
    PORT: '0',
    METRICS_PORT: '0',
    WEBHOOK_PORT: '0',
    TLS_CERT_FILE: volume.certFile,
    TLS_KEY_FILE: volume.keyFile,
    WEBHOOK_CERT_FILE: options.webhook ? volume.certFile : '',
    WEBHOOK_KEY_FILE: options.webhook ? volume.keyFile : '',
    LOG_LEVEL: 'info',
    // No script measures the periodic cloud inventory; one that does sets it back.
    INVENTORY_INTERVAL_SECONDS: '3600',
    ...(cloudEndpoint ? { AWS_ENDPOINT_URL: cloudEndpoint } : {}),
    ...options.backendEnv,
  };
}

/** Resolves when a started backend is ready as options.ready asks. */
function readiness(options: ScenarioOptions, cp: ControlPlane, client: KubeClient) {
  const ca = cp.caCertPem;
  return async (backend: BackendProcess): Promise<void> => {
    if (options.ready === 'serving') {
      await waitUntil(
        `backend ${backend.name} to be ready and serve capacity`,
        async () =>
          (await https(`${backend.metricsUrl}/readyz`, { ca })).status === 200 &&
          (await https(`${backend.url}api/v1/capacity`, { ca, headers: { Authorization: `Bearer ${cp.adminToken}` } }))
            .status === 200,
      );
    } else if (options.ready === 'advertised') {
      await waitUntil(
        `limit ${options.limit} on ${options.nodes.count} nodes`,
        async () => (await nodesAt(client, String(options.limit))).at === options.nodes.count,
        120_000,
        250,
      );
    }
  };
}
