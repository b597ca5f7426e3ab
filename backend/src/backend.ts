// Wires the backend together from a validated Config: logger, metrics, the capacity controller
// (informers, model, reconciler under leader election), cloud VM management, the REST API and
// plugin assets on one HTTPS port (the one the console's plugin proxy reaches), the admission
// webhook on its own lean HTTPS port, and /healthz, /readyz and /metrics on a third (the health
// port, for the kubelet's probes and Prometheus).
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import type { Router } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createCapacityController, type CapacityController } from './capacity/controller.ts';
import { registerModelGauges } from './capacity/model-metrics.ts';
import type { InventoryReport } from './cloud/index.ts';
import { createCloudMetrics, type CloudMetrics } from './cloud/metrics.ts';
import type { Config } from './config.ts';
import { KubeClient } from './kube/client.ts';
import { EventRecorder } from './kube/events.ts';
import { createLogger, type Logger } from './logging.ts';
import { createApiRouter } from './server/api.ts';
import { createApp } from './server/app.ts';
import type { CacheName } from './server/cache-gate.ts';
import { createHealthHandler } from './server/health.ts';
import { AccessReviewer } from './server/auth.ts';
import { Readiness } from './server/readiness.ts';
import { ModelCapacityService } from './services/capacity-service.ts';
import { CloudService, type CloudServiceOptions } from './services/cloud-service.ts';
import { RoomService } from './services/room-service.ts';
import { EventHistoryService } from './services/history-service.ts';
import { LimitService } from './services/limit-service.ts';
import { StuckService } from './services/stuck-service.ts';
import { SetupService } from './setup/setup-service.ts';
import { CertificateWatcher, loadCertificatePairSync, secureContextOptions } from './webhook/serving-certificate.ts';
import { readClusterTls, type TlsSettings } from './server/tls-profile.ts';
import { createWebhookServer, type WebhookServer } from './webhook/server.ts';

export interface RunningBackend {
  config: Config;
  server: Server;
  /** Base URL of the API and assets, e.g. https://127.0.0.1:9001/ */
  url: string;
  webhookUrl?: string;
  /** Base URL of /healthz, /readyz and /metrics, e.g. https://127.0.0.1:9444 */
  metricsUrl: string;
  capacity: CapacityController;
  cloud: CloudService;
  logger: Logger;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where log lines go (tests capture them); default stdout. */
  logDestination?: Parameters<typeof createLogger>[1];
  /** Extra CA certificates the Azure clients trust (test ARM servers). */
  azureCaCertificates?: string;
}

function loadKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromCluster();
  return kc;
}

/** What every part is built from. */
interface Foundation {
  config: Config;
  logger: Logger;
  readiness: Readiness;
  registry: Registry;
  kubeConfig: KubeConfig;
  /** The backend's own client for cloud settings, the setup checklist, Events and start-up reads. */
  kubeClient: KubeClient;
  identity: string;
}

interface Services {
  capacity: CapacityController;
  cloud: CloudService;
  /** Sizes and vCPU quotas against what the limits promise. */
  room: RoomService;
  setup: SetupService;
  /** Stuck peer pods; its countStuck() is what a stuck-pods metric reads. */
  stuck: StuckService;
}

interface Servers {
  /** The API and the plugin's assets. */
  api: Server;
  /** /healthz, /readyz and /metrics. */
  health: Server;
  tls: boolean;
  certificateWatcher?: CertificateWatcher;
}

interface OpenPorts {
  url: string;
  metricsUrl: string;
  webhook?: WebhookServer;
  webhookUrl?: string;
}

export async function startBackend(config: Config, options: StartOptions = {}): Promise<RunningBackend> {
  const foundation = await createFoundation(config, options);
  const { logger, readiness } = foundation;
  const services = await createServices(foundation);
  const tlsSettings = await readTlsSettings(foundation);
  const servers = createServers(foundation, await createApi(foundation, services), tlsSettings);
  const ports = await openPorts(foundation, servers, tlsSettings);
  const { url, webhookUrl, metricsUrl } = ports;
  startInformers(foundation, services);
  readiness.set('serving', true, `API, ${webhookUrl ? 'webhook and ' : ''}health ports open`);
  logger.info({ url, tls: servers.tls, webhook: webhookUrl ?? 'off', metrics: metricsUrl }, 'backend listening');
  const stop = shutdown(foundation, services, servers, ports);
  const { capacity, cloud } = services;
  return { config, server: servers.api, url, webhookUrl, metricsUrl, capacity, cloud, logger, stop };
}

