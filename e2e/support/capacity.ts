// What the Capacity tab should show, worked out in the test from the API server and the cloud
// themselves, never from the backend: each node's limit (override annotation, else the
// PeerPodConfig whose nodeSelector matches), what it advertises, the VMs its peer pods request,
// the peer pods the scheduler left pending for lack of capacity, and the cloud's peer-pod VMs
// (which node they serve, which nobody claims). Plus the peer pods and namespaces the capacity
// tests create and remove.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { expect } from '@playwright/test';
import { DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1Container,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import { MAX_LIMIT, VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import {
  KATA_NODE_LABEL,
  OPERATOR_NAMESPACE,
  PEERPOD_RESOURCE,
  PEERPODCONFIG_NAME,
  RUNTIME_CLASS,
} from '../../hack/controlplane/fixtures.ts';

const GROUP = 'confidentialcontainers.org';
const VERSION = 'v1alpha1';

interface PeerPodConfigObject {
  metadata: { name: string; namespace: string };
  spec?: { limit?: unknown; nodeSelector?: Record<string, string> | null };
}

interface PeerPodObject {
  metadata: { name: string; namespace: string; ownerReferences?: { kind?: string; name?: string; uid?: string }[] };
  spec?: { cloudProvider?: string; instanceID?: string };
}

/** Everything the API server holds that the capacity numbers depend on, read at one moment. */
export interface ClusterState {
  nodes: V1Node[];
  /** Peer pods: runtimeClassName kata-remote, or a request of the VM resource. */
  peerPods: V1Pod[];
  configs: PeerPodConfigObject[];
  peerPodObjects: PeerPodObject[];
}

export async function readClusterState(kc: KubeConfig): Promise<ClusterState> {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const [nodes, pods, configs, peerPodObjects] = await Promise.all([
    core.listNode(),
    core.listPodForAllNamespaces(),
    custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'peerpodconfigs' }),
    custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'peerpods' }),
  ]);
  return {
    nodes: nodes.items,
    peerPods: pods.items.filter((pod) => pod.spec?.runtimeClassName === RUNTIME_CLASS || vmRequest(pod).mentioned),
    configs: (configs as { items: PeerPodConfigObject[] }).items,
    peerPodObjects: (peerPodObjects as { items: PeerPodObject[] }).items,
  };
}

// ---- one node's limit ----------------------------------------------------------------------

/** A limit written the only way the CRD and the annotation allow: plain digits, at most 10^9. */
export function wholeLimit(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value <= MAX_LIMIT ? value : undefined;
}

