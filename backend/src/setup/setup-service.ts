// Answers GET /api/v1/setup: reads what each check needs with the backend's own client (the
// capacity informers' caches for nodes and pods, the capacity model for advertised capacity and
// unaccounted peer pods, single GETs for the rest, each object read once per report), runs the
// pure checks of checks/ concurrently under a deadline, and returns the checklist.
import type { PortRulesReport, SetupReport } from '../api/contract.ts';
import { NAMESPACE_POLICY_BINDING_NAME, NAMESPACE_POLICY_NAME } from '../api/namespace-policy.ts';
import { DEFAULT_NODE_SELECTOR } from '../capacity/desired.ts';
import type { CapacitySnapshot } from '../capacity/model.ts';
import type { PodView } from '../capacity/objects.ts';
import { isNotFound, type KubeClient } from '../kube/client.ts';
import { checkAdvertisedCapacity } from './checks/advertised-capacity.ts';
import { checkCapacityWriters } from './checks/capacity-writers.ts';
import { checkCloudConfigMap } from './checks/cloud-config-map.ts';
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
  /** Deadline of each check (default 1500 ms): the whole checklist answers within it. */
  checkTimeoutMs?: number;
  /** How long the webhook may take to answer the probe (default 1000 ms). */
  webhookProbeTimeoutMs?: number;
}

interface PeerPodConfigObject {
  spec?: {
    limit?: unknown;
    nodeSelector?: Record<string, string> | null;
    cloudSecretName?: string;
    configMapName?: string;
  };
}

