// Answers GET /api/v1/setup: reads what each check needs with the backend's own client (the
// capacity informers' caches for nodes and pods, the capacity model for advertised capacity and
// unaccounted peer pods, single GETs for the rest, each object read once per report), runs the
// pure checks of checks/ concurrently under a deadline, and returns the checklist.
import type { CapacityRoom, CapacitySnapshot, PortRulesReport, SetupReport } from '@peer-pods-console/contract';
import { NAMESPACE_POLICY_BINDING_NAME, NAMESPACE_POLICY_NAME } from '@peer-pods-console/contract/namespace-policy';
import { SETUP_CHECK_IDS, type SetupCheckId } from '@peer-pods-console/contract/setup-checks';
import { DEFAULT_NODE_SELECTOR } from '../capacity/desired.ts';
import { findCloudModule } from '../cloud/modules.ts';
import type { PodView } from '../capacity/objects.ts';
import { isNotFound, type KubeClient } from '../kube/client.ts';
import { PeerPodConfigResolver, type ResolvedPeerPodConfig } from '../kube/peer-pod-config-resolver.ts';
import type { SetupReportService } from '../services/types.ts';
import { checkAdaptorLimit } from './checks/adaptor-limit.ts';
import { checkAdvertisedCapacity } from './checks/advertised-capacity.ts';
import { checkCapacityWriters } from './checks/capacity-writers.ts';
import { checkCloudConfigMap } from './checks/cloud-config-map.ts';
import { checkCloudQuota } from './checks/cloud-quota.ts';
import { checkCloudSecret } from './checks/cloud-secret.ts';
import { checkNamespacePolicy } from './checks/namespace-policy.ts';
import { checkPeerPodConfig } from './checks/peer-pod-config.ts';
import { checkPlatform, platformOf, type CloudPlatform, type InfrastructureFacts } from './checks/platform.ts';
import { checkPorts } from './checks/ports.ts';
import { checkRuntimeClass } from './checks/runtime-class.ts';
import { checkUnaccountedPods } from './checks/unaccounted-pods.ts';
import { checkWebhook, chooseWebhook, findPeerPodWebhooks, type WebhookConfigurationFacts } from './checks/webhook.ts';
import { checkWorkerNodes } from './checks/worker-nodes.ts';
import { errorText, runChecks, type SetupCheckTask } from './run-checks.ts';
import { probeWebhook } from './webhook-probe.ts';

/** The capacity feature's live state, as the checks read it (never a list from the API server). */
export interface CapacityFacts {
  snapshot(): Pick<CapacitySnapshot, 'nodes' | 'unaccounted'>;
  /** Whether the node, PeerPodConfig and pod caches have been listed once. */
  synced(): boolean;
  nodes(): Iterable<{ metadata: { name: string; labels: Record<string, string> } }>;
  pods(): Iterable<Pick<PodView, 'metadata' | 'runtimeClassName' | 'terminal'>>;
}

export interface SetupServiceOptions {
  /** The backend's own client (its service account), never the user's. */
  client: KubeClient;
  peerPodConfig: { namespace: string; name: string };
  targetRuntimeClass: string;
  extendedResource: string;
  capacity: CapacityFacts;
  /**
   * The port-rules service (cloud). It shares one reading among all callers and joins one in
   * flight, so a slow answer that missed one report's deadline serves the next.
   */
  ports: { status(request: { includeUdp: boolean }): Promise<PortRulesReport> };
  /** The room service (sizes, vCPU quotas, the promise); caches the cloud's answers for minutes. Absent: the check says unknown. */
  room?: { room(): Promise<CapacityRoom> };
  /** Deadline of each check (default 1500 ms): the whole checklist answers within it. */
  checkTimeoutMs?: number;
  /** How long the webhook may take to answer the probe (default 1000 ms). */
  webhookProbeTimeoutMs?: number;
}

/** The objects one report reads, each at most once, shared by every check that needs it. */
interface ReportReads {
  /** The PeerPodConfig (undefined when missing) and the Secret and ConfigMap it names. */
  peerPodConfig: () => Promise<ResolvedPeerPodConfig>;
  infrastructure: () => Promise<InfrastructureFacts | undefined>;
  /** The ConfigMap's data; undefined when it does not exist. */
  configMapData: () => Promise<Record<string, string> | undefined>;
  /** Names of the Secret's keys that have a value; undefined when it does not exist. */
  secretKeys: () => Promise<string[] | undefined>;
  nodeSelector: () => Promise<Record<string, string>>;
  /** The cloud by infrastructure/cluster, else by CLOUD_PROVIDER. */
  cloud: () => Promise<CloudPlatform | undefined>;
}

type CheckRuns<Id extends SetupCheckId> = Record<Id, SetupCheckTask['run']>;