function selects(config: PeerPodConfigObject, labels: Record<string, string>): boolean {
  const selector = config.spec?.nodeSelector ?? { [KATA_NODE_LABEL]: '' };
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** The operator's PeerPodConfig wins where several select a node; otherwise the first by namespace/name. */
function winningConfig(configs: PeerPodConfigObject[], node: V1Node): PeerPodConfigObject | undefined {
  const matching = configs
    .filter((config) => selects(config, node.metadata?.labels ?? {}))
    .sort((a, b) =>
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
    );
  return (
    matching.find((c) => c.metadata.namespace === OPERATOR_NAMESPACE && c.metadata.name === PEERPODCONFIG_NAME) ??
    matching[0]
  );
}

export interface NodeLimit {
  source: 'override' | 'config' | 'none';
  /** The PeerPodConfig that decides it (source config). */
  configName?: string;
  /** What the node should advertise; undefined when nothing should (or the config's limit is invalid). */
  desired?: number;
}

export function nodeLimit(state: Pick<ClusterState, 'configs'>, node: V1Node): NodeLimit {
  const override = wholeLimit(node.metadata?.annotations?.[VM_LIMIT_OVERRIDE_ANNOTATION]);
  if (override !== undefined) return { source: 'override', desired: override };
  const config = winningConfig(state.configs, node);
  if (!config) return { source: 'none' };
  return { source: 'config', configName: config.metadata.name, desired: wholeLimit(config.spec?.limit) };
}

/** status.capacity / status.allocatable of the VM resource, as a whole number. */
export function advertisedOf(node: V1Node, field: 'capacity' | 'allocatable' = 'capacity'): number | undefined {
  const raw = node.status?.[field]?.[PEERPOD_RESOURCE];
  return raw === undefined ? undefined : Number(raw);
}

/** Names of the nodes that take their limit from the PeerPodConfig (no override), sorted. */
export async function configGovernedNodes(kc: KubeConfig): Promise<string[]> {
  const state = await readClusterState(kc);
  return state.nodes
    .filter((node) => nodeLimit(state, node).source === 'config')
    .map((node) => node.metadata!.name!)
    .sort();
}

/** Waits until each named node advertises `limit` in both status.capacity and status.allocatable. */
export async function expectNodesAdvertise(kc: KubeConfig, names: string[], limit: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await expect
    .poll(
      async () => {
        const nodes = (await core.listNode()).items.filter((n) => names.includes(n.metadata!.name!));
        return nodes
          .map((n) => `${n.metadata!.name}: ${advertisedOf(n, 'capacity')}/${advertisedOf(n, 'allocatable')}`)
          .sort();
      },
      { timeout: 30_000, message: `nodes ${names.join(', ')} advertise ${limit} ${PEERPOD_RESOURCE}` },
    )
    .toEqual(names.map((name) => `${name}: ${limit}/${limit}`).sort());
}

// ---- what peer pods use --------------------------------------------------------------------

function containerVms(container: V1Container): { mentioned: boolean; amount: number } {
  const request = container.resources?.requests?.[PEERPOD_RESOURCE];
  const limit = container.resources?.limits?.[PEERPOD_RESOURCE];
  return {
    mentioned: request !== undefined || limit !== undefined,
    amount: Math.max(Number(request ?? 0), Number(limit ?? 0)),
  };
}

/** VMs a pod asks for: its containers together (init containers run before them, one at a time). */
export function vmRequest(pod: V1Pod): { mentioned: boolean; amount: number } {
  const running = (pod.spec?.containers ?? []).map(containerVms);
  const init = (pod.spec?.initContainers ?? []).map(containerVms);
  return {
    mentioned: [...running, ...init].some((c) => c.mentioned),
    amount: Math.max(
      running.reduce((sum, c) => sum + c.amount, 0),
      ...init.map((c) => c.amount),
    ),
  };
}

const isTerminal = (pod: V1Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** The scheduler found no node with a VM free for this pod. */
export function waitsForCapacity(pod: V1Pod): boolean {
  if (pod.spec?.nodeName || isTerminal(pod)) return false;
  const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  return (
    condition?.status === 'False' &&
    condition.reason === 'Unschedulable' &&
    (condition.message ?? '').includes(`Insufficient ${PEERPOD_RESOURCE}`)
  );
}

// ---- the cloud's peer-pod VMs --------------------------------------------------------------

export interface CloudVm {
  id: string;
  name: string;
  /** The cloud still runs (or starts, or keeps) it: one that nobody claims costs money. */
  live: boolean;
  launchTime?: Date;
}

interface CloudDetails {
  platform: 'aws' | 'azure';
  endpoint: string;
  region?: string;
  caFile?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  tenantId?: string;
  clientId?: string;
}

function cloudDetails(): CloudDetails {
  const raw = process.env.E2E_CLOUD;
  if (!raw) throw new Error('E2E_CLOUD is not set: run the tests with `npx playwright test` (global setup sets it)');
  return JSON.parse(raw) as CloudDetails;
}

async function peerPodsSecret(kc: KubeConfig): Promise<Record<string, string>> {
  const secret = await kc
    .makeApiClient(CoreV1Api)
    .readNamespacedSecret({ namespace: OPERATOR_NAMESPACE, name: 'peer-pods-secret' });
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]),
  );
}

/** The cloud's peer-pod VMs (named podvm-…), asked of the simulated cloud with the cluster's own credentials. */
export async function listCloudPeerPodVms(kc: KubeConfig): Promise<CloudVm[]> {
  const cloud = cloudDetails();
  const secret = await peerPodsSecret(kc);
  return cloud.platform === 'aws' ? listEc2Vms(cloud, secret) : listAzureVms(cloud, secret);
}

const EC2_LIVE_STATES = new Set(['pending', 'running', 'stopping', 'stopped']);

async function listEc2Vms(cloud: CloudDetails, secret: Record<string, string>): Promise<CloudVm[]> {
  const ec2 = new EC2Client({
    region: cloud.region,
    endpoint: cloud.endpoint,
    credentials: { accessKeyId: secret.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: secret.AWS_SECRET_ACCESS_KEY ?? '' },
    maxAttempts: 2,
  });
  try {
    const instances: Instance[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'tag:Name', Values: ['podvm-*'] },
            { Name: 'instance-state-name', Values: ['pending', 'running', 'shutting-down', 'stopping', 'stopped'] },
          ],
          NextToken,
        }),
      );
      for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return instances
      .map((instance) => ({
        id: instance.InstanceId ?? '',
        name: instance.Tags?.find((tag) => tag.Key === 'Name')?.Value ?? '',
        live: EC2_LIVE_STATES.has(instance.State?.Name ?? ''),
        launchTime: instance.LaunchTime,
      }))
      .filter((vm) => vm.id && vm.name.startsWith('podvm-'));
  } finally {
    ec2.destroy();
  }
}

