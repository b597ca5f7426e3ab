// Objects the product reads, installed into a test or demo control plane: the upstream CRDs
// (schema copies in hack/crds), the RuntimeClass and operator namespace of OpenShift sandboxed
// containers, and fixtures for worker nodes, the Infrastructure and the PeerPodConfig.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiException,
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  NodeV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1CustomResourceDefinition,
  type V1Node,
} from '@kubernetes/client-node';
import { load } from 'js-yaml';

const crdDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'crds');

export const OPERATOR_NAMESPACE = 'openshift-sandboxed-containers-operator';
export const PEERPODCONFIG_NAME = 'peerpodconfig-openshift';
export const KATA_NODE_LABEL = 'node-role.kubernetes.io/kata-oc';
export const RUNTIME_CLASS = 'kata-remote';
export const PEERPOD_RESOURCE = 'kata.peerpods.io/vm';

function isStatus(err: unknown, code: number): boolean {
  return err instanceof ApiException && err.code === code;
}

async function ignoreExists<T>(create: () => Promise<T>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!isStatus(err, 409)) throw err;
  }
}

export function loadCrds(): V1CustomResourceDefinition[] {
  return readdirSync(crdDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => load(readFileSync(join(crdDir, f), 'utf8')) as V1CustomResourceDefinition);
}