/** Memoises a read for the lifetime of one report. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= read());
}

const keysWithValues = (data: Record<string, string> | undefined) =>
  Object.entries(data ?? {})
    .filter(([, value]) => value.trim() !== '')
    .map(([key]) => key);

export class SetupService implements SetupReportService {
  private readonly resolver: PeerPodConfigResolver;

  constructor(private readonly options: SetupServiceOptions) {
    this.resolver = new PeerPodConfigResolver(options.client, options.peerPodConfig, this.timeoutMs);
  }

  private get timeoutMs(): number {
    return this.options.checkTimeoutMs ?? 1500;
  }

  /** GET of one object; undefined when it does not exist. */
  private async get<T>(path: string): Promise<T | undefined> {
    try {
      return await this.options.client.request<T>({ method: 'GET', path, timeoutMs: this.timeoutMs });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async report(): Promise<SetupReport> {
    const started = performance.now();
    const reads = this.readOnce();
    const runs: CheckRuns<SetupCheckId> = {
      ...this.clusterChecks(reads),
      ...this.cloudChecks(reads),
      ...this.admissionChecks(),
      ...this.capacityChecks(),
    };
    const checks = await runChecks(
      SETUP_CHECK_IDS.map((id) => ({ id, run: runs[id] })),
      this.timeoutMs,
    );
    return {
      generatedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      targetRuntimeClass: this.options.targetRuntimeClass,
      checks,
      peerPodNamespaces: this.peerPodNamespaces(),
    };
  }

  private readOnce(): ReportReads {
    const peerPodConfig = once(() => this.resolver.resolve());
    const infrastructure = once(() =>
      this.get<InfrastructureFacts>('/apis/config.openshift.io/v1/infrastructures/cluster'),
    );
    const configMapData = once(async () => {
      const object = await this.resolver.readConfigMap((await peerPodConfig()).configMap);
      return object ? (object.data ?? {}) : undefined;
    });
    // Only the names of the keys that have a value leave this function; the values are dropped here.
    const secretKeys = once(async () => {
      const object = await this.resolver.readSecret((await peerPodConfig()).secret);
      if (!object) return undefined;
      return Object.entries(object.data ?? {})
        .filter(([, value]) => typeof value === 'string' && value.length > 0)
        .map(([key]) => key);
    });
    const nodeSelector = async () => (await peerPodConfig()).config?.spec?.nodeSelector ?? DEFAULT_NODE_SELECTOR;
    const cloud = async (): Promise<CloudPlatform | undefined> => {
      const byInfrastructure = platformOf(await infrastructure().catch(() => undefined));
      if (byInfrastructure && 'cloud' in byInfrastructure) return byInfrastructure.cloud;
      const provider = (await configMapData().catch(() => undefined))?.CLOUD_PROVIDER?.trim().toLowerCase();
      return findCloudModule(provider)?.id;
    };
    return { peerPodConfig, infrastructure, configMapData, secretKeys, nodeSelector, cloud };
  }

  private requireSynced(): void {
    if (!this.options.capacity.synced()) {
      throw new Error('the backend is still reading the cluster; refresh in a moment');
    }
  }

  /** The platform, the workers, the PeerPodConfig and the RuntimeClass. */
  private clusterChecks(
    reads: ReportReads,
  ): CheckRuns<'platform' | 'worker-nodes' | 'peer-pod-config' | 'runtime-class'> {
    const { peerPodConfig: ref, targetRuntimeClass, capacity } = this.options;
    return {
      platform: async () =>
        checkPlatform({
          infrastructure: await reads.infrastructure(),
          configMapData: await reads.configMapData().catch(() => undefined),
          configMap: (await reads.peerPodConfig()).configMap,
        }),
      'worker-nodes': async () => {
        this.requireSynced();
        const nodes = [...capacity.nodes()].map((n) => ({ name: n.metadata.name, labels: n.metadata.labels }));
        return checkWorkerNodes({ nodes, nodeSelector: await reads.nodeSelector() });
      },
      'peer-pod-config': async () => {
        const [{ config }, all] = await Promise.all([
          reads.peerPodConfig(),
          this.get<{ items?: { metadata?: { namespace?: string; name?: string } }[] }>(
            '/apis/confidentialcontainers.org/v1alpha1/peerpodconfigs',
          ),
        ]);
        const elsewhere = (all?.items ?? [])
          .map((item) => `${item.metadata?.namespace ?? ''}/${item.metadata?.name ?? ''}`)
          .filter((id) => !id.startsWith(`${ref.namespace}/`))
          .sort();
        return checkPeerPodConfig({ ref, spec: config ? (config.spec ?? {}) : undefined, elsewhere });
      },
      'runtime-class': async () =>
        checkRuntimeClass({
          name: targetRuntimeClass,
          runtimeClass: await this.get(`/apis/node.k8s.io/v1/runtimeclasses/${targetRuntimeClass}`),
          nodeSelector: await reads.nodeSelector().catch(() => DEFAULT_NODE_SELECTOR),
        }),
    };
  }

  /** The cloud's Secret and ConfigMap, and the port rules in the cloud. */
  private cloudChecks(
    reads: ReportReads,
  ): CheckRuns<'cloud-secret' | 'cloud-config-map' | 'ports' | 'adaptor-limit' | 'cloud-quota'> {
    return {
      'adaptor-limit': async () => {
        const { config, configMap } = await reads.peerPodConfig();
        return checkAdaptorLimit({ configMap, data: await reads.configMapData(), limit: config?.spec?.limit });
      },
      'cloud-quota': async () => {
        const { room } = this.options;
        if (!room) return checkCloudQuota({ error: 'this backend does not read the cloud quotas' });
        try {
          return checkCloudQuota({ room: await room.room() });
        } catch (err) {
          return checkCloudQuota({ error: errorText(err) });
        }
      },
      'cloud-secret': async () =>
        checkCloudSecret({
          ref: (await reads.peerPodConfig()).secret,
          platform: await reads.cloud(),
          keysWithValues: await reads.secretKeys(),
          configMapKeys: keysWithValues(await reads.configMapData().catch(() => undefined)),
        }),
      'cloud-config-map': async () => {
        const infra = await reads.infrastructure().catch(() => undefined);
        const platform = platformOf(infra);
        return checkCloudConfigMap({
          ref: (await reads.peerPodConfig()).configMap,
          platform: platform && 'cloud' in platform ? platform.cloud : undefined,
          infrastructure: infra,
          data: await reads.configMapData(),
          secretKeys: (await reads.secretKeys().catch(() => undefined)) ?? [],
        });
      },
      ports: async () => {
        try {
          return checkPorts({ report: await this.options.ports.status({ includeUdp: false }) });
        } catch (err) {
          return checkPorts({ error: errorText(err) });
        }
      },
    };
  }

  /** What the API server admits peer pods with: the webhook, called as it would be, and the namespace policy. */
  private admissionChecks(): CheckRuns<'webhook' | 'namespace-policy'> {
    return {
      webhook: async () => {
        const list = await this.options.client.request<{ items?: WebhookConfigurationFacts[] }>({
          method: 'GET',
          path: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
          timeoutMs: this.timeoutMs,
        });
        const webhooks = findPeerPodWebhooks(list.items ?? []);
        const chosen = chooseWebhook(webhooks);
        const probe = chosen?.caBundlePem
          ? await probeWebhook(chosen.url, chosen.caBundlePem, this.options.webhookProbeTimeoutMs ?? 1000)
          : undefined;
        return checkWebhook({ webhooks, probe });
      },
      'namespace-policy': async () => {
        const [policy, binding] = await Promise.all([
          this.get(`/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${NAMESPACE_POLICY_NAME}`),
          this.get(
            `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/${NAMESPACE_POLICY_BINDING_NAME}`,
          ),
        ]);
        return checkNamespacePolicy({ policyExists: policy !== undefined, bindingExists: binding !== undefined });
      },
    };
  }

  /** From the capacity model: advertised capacity, its other writers, unaccounted peer pods. */
  private capacityChecks(): CheckRuns<'advertised-capacity' | 'capacity-writers' | 'unaccounted-pods'> {
    const { capacity, extendedResource } = this.options;
    return {
      'advertised-capacity': () =>
        checkAdvertisedCapacity({ synced: capacity.synced(), extendedResource, nodes: capacity.snapshot().nodes }),
      'capacity-writers': () =>
        checkCapacityWriters({ synced: capacity.synced(), extendedResource, nodes: capacity.snapshot().nodes }),
      'unaccounted-pods': () => {
        this.requireSynced();
        return checkUnaccountedPods({ extendedResource, unaccounted: capacity.snapshot().unaccounted });
      },
    };
  }

  /** Namespaces with non-terminal pods of the target runtime class, from the informer cache. */
  private peerPodNamespaces(): SetupReport['peerPodNamespaces'] {
    const counts = new Map<string, number>();
    for (const pod of this.options.capacity.pods()) {
      if (pod.terminal || pod.runtimeClassName !== this.options.targetRuntimeClass) continue;
      counts.set(pod.metadata.namespace, (counts.get(pod.metadata.namespace) ?? 0) + 1);
    }
    return [...counts]
      .map(([namespace, pods]) => ({ namespace, pods }))
      .sort((a, b) => a.namespace.localeCompare(b.namespace));
  }
}