function httpsJson(
  url: string,
  ca: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
) {
  return new Promise<unknown>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300) {
          reject(new Error(`${init.method ?? 'GET'} ${new URL(url).pathname} answered ${res.statusCode}`));
        } else resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

async function listAzureVms(cloud: CloudDetails, secret: Record<string, string>): Promise<CloudVm[]> {
  const ca = readFileSync(cloud.caFile!, 'utf8');
  const token = (await httpsJson(`${cloud.endpoint}/${cloud.tenantId}/oauth2/v2.0/token`, ca, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: secret.AZURE_CLIENT_ID ?? cloud.clientId ?? '',
      client_secret: secret.AZURE_CLIENT_SECRET ?? '',
      scope: `${cloud.endpoint}/.default`,
    }).toString(),
  })) as { access_token: string };
  const vms: CloudVm[] = [];
  let next: string | undefined =
    `${cloud.endpoint}/subscriptions/${cloud.subscriptionId}/resourceGroups/${cloud.resourceGroup}` +
    `/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01`;
  while (next) {
    const page = (await httpsJson(next, ca, { headers: { authorization: `Bearer ${token.access_token}` } })) as {
      value: { id: string; name: string; properties?: { provisioningState?: string; timeCreated?: string } }[];
      nextLink?: string;
    };
    for (const vm of page.value) {
      if (!vm.name.startsWith('podvm-')) continue;
      const state = vm.properties?.provisioningState?.toLowerCase() ?? '';
      vms.push({
        id: vm.id,
        name: vm.name,
        live: state !== 'deleting' && state !== '',
        launchTime: vm.properties?.timeCreated ? new Date(vm.properties.timeCreated) : undefined,
      });
    }
    next = page.nextLink;
  }
  return vms;
}

/** The node a VM serves (through its PeerPod's pod, else a live peer pod with its name), or undefined when nobody claims it. */
function claimOf(state: ClusterState, vm: CloudVm): { claimed: boolean; nodeName?: string } {
  const platform = cloudDetails().platform;
  const peerPod = state.peerPodObjects.find(
    (p) =>
      p.spec?.instanceID?.trim().toLowerCase() === vm.id.toLowerCase() &&
      (!p.spec?.cloudProvider || p.spec.cloudProvider.toLowerCase() === platform),
  );
  if (peerPod) {
    const owner = peerPod.metadata.ownerReferences?.find((ref) => ref.kind === 'Pod');
    const pod =
      state.peerPods.find((p) => owner?.uid && p.metadata?.uid === owner.uid) ??
      state.peerPods.find(
        (p) =>
          p.metadata?.namespace === peerPod.metadata.namespace &&
          p.metadata?.name === (owner?.name ?? peerPod.metadata.name),
      );
    return { claimed: true, nodeName: pod?.spec?.nodeName };
  }
  // podvm-<sanitized pod name>-<8 chars of the sandbox id>
  const podPart = /^podvm-([a-z0-9-]+)-[a-z0-9]{1,8}$/.exec(vm.name)?.[1];
  const candidates = state.peerPods.filter(
    (p) => !isTerminal(p) && (p.metadata?.name ?? '').toLowerCase().replace(/[^a-z0-9-]/g, '-') === podPart,
  );
  if (candidates.length === 1) return { claimed: true, nodeName: candidates[0]!.spec?.nodeName };
  return { claimed: candidates.length > 1 };
}

// ---- the expected page ---------------------------------------------------------------------

export interface ExpectedTotals {
  capacity: number;
  used: number;
  free: number;
  pending: number;
  vms: number;
  orphans: number;
  unaccounted: number;
}

/** One row of the node table, as its cells read. */
export interface ExpectedNodeRow {
  node: string;
  limitFrom: string;
  limit: string;
  inUse: string;
  free: string;
  vms: string;
}

export interface ExpectedCapacity {
  totals: ExpectedTotals;
  rows: ExpectedNodeRow[];
  /** namespace/name of each peer pod pending for lack of capacity. */
  pending: string[];
}

/**
 * The Capacity tab's totals and node rows for this cluster state and cloud listing. The backend
 * counts an unclaimed VM as an orphan once it is older than its grace period, which the e2e
 * stack sets to 0.
 */