export async function installCrds(kc: KubeConfig): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const crds = loadCrds();
  await Promise.all(crds.map((body) => ignoreExists(() => api.createCustomResourceDefinition({ body }))));
  const deadline = Date.now() + 30_000;
  for (const crd of crds) {
    const name = crd.metadata!.name!;
    for (;;) {
      const current = await api.readCustomResourceDefinition({ name });
      if (current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not Established within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** CRDs, the operator namespace and the RuntimeClass `kata-remote` with the upstream pod overhead. */
export async function installBaseObjects(kc: KubeConfig): Promise<void> {
  await installCrds(kc);
  const core = kc.makeApiClient(CoreV1Api);
  await ignoreExists(() => core.createNamespace({ body: { metadata: { name: OPERATOR_NAMESPACE } } }));
  await ignoreExists(() =>
    kc.makeApiClient(NodeV1Api).createRuntimeClass({
      body: {
        apiVersion: 'node.k8s.io/v1',
        kind: 'RuntimeClass',
        metadata: { name: RUNTIME_CLASS },
        handler: RUNTIME_CLASS,
        overhead: { podFixed: { cpu: '250m', memory: '350Mi' } },
        scheduling: { nodeSelector: { [KATA_NODE_LABEL]: '' } },
      },
    }),
  );
}

export type Platform = 'aws' | 'azure';

export interface WorkerOptions {
  count: number;
  platform?: Platform;
  /** Node name prefix; default `worker-` */
  namePrefix?: string;
  /** Extra labels; the kata node-selector label and the worker role are always set. */
  labels?: Record<string, string>;
  /** Omit the kata label (a worker that peer pods must not use). */
  withoutKataLabel?: boolean;
  /** Initial `kata.peerpods.io/vm` capacity written through nodes/status (none by default). */
  peerPodCapacity?: number;
  /** Extra node annotations. */
  annotations?: Record<string, string>;
  /** First index in names; default 0. */
  startIndex?: number;
  cpu?: string;
  memory?: string;
  pods?: string;
  /** Creations in flight at once (bulk fixtures); default 16. */
  concurrency?: number;
  /** spec.providerID per node, in order (e.g. instances that exist in a simulated cloud). */
  providerIds?: string[];
}

export const AWS_ZONE = 'us-east-1a';
export const AZURE_SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
export const AZURE_RESOURCE_GROUP = 'peerpods-cluster-rg';

export function awsInstanceId(index: number): string {
  return `i-${(0x0a000000 + index).toString(16).padStart(17, '0')}`;
}

export function providerIdFor(platform: Platform, nodeName: string, index: number): string {
  return platform === 'aws'
    ? `aws:///${AWS_ZONE}/${awsInstanceId(index)}`
    : `azure:///subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/${AZURE_RESOURCE_GROUP}/providers/Microsoft.Compute/virtualMachines/${nodeName}`;
}

async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/**
 * Creates worker Node objects (no kubelet) with a cloud providerID, the SPEC's node-selector
 * label, and cpu/memory/pods capacity and allocatable set through nodes/status, so that the
 * real scheduler can place pods on them.
 */
export async function createWorkerNodes(kc: KubeConfig, options: WorkerOptions): Promise<V1Node[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const platform = options.platform ?? 'aws';
  const prefix = options.namePrefix ?? 'worker-';
  const start = options.startIndex ?? 0;
  const indexes = Array.from({ length: options.count }, (_, i) => start + i);
  const created: V1Node[] = [];
  await inBatches(indexes, options.concurrency ?? 16, async (index) => {
    const name = `${prefix}${index}`;
    const labels: Record<string, string> = {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node-role.kubernetes.io/worker': '',
      'topology.kubernetes.io/zone': platform === 'aws' ? AWS_ZONE : 'eastus-1',
      ...(options.withoutKataLabel ? {} : { [KATA_NODE_LABEL]: '' }),
      ...options.labels,
    };
    await core.createNode({
      body: {
        metadata: { name, labels, annotations: options.annotations },
        spec: { providerID: options.providerIds?.[index - start] ?? providerIdFor(platform, name, index) },
      },
    });
    const resources: Record<string, string> = {
      cpu: options.cpu ?? '8',
      memory: options.memory ?? '32Gi',
      pods: options.pods ?? '110',
      'ephemeral-storage': '100Gi',
    };
    if (options.peerPodCapacity !== undefined) resources[PEERPOD_RESOURCE] = String(options.peerPodCapacity);
    const now = new Date().toISOString();
    const node = await core.patchNodeStatus(
      {
        name,
        body: {
          status: {
            capacity: resources,
            allocatable: resources,
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'KubeletReady',
                message: 'fake node: no kubelet runs in the test control plane',
                lastHeartbeatTime: now,
                lastTransitionTime: now,
              },
            ],
            nodeInfo: {
              architecture: 'amd64',
              operatingSystem: 'linux',
              kubeletVersion: 'v1.34.4',
              kubeProxyVersion: '',
              containerRuntimeVersion: 'cri-o://1.34.0',
              kernelVersion: '5.14.0',
              osImage: 'Red Hat Enterprise Linux CoreOS',
              bootID: '',
              machineID: '',
              systemUUID: '',
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    // The TaintNodesByCondition admission plugin marks every new node not-ready; the node
    // lifecycle controller lifts that once the kubelet reports Ready. Neither runs here.
    const untainted = await core.patchNode(
      { name, body: { spec: { taints: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    created.push({ ...untainted, status: node.status });
  });
  return created.sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!, 'en', { numeric: true }));
}

/** Sets (or, with `undefined`, removes) the peer-pod VM capacity of a node, as a kubelet-less status patch. */
export async function setNodePeerPodCapacity(kc: KubeConfig, name: string, value: number | undefined): Promise<V1Node> {
  const core = kc.makeApiClient(CoreV1Api);
  const escaped = PEERPOD_RESOURCE.replace(/~/g, '~0').replace(/\//g, '~1');
  const body =
    value === undefined
      ? [
          { op: 'remove', path: `/status/capacity/${escaped}` },
          { op: 'remove', path: `/status/allocatable/${escaped}` },
        ]
      : [
          { op: 'add', path: `/status/capacity/${escaped}`, value: String(value) },
          { op: 'add', path: `/status/allocatable/${escaped}`, value: String(value) },
        ];
  return core.patchNodeStatus({ name, body }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
}

export interface InfrastructureOptions {
  platform: Platform | 'None';
  region?: string;
  resourceGroupName?: string;
}

/** The cluster-scoped `infrastructure/cluster` object that OpenShift's installer writes. */
export async function createInfrastructure(kc: KubeConfig, options: InfrastructureOptions): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const type = options.platform === 'aws' ? 'AWS' : options.platform === 'azure' ? 'Azure' : 'None';
  await ignoreExists(() =>
    api.createClusterCustomObject({
      group: 'config.openshift.io',
      version: 'v1',
      plural: 'infrastructures',
      body: {
        apiVersion: 'config.openshift.io/v1',
        kind: 'Infrastructure',
        metadata: { name: 'cluster' },
        spec: { cloudConfig: { name: '' }, platformSpec: { type } },
      },
    }),
  );
  const platformStatus: Record<string, unknown> = { type };
  if (options.platform === 'aws') platformStatus.aws = { region: options.region ?? 'us-east-1' };
  if (options.platform === 'azure') {
    platformStatus.azure = {
      resourceGroupName: options.resourceGroupName ?? AZURE_RESOURCE_GROUP,
      cloudName: 'AzurePublicCloud',
    };
  }
  await api.patchClusterCustomObjectStatus(
    {
      group: 'config.openshift.io',
      version: 'v1',
      plural: 'infrastructures',
      name: 'cluster',
      body: {
        status: {
          infrastructureName: 'peerpods-local',
          platform: type,
          platformStatus,
          controlPlaneTopology: 'HighlyAvailable',
          infrastructureTopology: 'HighlyAvailable',
          apiServerURL: 'https://api.peerpods.local:6443',
          apiServerInternalURI: 'https://api-int.peerpods.local:6443',
          etcdDiscoveryDomain: '',
        },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

export interface PeerPodConfigOptions {
  name?: string;
  namespace?: string;
  limit?: string;
  nodeSelector?: Record<string, string>;
  cloudSecretName?: string;
  configMapName?: string;
}

/** The operator's default PeerPodConfig (SPEC: limit "10", selector on the kata-oc role label). */
export async function createPeerPodConfig(kc: KubeConfig, options: PeerPodConfigOptions = {}): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  await api.createNamespacedCustomObject({
    group: 'confidentialcontainers.org',
    version: 'v1alpha1',
    plural: 'peerpodconfigs',
    namespace: options.namespace ?? OPERATOR_NAMESPACE,
    body: {
      apiVersion: 'confidentialcontainers.org/v1alpha1',
      kind: 'PeerPodConfig',
      metadata: { name: options.name ?? PEERPODCONFIG_NAME, namespace: options.namespace ?? OPERATOR_NAMESPACE },
      spec: {
        cloudSecretName: options.cloudSecretName ?? 'peer-pods-secret',
        configMapName: options.configMapName ?? 'peer-pods-cm',
        limit: options.limit ?? '10',
        nodeSelector: options.nodeSelector ?? { [KATA_NODE_LABEL]: '' },
      },
    },
  });
}