/** Memoises a read for the lifetime of one report. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= read());
}

export class SetupService {
  constructor(private readonly options: SetupServiceOptions) {}

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
    const { peerPodConfig: ref, targetRuntimeClass, extendedResource, capacity } = this.options;
    const ns = ref.namespace;

    const config = once(() =>
      this.get<PeerPodConfigObject>(
        `/apis/confidentialcontainers.org/v1alpha1/namespaces/${ns}/peerpodconfigs/${ref.name}`,
      ),
    );
    const infrastructure = once(() =>
      this.get<InfrastructureFacts>('/apis/config.openshift.io/v1/infrastructures/cluster'),
    );
    const configMapRef = once(async () => ({
      namespace: ns,
      name: (await config())?.spec?.configMapName || 'peer-pods-cm',
    }));
    const secretRef = once(async () => ({
      namespace: ns,
      name: (await config())?.spec?.cloudSecretName || 'peer-pods-secret',
    }));
    const configMapData = once(async () => {
      const { name } = await configMapRef();
      const object = await this.get<{ data?: Record<string, string> }>(
        `/api/v1/namespaces/${ns}/configmaps/${encodeURIComponent(name)}`,
      );
      return object ? (object.data ?? {}) : undefined;
    });
    // Only the names of the keys that have a value leave this function; the values are dropped here.
    const secretKeys = once(async () => {
      const { name } = await secretRef();
      const object = await this.get<{ data?: Record<string, string> }>(
        `/api/v1/namespaces/${ns}/secrets/${encodeURIComponent(name)}`,
      );
      if (!object) return undefined;
      return Object.entries(object.data ?? {})
        .filter(([, value]) => typeof value === 'string' && value.length > 0)
        .map(([key]) => key);
    });
    const nodeSelector = async () => {
      const spec = (await config())?.spec;
      return spec?.nodeSelector ?? DEFAULT_NODE_SELECTOR;
    };
    const keysWithValues = (data: Record<string, string> | undefined) =>
      Object.entries(data ?? {})
        .filter(([, value]) => value.trim() !== '')
        .map(([key]) => key);
    /** The cloud by infrastructure/cluster, else by CLOUD_PROVIDER. */
    const cloud = async (): Promise<CloudPlatform | undefined> => {
      const byInfrastructure = platformOf(await infrastructure().catch(() => undefined));
      if (byInfrastructure && 'cloud' in byInfrastructure) return byInfrastructure.cloud;
      const provider = (await configMapData().catch(() => undefined))?.CLOUD_PROVIDER?.trim().toLowerCase();
      return provider === 'aws' || provider === 'azure' ? provider : undefined;
    };
    const requireSynced = () => {
      if (!capacity.synced()) throw new Error('the backend is still reading the cluster; refresh in a moment');
    };

    const tasks: SetupCheckTask[] = [
      {
        id: 'platform',
        run: async () =>
          checkPlatform({
            infrastructure: await infrastructure(),
            configMapData: await configMapData().catch(() => undefined),
            configMap: await configMapRef(),
          }),
      },
      {
        id: 'worker-nodes',
        run: async () => {
          requireSynced();
          const nodes = [...capacity.nodes()].map((n) => ({ name: n.metadata.name, labels: n.metadata.labels }));
          return checkWorkerNodes({ nodes, nodeSelector: await nodeSelector() });
        },
      },
      {
        id: 'peer-pod-config',
        run: async () => {
          const [object, all] = await Promise.all([
            config(),
            this.get<{ items?: { metadata?: { namespace?: string; name?: string } }[] }>(
              '/apis/confidentialcontainers.org/v1alpha1/peerpodconfigs',
            ),
          ]);
          const elsewhere = (all?.items ?? [])
            .map((item) => `${item.metadata?.namespace ?? ''}/${item.metadata?.name ?? ''}`)
            .filter((id) => !id.startsWith(`${ns}/`))
            .sort();
          return checkPeerPodConfig({ ref, spec: object ? (object.spec ?? {}) : undefined, elsewhere });
        },
      },
      {
        id: 'cloud-secret',
        run: async () =>
          checkCloudSecret({
            ref: await secretRef(),
            platform: await cloud(),
            keysWithValues: await secretKeys(),
            configMapKeys: keysWithValues(await configMapData().catch(() => undefined)),
          }),
      },
      {
        id: 'cloud-config-map',
        run: async () => {
          const infra = await infrastructure().catch(() => undefined);
          const platform = platformOf(infra);
          return checkCloudConfigMap({
            ref: await configMapRef(),
            platform: platform && 'cloud' in platform ? platform.cloud : undefined,
            infrastructureRegion: infra?.status?.platformStatus?.aws?.region?.trim() || undefined,
            infrastructureResourceGroup: infra?.status?.platformStatus?.azure?.resourceGroupName?.trim() || undefined,
            data: await configMapData(),
            secretKeys: (await secretKeys().catch(() => undefined)) ?? [],
          });
        },
      },
      {
        id: 'runtime-class',
        run: async () =>
          checkRuntimeClass({
            name: targetRuntimeClass,
            runtimeClass: await this.get(`/apis/node.k8s.io/v1/runtimeclasses/${targetRuntimeClass}`),
            nodeSelector: await nodeSelector().catch(() => DEFAULT_NODE_SELECTOR),
          }),
      },
      {
        id: 'webhook',
        run: async () => {
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
      },
      {
        id: 'ports',
        run: async () => {
          try {
            return checkPorts({ report: await this.options.ports.status({ includeUdp: false }) });
          } catch (err) {
            return checkPorts({ error: errorText(err) });
          }
        },
      },
      {
        id: 'advertised-capacity',
        run: () =>
          checkAdvertisedCapacity({ synced: capacity.synced(), extendedResource, nodes: capacity.snapshot().nodes }),
      },
      {
        id: 'capacity-writers',
        run: () =>
          checkCapacityWriters({ synced: capacity.synced(), extendedResource, nodes: capacity.snapshot().nodes }),
      },
      {
        id: 'unaccounted-pods',
        run: () => {
          requireSynced();
          return checkUnaccountedPods({ extendedResource, unaccounted: capacity.snapshot().unaccounted });
        },
      },
      {
        id: 'namespace-policy',
        run: async () => {
          const [policy, binding] = await Promise.all([
            this.get(`/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${NAMESPACE_POLICY_NAME}`),
            this.get(
              `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/${NAMESPACE_POLICY_BINDING_NAME}`,
            ),
          ]);
          return checkNamespacePolicy({ policyExists: policy !== undefined, bindingExists: binding !== undefined });
        },
      },
    ];

    const checks = await runChecks(tasks, this.timeoutMs);
    return {
      generatedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      targetRuntimeClass,
      checks,
      peerPodNamespaces: this.peerPodNamespaces(),
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