export function expectedCapacity(state: ClusterState, cloudVms: CloudVm[]): ExpectedCapacity {
  const used = new Map<string, number>();
  let unaccounted = 0;
  for (const pod of state.peerPods) {
    if (isTerminal(pod)) continue;
    const request = vmRequest(pod);
    if (pod.spec?.runtimeClassName === RUNTIME_CLASS && !request.mentioned) unaccounted += 1;
    const nodeName = pod.spec?.nodeName;
    if (nodeName) used.set(nodeName, (used.get(nodeName) ?? 0) + request.amount);
  }
  const vmsByNode = new Map<string, number>();
  let orphans = 0;
  for (const vm of cloudVms) {
    const claim = claimOf(state, vm);
    if (claim.nodeName) vmsByNode.set(claim.nodeName, (vmsByNode.get(claim.nodeName) ?? 0) + 1);
    if (!claim.claimed && vm.live && vm.launchTime) orphans += 1;
  }

  const totals: ExpectedTotals = { capacity: 0, used: 0, free: 0, pending: 0, vms: 0, orphans, unaccounted };
  const rows: ExpectedNodeRow[] = [];
  for (const node of [...state.nodes].sort((a, b) =>
    a.metadata!.name!.localeCompare(b.metadata!.name!, 'en', { numeric: true }),
  )) {
    const name = node.metadata!.name!;
    const limit = nodeLimit(state, node);
    const advertised = advertisedOf(node);
    const allocatable = advertisedOf(node, 'allocatable') ?? 0;
    const nodeUsed = used.get(name) ?? 0;
    const free = Math.max(0, allocatable - nodeUsed);
    const vms = vmsByNode.get(name) ?? 0;
    totals.capacity += advertised ?? 0;
    totals.used += nodeUsed;
    totals.free += free;
    totals.vms += vms;
    // The table leaves out nodes that have nothing to do with peer pods.
    const peerPodNode =
      limit.source !== 'none' ||
      advertised !== undefined ||
      vms > 0 ||
      state.peerPods.some((p) => p.spec?.nodeName === name);
    if (!peerPodNode) continue;
    const shouldBe = limit.desired !== undefined && limit.desired !== advertised ? ` (should be ${limit.desired})` : '';
    rows.push({
      node: name,
      limitFrom: limit.source === 'override' ? 'Override' : limit.source === 'config' ? limit.configName! : 'None',
      limit: `${advertised ?? '—'}${shouldBe}`,
      inUse: String(nodeUsed),
      free: String(free),
      vms: String(vms),
    });
  }
  const pending = state.peerPods
    .filter(waitsForCapacity)
    .map((pod) => `${pod.metadata!.namespace}/${pod.metadata!.name}`)
    .sort();
  totals.pending = pending.length;
  return { totals, rows, pending };
}

export async function readExpectedCapacity(kc: KubeConfig): Promise<ExpectedCapacity> {
  const [state, vms] = await Promise.all([readClusterState(kc), listCloudPeerPodVms(kc)]);
  return expectedCapacity(state, vms);
}

// ---- peer pods the tests create --------------------------------------------------------------

/** A peer pod as a user writes it: runtimeClassName kata-remote and cpu/memory; the webhook does the rest. */
export function peerPodManifest(name: string, nodeName?: string): V1Pod {
  return {
    metadata: { name, labels: { app: 'e2e-capacity' } },
    spec: {
      runtimeClassName: RUNTIME_CLASS,
      nodeSelector: nodeName ? { 'kubernetes.io/hostname': nodeName } : undefined,
      containers: [
        {
          name: 'app',
          image: 'registry.access.redhat.com/ubi9/ubi-minimal',
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        },
      ],
    },
  };
}

export async function createNamespace(kc: KubeConfig, name: string, labels: Record<string, string>): Promise<void> {
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name, labels } } });
}

/**
 * Removes the namespace and its pods. No kubelet runs to confirm a bound pod's end and no
 * namespace controller empties namespaces on this control plane, so the pods go with grace
 * period 0 (as `kubectl delete --force`) and the namespace is finalized once they are gone.
 */
export async function deleteNamespaceAndPods(kc: KubeConfig, namespace: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace });
  await Promise.all(
    pods.items.map((pod) =>
      core
        .deleteNamespacedPod({ namespace, name: pod.metadata!.name!, gracePeriodSeconds: 0 })
        .catch((err: { code?: number }) => {
          if (err.code !== 404) throw err;
        }),
    ),
  );
  await core.deleteNamespace({ name: namespace }).catch((err: { code?: number }) => {
    if (err.code !== 404) throw err;
  });
  const terminating = await core.readNamespace({ name: namespace }).catch(() => undefined);
  if (terminating && (terminating.spec?.finalizers ?? []).length > 0) {
    await core.replaceNamespaceFinalize({
      name: namespace,
      body: { ...terminating, spec: { ...terminating.spec, finalizers: [] } },
    });
  }
}