async function createFoundation(config: Config, options: StartOptions): Promise<Foundation> {
  const logger = createLogger(config.logLevel, options.logDestination);
  const readiness = new Readiness();
  // The only gating check besides shutdown: every port listens. The informer caches are reported
  // but never gate (the webhook, behind the same pod readiness, reads none of them).
  readiness.register('serving', 'opening the API, webhook and health ports');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const kubeConfig = loadKubeConfig(config.kubeconfig);
  const identity = config.identity || `${hostname()}-${process.pid}`;
  const kubeClient = await KubeClient.create(kubeConfig, { userAgent: 'peer-pods-console/cloud' });
  return { config, logger, readiness, registry, kubeConfig, kubeClient, identity };
}

/** The capacity controller (informers, model, reconciler), cloud VM management, the setup checklist. */
async function createServices(foundation: Foundation): Promise<Services> {
  const { config, logger, registry, readiness, kubeConfig, kubeClient, identity } = foundation;
  const peerPodConfig = { namespace: config.peerPodConfigNamespace, name: config.peerPodConfigName };
  const capacity = await createCapacityController({
    kubeConfig,
    logger,
    targetRuntimeClass: config.targetRuntimeClass,
    extendedResource: config.extendedResource,
    defaultConfig: peerPodConfig,
    leaderElection: {
      enabled: config.leaderElection,
      identity,
      namespace: config.leaseNamespace || config.peerPodConfigNamespace,
    },
    metricsRegistry: registry,
    readiness: readiness.informational(),
  });
  const cloudMetrics = createCloudMetrics(foundation.registry);
  // The room describes the sizes the inventory shows; it reads the cloud the inventory's service loads.
  const room: RoomService = new RoomService({
    loadCloud: () => cloud.loadedCloud(),
    snapshot: () => capacity.model.snapshot(),
    logger: logger.child({ feature: 'room' }),
    onCloudRead: (read) => cloudMetrics.recordRoomRead(read),
  });
  const cloud = createCloudService(foundation, capacity, cloudMetrics, {
    learn: (provider, names) => room.learnSizes(names, provider),
    sizeOf: (name) => room.sizeOf(name),
  });
  const { informers } = capacity;
  const setup = new SetupService({
    client: kubeClient,
    peerPodConfig,
    targetRuntimeClass: config.targetRuntimeClass,
    extendedResource: config.extendedResource,
    capacity: {
      snapshot: () => capacity.model.snapshot(),
      synced: () => informers.nodes.hasSynced() && informers.configs.hasSynced() && informers.pods.hasSynced(),
      nodes: () => informers.nodes.values(),
      pods: () => informers.pods.values(),
    },
    ports: cloud,
    room,
  });
  const stuck = new StuckService({
    client: kubeClient,
    logger: logger.child({ feature: 'stuck' }),
    pods: () => informers.pods.values(),
    model: capacity.model,
    graceSeconds: config.stuckGraceSeconds,
  });
  // Per-node and cluster gauges read the live model and the stuck pods at scrape time (capacity/model-metrics.ts).
  registerModelGauges(registry, { snapshot: () => capacity.model.snapshot(), stuck });
  return { capacity, cloud, room, setup, stuck };
}

/** The REST API over the services, each request reviewed as its user by the backend's own client. */
async function createApi(
  { config, kubeConfig, kubeClient, logger, identity }: Foundation,
  { capacity, cloud, room, setup, stuck }: Services,
): Promise<Router> {
  const { informers } = capacity;
  const cacheWords: Record<CacheName, [string, { hasSynced(): boolean }]> = {
    nodes: ['nodes', informers.nodes],
    peerPodConfigs: ['PeerPodConfigs', informers.configs],
    pods: ['pods', informers.pods],
    peerPods: ['PeerPods', informers.peerPods],
  };
  return createApiRouter({
    reviewer: new AccessReviewer({
      client: await KubeClient.create(kubeConfig, { userAgent: 'peer-pods-console/auth' }),
    }),
    services: {
      capacity: new ModelCapacityService({ model: capacity.model, orphanCount: () => cloud.orphanCount() }),
      vms: cloud,
      ports: cloud,
      room,
      setup,
      stuck,
      peerPodConfigNamespace: config.peerPodConfigNamespace,
      cloudCredential: () => cloud.cloudCredential(),
      caches: {
        loading: (names) => names.filter((name) => !cacheWords[name][1].hasSynced()).map((name) => cacheWords[name][0]),
      },
      // Written and read with the user's own token; the Events recorded with the backend's identity.
      limits: new LimitService({
        client: kubeClient,
        recorder: new EventRecorder({ client: kubeClient, logger, component: 'peer-pods-console', instance: identity }),
        logger: logger.child({ feature: 'limits' }),
      }),
      history: new EventHistoryService({
        client: kubeClient,
        peerPodConfigNamespace: config.peerPodConfigNamespace,
        component: 'peer-pods-console',
      }),
    },
  });
}

