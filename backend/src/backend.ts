// Wires the backend together from a validated Config: logger, metrics, the capacity controller
// (informers, model, reconciler under leader election), cloud VM management, the REST API and
// plugin assets on one HTTPS port (the one the console's plugin proxy reaches), the admission
// webhook on its own lean HTTPS port, and /healthz, /readyz and /metrics on a third (the health
// port, for the kubelet's probes and Prometheus).
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createCapacityController, type CapacityController } from './capacity/controller.ts';
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
import { CloudService } from './services/cloud-service.ts';
import { SetupService } from './setup/setup-service.ts';
import { CertificateWatcher, loadCertificatePairSync, secureContextOptions } from './webhook/serving-certificate.ts';
import { readClusterTls } from './server/tls-profile.ts';
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

export async function startBackend(config: Config, options: StartOptions = {}): Promise<RunningBackend> {
  const logger = createLogger(config.logLevel, options.logDestination);
  const readiness = new Readiness();
  // The only gating check besides shutdown: every port listens. The informer caches are reported
  // but never gate (the webhook, behind the same pod readiness, reads none of them).
  readiness.register('serving', 'opening the API, webhook and health ports');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const kubeConfig = loadKubeConfig(config.kubeconfig);
  const identity = config.identity || `${hostname()}-${process.pid}`;

  const capacity = await createCapacityController({
    kubeConfig,
    logger,
    targetRuntimeClass: config.targetRuntimeClass,
    extendedResource: config.extendedResource,
    defaultConfig: { namespace: config.peerPodConfigNamespace, name: config.peerPodConfigName },
    leaderElection: {
      enabled: config.leaderElection,
      identity,
      namespace: config.leaseNamespace || config.peerPodConfigNamespace,
    },
    metricsRegistry: registry,
    readiness: readiness.informational(),
  });

  const kubeClient = await KubeClient.create(kubeConfig, { userAgent: 'peer-pods-console/cloud' });
  const cloud = new CloudService({
    kubeConfig,
    logger: logger.child({ feature: 'cloud' }),
    recorder: new EventRecorder({ client: kubeClient, logger, component: 'peer-pods-console', instance: identity }),
    peerPodConfig: { namespace: config.peerPodConfigNamespace, name: config.peerPodConfigName },
    awsEndpoint: config.awsEndpoint,
    // Unset ('') means: the endpoints of the cluster's own Azure cloud (cloud/settings.ts).
    azureArmEndpoint: config.azureArmEndpoint || undefined,
    azureAuthorityHost: config.azureAuthorityHost || undefined,
    orphanGraceMs: config.orphanGraceSeconds * 1000,
    inventoryIntervalMs: config.inventoryIntervalSeconds * 1000,
    pods: () => capacity.informers.pods.values(),
    peerPods: () => capacity.informers.peerPods.values(),
    claimsNow: async () => {
      const [pods, peerPods] = await Promise.all([
        capacity.informers.pods.listNow(),
        capacity.informers.peerPods.listNow(),
      ]);
      return { pods, peerPods };
    },
    claimsSynced: () => capacity.informers.pods.hasSynced() && capacity.informers.peerPods.hasSynced(),
    onInventory: (report) => {
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
      capacity.model.setVms(byNode);
    },
  });
  const capacityService = new ModelCapacityService({ model: capacity.model, orphanCount: () => cloud.orphanCount() });

  const { informers } = capacity;
  const setup = new SetupService({
    client: kubeClient,
    peerPodConfig: { namespace: config.peerPodConfigNamespace, name: config.peerPodConfigName },
    targetRuntimeClass: config.targetRuntimeClass,
    extendedResource: config.extendedResource,
    capacity: {
      snapshot: () => capacity.model.snapshot(),
      synced: () => informers.nodes.hasSynced() && informers.configs.hasSynced() && informers.pods.hasSynced(),
      nodes: () => informers.nodes.values(),
      pods: () => informers.pods.values(),
    },
    ports: cloud,
  });

  const cacheWords: Record<CacheName, [string, { hasSynced(): boolean }]> = {
    nodes: ['nodes', informers.nodes],
    peerPodConfigs: ['PeerPodConfigs', informers.configs],
    pods: ['pods', informers.pods],
    peerPods: ['PeerPods', informers.peerPods],
  };
  const api = createApiRouter({
    reviewer: new AccessReviewer({ kubeConfig }),
    services: {
      capacity: capacityService,
      vms: cloud,
      ports: cloud,
      setup,
      peerPodConfigNamespace: config.peerPodConfigNamespace,
      cloudCredential: () => cloud.cloudCredential(),
      caches: {
        loading: (names) => names.filter((name) => !cacheWords[name][1].hasSynced()).map((name) => cacheWords[name][0]),
      },
    },
  });
  const app = createApp({ logger, basePath: config.basePath, pluginAssetsDir: config.pluginAssetsDir, api });
  const healthHandler = createHealthHandler({ readiness, metricsRegistry: registry, logger });

  // Every port follows the cluster's tlsSecurityProfile (APIServer cluster), read once at start.
  const tlsSettings = await readClusterTls((path) =>
    kubeClient.request<{ spec?: { tlsSecurityProfile?: { type?: string } } }>({
      method: 'GET',
      path,
      timeoutMs: 10_000,
    }),
  );
  logger.info({ tls: { minVersion: tlsSettings.minVersion, source: tlsSettings.source } }, 'TLS settings');

  // The API port and the health port: HTTPS with the serving certificate (the Service's, from the
  // service CA, which the console and the cluster's Prometheus trust), swapped in place when the
  // files rotate.
  const tls = Boolean(config.tlsCertFile);
  let certificateWatcher: CertificateWatcher | undefined;
  let server: Server;
  let healthServer: Server;
  if (tls) {
    const pair = loadCertificatePairSync(config.tlsCertFile, config.tlsKeyFile);
    const httpsServer = createHttpsServer(secureContextOptions(pair, tlsSettings), app);
    const httpsHealthServer = createHttpsServer(secureContextOptions(pair, tlsSettings), healthHandler);
    certificateWatcher = new CertificateWatcher({
      certFile: config.tlsCertFile,
      keyFile: config.tlsKeyFile,
      current: pair,
      intervalMs: 10_000,
      onChange: (next) => {
        httpsServer.setSecureContext(secureContextOptions(next, tlsSettings));
        httpsHealthServer.setSecureContext(secureContextOptions(next, tlsSettings));
        logger.info('API serving certificate reloaded');
      },
      onError: (err) => logger.warn({ err: err.message }, 'API serving certificate not reloaded'),
    });
    certificateWatcher.start();
    server = httpsServer;
    healthServer = httpsHealthServer;
  } else {
    server = createHttpServer(app);
    healthServer = createHttpServer(healthHandler);
  }
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 65_000;
  // Probes and scrapes are small and answered at once.
  healthServer.requestTimeout = 10_000;
  healthServer.headersTimeout = 10_000;

  const listen = async (listener: Server, port: number, what: string): Promise<string> => {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) =>
        reject(new Error(`the ${what} cannot listen on ${config.host}:${port}: ${error.code ?? error.message}`));
      listener.once('error', onError);
      listener.listen(port, config.host, () => {
        listener.off('error', onError);
        resolve();
      });
    });
    const address = listener.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    return `${tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${bound}`;
  };
  // The health port first, so that /readyz can say what is still opening.
  const metricsUrl = await listen(healthServer, config.metricsPort, 'health and metrics port');

  let webhook: WebhookServer | undefined;
  let webhookUrl: string | undefined;
  if (config.webhookCertFile) {
    webhook = createWebhookServer({
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
    });
    webhookUrl = (await webhook.listen()).url;
  }

  const url = `${await listen(server, config.port, 'API port')}${config.basePath}`;

  // Informers start after the ports are open. They do not gate readiness: until they have synced,
  // /readyz reports them as informational and the API routes that read them answer 503.
  void capacity.start().then(
    () => cloud.start(),
    (err: unknown) => logger.error({ err }, 'capacity controller failed to start'),
  );
  readiness.set('serving', true, `API, ${webhookUrl ? 'webhook and ' : ''}health ports open`);
  logger.info({ url, tls, webhook: webhookUrl ?? 'off', metrics: metricsUrl }, 'backend listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      readiness.markShuttingDown();
      logger.info('shutting down: no new connections, finishing in-flight requests and admissions');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutSeconds * 1000);
      timer.unref();
      await Promise.all([closed, webhook?.close()]);
      clearTimeout(timer);
      // The health port closes last: until then the kubelet reads "shutting down" from /readyz.
      const healthClosed = new Promise<void>((resolve) => healthServer.close(() => resolve()));
      healthServer.closeIdleConnections();
      const healthTimer = setTimeout(() => healthServer.closeAllConnections(), 2_000);
      healthTimer.unref();
      await healthClosed;
      clearTimeout(healthTimer);
      certificateWatcher?.stop();
      cloud.stop();
      await capacity.stop({ releaseLease: true });
      logger.info('stopped');
    })());
  return { config, server, url, webhookUrl, metricsUrl, capacity, cloud, logger, stop };
}