/** Every port follows the cluster's tlsSecurityProfile (APIServer cluster), read once at start. */
async function readTlsSettings({ kubeClient, logger }: Foundation): Promise<TlsSettings> {
  const settings = await readClusterTls((path) =>
    kubeClient.request<{ spec?: { tlsSecurityProfile?: { type?: string } } }>({
      method: 'GET',
      path,
      timeoutMs: 10_000,
    }),
  );
  logger.info({ tls: { minVersion: settings.minVersion, source: settings.source } }, 'TLS settings');
  return settings;
}

function createCloudService(
  foundation: Foundation,
  capacity: CapacityController,
  cloudMetrics: CloudMetrics,
  sizes: CloudServiceOptions['sizes'],
): CloudService {
  const { config, logger, kubeClient, identity } = foundation;
  const { informers } = capacity;
  return new CloudService({
    sizes,
    client: kubeClient,
    logger: logger.child({ feature: 'cloud' }),
    recorder: new EventRecorder({ client: kubeClient, logger, component: 'peer-pods-console', instance: identity }),
    peerPodConfig: { namespace: config.peerPodConfigNamespace, name: config.peerPodConfigName },
    awsEndpoint: config.awsEndpoint,
    // Unset ('') means: the endpoints of the cluster's own Azure cloud (cloud/settings.ts).
    azureArmEndpoint: config.azureArmEndpoint || undefined,
    azureAuthorityHost: config.azureAuthorityHost || undefined,
    orphanGraceMs: config.orphanGraceSeconds * 1000,
    inventoryIntervalMs: config.inventoryIntervalSeconds * 1000,
    pods: () => informers.pods.values(),
    peerPods: () => informers.peerPods.values(),
    claimsNow: async () => {
      const [pods, peerPods] = await Promise.all([informers.pods.listNow(), informers.peerPods.listNow()]);
      return { pods, peerPods };
    },
    claimsSynced: () => informers.pods.hasSynced() && informers.peerPods.hasSynced(),
    onInventory: (report) => {
      capacity.model.setVms(vmsByNode(report));
      cloudMetrics.setInventory(report);
    },
    onCloudError: (failure) => cloudMetrics.recordError(failure),
  });
}

/** The inventory's VMs per node, as the capacity model shows them. */
function vmsByNode(report: InventoryReport) {
  const byNode: Record<
    string,
    { id: string; name: string; state?: string; instanceType?: string; pod?: { namespace: string; name: string } }[]
  > = {};
  for (const entry of report.vms) {
    if (!entry.nodeName) continue;
    (byNode[entry.nodeName] ??= []).push({
      id: entry.vm.id,
      name: entry.vm.name,
      state: entry.vm.state,
      instanceType: entry.vm.instanceType,
      pod: entry.pod ? { namespace: entry.pod.namespace, name: entry.pod.name } : undefined,
    });
  }
  return byNode;
}

/**
 * The API port and the health port: HTTPS with the serving certificate (the Service's, from the
 * service CA, which the console and the cluster's Prometheus trust), swapped in place when the
 * files rotate.
 */
function createServers(foundation: Foundation, api: Router, tlsSettings: TlsSettings): Servers {
  const { config, logger, readiness, registry } = foundation;
  const app = createApp({ logger, basePath: config.basePath, pluginAssetsDir: config.pluginAssetsDir, api });
  const healthHandler = createHealthHandler({ readiness, metricsRegistry: registry, logger });
  const servers: Servers = config.tlsCertFile
    ? createHttpsServers(foundation, app, healthHandler, tlsSettings)
    : { api: createHttpServer(app), health: createHttpServer(healthHandler), tls: false };
  servers.api.requestTimeout = 60_000;
  servers.api.headersTimeout = 20_000;
  servers.api.keepAliveTimeout = 65_000;
  // Probes and scrapes are small and answered at once.
  servers.health.requestTimeout = 10_000;
  servers.health.headersTimeout = 10_000;
  return servers;
}

function createHttpsServers(
  { config, logger }: Foundation,
  app: RequestListener,
  healthHandler: RequestListener,
  tlsSettings: TlsSettings,
): Servers {
  const pair = loadCertificatePairSync(config.tlsCertFile, config.tlsKeyFile);
  const api = createHttpsServer(secureContextOptions(pair, tlsSettings), app);
  const health = createHttpsServer(secureContextOptions(pair, tlsSettings), healthHandler);
  const certificateWatcher = new CertificateWatcher({
    certFile: config.tlsCertFile,
    keyFile: config.tlsKeyFile,
    current: pair,
    intervalMs: 10_000,
    onChange: (next) => {
      api.setSecureContext(secureContextOptions(next, tlsSettings));
      health.setSecureContext(secureContextOptions(next, tlsSettings));
      logger.info('API serving certificate reloaded');
    },
    onError: (err) => logger.warn({ err: err.message }, 'API serving certificate not reloaded'),
  });
  certificateWatcher.start();
  return { api, health, tls: true, certificateWatcher };
}

/** The health port first, so that /readyz can say what is still opening; then the webhook's; the API's last. */
async function openPorts(
  { config, logger, registry }: Foundation,
  servers: Servers,
  tlsSettings: TlsSettings,
): Promise<OpenPorts> {
  const listening = (server: Server, port: number, what: string) =>
    listen(server, { host: config.host, port, what, tls: servers.tls });
  const metricsUrl = await listening(servers.health, config.metricsPort, 'health and metrics port');
  const webhook = config.webhookCertFile
    ? createWebhookServer({
        port: config.webhookPort,
        host: config.host,
        certFile: config.webhookCertFile,
        keyFile: config.webhookKeyFile,
        targetRuntimeClass: config.targetRuntimeClass,
        extendedResource: config.extendedResource,
        excludedNamespaces: config.webhookExcludedNamespaces,
        logger: logger.child({ feature: 'webhook' }),
        metricsRegistry: registry,
        tls: tlsSettings,
      })
    : undefined;
  const webhookUrl = webhook ? (await webhook.listen()).url : undefined;
  const url = `${await listening(servers.api, config.port, 'API port')}${config.basePath}`;
  return { url, metricsUrl, webhook, webhookUrl };
}

/** Listens on host:port; resolves with the base URL it is reached at, or rejects naming the port. */
async function listen(
  server: Server,
  { host, port, what, tls }: { host: string; port: number; what: string; tls: boolean },
): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(new Error(`the ${what} cannot listen on ${host}:${port}: ${error.code ?? error.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return `${tls ? 'https' : 'http'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`;
}

/**
 * Informers start after the ports are open. They do not gate readiness: until they have synced,
 * /readyz reports them as informational and the API routes that read them answer 503.
 */
function startInformers({ logger }: Foundation, { capacity, cloud }: Services): void {
  void capacity.start().then(
    () => cloud.start(),
    (err: unknown) => logger.error({ err }, 'capacity controller failed to start'),
  );
}

/** Stops once, however often called: API and webhook first, the health port last, then the controllers. */
function shutdown(
  { config, logger, readiness }: Foundation,
  { capacity, cloud }: Services,
  servers: Servers,
  ports: OpenPorts,
): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      readiness.markShuttingDown();
      logger.info('shutting down: no new connections, finishing in-flight requests and admissions');
      await Promise.all([closeServer(servers.api, config.shutdownTimeoutSeconds * 1000), ports.webhook?.close()]);
      // The health port closes last: until then the kubelet reads "shutting down" from /readyz.
      await closeServer(servers.health, 2_000);
      servers.certificateWatcher?.stop();
      cloud.stop();
      await capacity.stop({ releaseLease: true });
      logger.info('stopped');
    })());
}

/** Stops accepting, lets in-flight requests finish, and cuts what is still open after `graceMs`. */
async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
