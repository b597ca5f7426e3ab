// Peer-pod VM inventory, cloud-agnostic and pure: correlate each cloud VM with its PeerPod, its
// pod and that pod's node; find orphans (a VM nobody owns) and dangling PeerPods (a PeerPod
// whose VM is gone); plan and carry out orphan cleanup. Inputs are plain arrays of pods and
// PeerPods (the informer caches) and the provider's VM list.
//
// "This cluster's scope" (the only VMs the inventory shows, and so the only possible orphans):
//   - its name has the cloud-api-adaptor's form `podvm-<sanitized pod name>-<8 chars>`;
//   - it carries every tag of TAGS in peer-pods-cm (the adaptor puts them on each VM it creates);
//   - it sits where the adaptor places this cluster's VMs: its cloud module's placement check
//     (a subnet, the nodes' network, a resource group; see the README of this folder).
// Other clusters' peer-pod VMs in the account are counted, never listed. "A VM of this cluster"
// (the only kind cleanup may delete) is one in the scope whose identity the cloud module also
// finds specific enough to delete by; otherwise every deletion is refused.
import type { Logger } from 'pino';
import type { CloudResource, MembershipCheck } from './module.ts';
import { cloudModule } from './modules.ts';
import type { CloudSettings } from './settings.ts';
import {
  CloudError,
  type ChangeContext,
  type CloudProvider,
  type CloudProviderName,
  type PeerPodVm,
  type PeerPodVmListing,
  type VmDeletionResult,
} from './provider.ts';

export const PEER_POD_API_VERSION = 'confidentialcontainers.org/v1alpha1';
export const PEER_POD_KIND = 'PeerPod';
export const PEER_POD_FINALIZER = 'peer.pod/finalizer';
export const POD_VM_NAME_PREFIX = 'podvm-';
export const DEFAULT_ORPHAN_GRACE_PERIOD_MS = 10 * 60_000;

/** A pod as the Kubernetes API returns it (only the fields used here). */
export interface PodLike {
  metadata?: { name?: string; namespace?: string; uid?: string; deletionTimestamp?: string | Date };
  spec?: { nodeName?: string; runtimeClassName?: string };
  status?: { phase?: string };
}

/** A PeerPod (confidentialcontainers.org/v1alpha1) as the Kubernetes API returns it. */
export interface PeerPodLike {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    ownerReferences?: { kind?: string; name?: string; uid?: string }[];
    finalizers?: string[];
    deletionTimestamp?: string | Date;
  };
  spec?: { cloudProvider?: string; instanceID?: string };
}

export interface ObjectKey {
  namespace: string;
  name: string;
}

export interface PodSummary extends ObjectKey {
  uid?: string;
  nodeName?: string;
  phase?: string;
}

/**
 * in-use: a PeerPod or a live pod claims the VM. unclaimed: nobody does yet, but it is younger
 * than the grace period (or its age is unknown). orphan: nobody claims it and it is older.
 * terminating: the cloud is already removing it.
 */
export type VmOwnership = 'in-use' | 'unclaimed' | 'orphan' | 'terminating';

export interface CorrelatedVm {
  vm: PeerPodVm;
  ownership: VmOwnership;
  /** One sentence: why this ownership. */
  reason: string;
  peerPod?: ObjectKey;
  pod?: PodSummary;
  nodeName?: string;
  /** Several live pods have the name this VM was made from (same name in different namespaces). */
  candidatePods?: ObjectKey[];
  /** For unclaimed VMs: when the VM becomes an orphan if still nobody claims it (ISO 8601). */
  orphanAfter?: string;
}

export interface DanglingPeerPod {
  peerPod: ObjectKey;
  instanceID: string;
  pod?: PodSummary;
  reason: string;
}

export interface InventoryReport {
  provider: CloudProviderName;
  generatedAt: string;
  gracePeriodMs: number;
  vms: CorrelatedVm[];
  orphans: CorrelatedVm[];
  dangling: DanglingPeerPod[];
  /** Node name → ids of the VMs of the pods on that node (feeds the capacity model). */
  vmIdsByNode: Record<string, string[]>;
}

export interface CorrelateInput {
  provider: CloudProviderName;
  vms: readonly PeerPodVm[];
  pods: readonly PodLike[];
  peerPods: readonly PeerPodLike[];
  /** default 10 minutes */
  gracePeriodMs?: number;
  now?: Date;
}

/** Lowercase; anything outside [a-z0-9-] becomes `-` (the cloud-api-adaptor's rule). */
export function sanitizePodName(podName: string): string {
  return podName.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** `podvm-<sanitized pod name>-<first 8 chars of the sandbox id>` */
export function podVmName(podName: string, sandboxId: string): string {
  return `${POD_VM_NAME_PREFIX}${sanitizePodName(podName)}-${sandboxId.slice(0, 8)}`;
}

/** The pod-name part and sandbox prefix of a peer-pod VM name, or undefined if it has another form. */
export function parsePodVmName(vmName: string): { sanitizedPodName: string; sandboxPrefix: string } | undefined {
  if (!/^podvm-[a-z0-9-]+$/.test(vmName)) return undefined;
  // The sandbox id is hex, so its 8-char prefix has no '-': the last '-' separates the two parts.
  const rest = vmName.slice(POD_VM_NAME_PREFIX.length);
  const dash = rest.lastIndexOf('-');
  const sanitizedPodName = rest.slice(0, dash);
  const sandboxPrefix = rest.slice(dash + 1);
  if (dash < 1 || !/^[a-z0-9]{1,8}$/.test(sandboxPrefix)) return undefined;
  return { sanitizedPodName, sandboxPrefix };
}

const TERMINAL_POD_PHASES = new Set(['Succeeded', 'Failed']);
/** States in which an unclaimed VM still costs money or quota. */
const ORPHANABLE_STATES = new Set(['pending', 'running', 'stopping', 'stopped', 'failed']);

function isLivePod(pod: PodLike): boolean {
  return !TERMINAL_POD_PHASES.has(pod.status?.phase ?? '');
}

function podSummary(pod: PodLike): PodSummary {
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid,
    nodeName: pod.spec?.nodeName,
    phase: pod.status?.phase,
  };
}

function keyOf(object: { metadata?: { namespace?: string; name?: string } }): ObjectKey {
  return { namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' };
}

/** Cloud ids compare case-insensitively: Azure resource ids come back in varying case. */
function idKey(id: string): string {
  return id.toLowerCase();
}

function appliesTo(peerPod: PeerPodLike, provider: CloudProviderName): boolean {
  const cloud = peerPod.spec?.cloudProvider?.toLowerCase();
  return !cloud || cloud === provider;
}

export function correlateInventory(input: CorrelateInput): InventoryReport {
  const now = input.now ?? new Date();
  const gracePeriodMs = input.gracePeriodMs ?? DEFAULT_ORPHAN_GRACE_PERIOD_MS;

  const podsByUid = new Map<string, PodLike>();
  const podsByKey = new Map<string, PodLike>();
  const livePodsBySanitizedName = new Map<string, PodLike[]>();
  for (const pod of input.pods) {
    const { namespace, name } = keyOf(pod);
    if (pod.metadata?.uid) podsByUid.set(pod.metadata.uid, pod);
    podsByKey.set(`${namespace}/${name}`, pod);
    if (!isLivePod(pod)) continue;
    const sanitized = sanitizePodName(name);
    const list = livePodsBySanitizedName.get(sanitized);
    if (list) list.push(pod);
    else livePodsBySanitizedName.set(sanitized, [pod]);
  }

  const ownerPodOf = (peerPod: PeerPodLike): PodLike | undefined => {
    const owner = peerPod.metadata?.ownerReferences?.find((ref) => ref.kind === 'Pod');
    if (owner?.uid) {
      const pod = podsByUid.get(owner.uid);
      if (pod) return pod;
    }
    const { namespace } = keyOf(peerPod);
    const name = owner?.name ?? peerPod.metadata?.name ?? '';
    return podsByKey.get(`${namespace}/${name}`);
  };

  const peerPodsByInstance = new Map<string, PeerPodLike>();
  for (const peerPod of input.peerPods) {
    const instanceID = peerPod.spec?.instanceID?.trim();
    if (instanceID && appliesTo(peerPod, input.provider)) peerPodsByInstance.set(idKey(instanceID), peerPod);
  }

  const vms: CorrelatedVm[] = [];
  const listedIds = new Set<string>();
  for (const vm of input.vms) {
    listedIds.add(idKey(vm.id));
    vms.push(correlateOne(vm));
  }

  function correlateOne(vm: PeerPodVm): CorrelatedVm {
    const peerPod = peerPodsByInstance.get(idKey(vm.id));
    if (peerPod) {
      const pod = ownerPodOf(peerPod);
      const summary = pod ? podSummary(pod) : undefined;
      return {
        vm,
        ownership: vm.state === 'terminating' || vm.state === 'terminated' ? 'terminating' : 'in-use',
        reason: pod
          ? `PeerPod ${keyOf(peerPod).namespace}/${keyOf(peerPod).name} records this VM for pod ${summary?.namespace}/${summary?.name}.`
          : `PeerPod ${keyOf(peerPod).namespace}/${keyOf(peerPod).name} records this VM, but its pod is gone; the cloud-api-adaptor should remove both.`,
        peerPod: keyOf(peerPod),
        pod: summary,
        nodeName: summary?.nodeName,
      };
    }

    const parsed = parsePodVmName(vm.name);
    const candidates = parsed ? (livePodsBySanitizedName.get(parsed.sanitizedPodName) ?? []) : [];
    if (vm.state === 'terminating' || vm.state === 'terminated') {
      return { vm, ownership: 'terminating', reason: 'The cloud is already deleting this VM.' };
    }
    if (candidates.length === 1 && candidates[0]) {
      const summary = podSummary(candidates[0]);
      return {
        vm,
        ownership: 'in-use',
        reason: `Live pod ${summary.namespace}/${summary.name} has the name this VM was made from (no PeerPod records it yet).`,
        pod: summary,
        nodeName: summary.nodeName,
      };
    }
    if (candidates.length > 1) {
      return {
        vm,
        ownership: 'in-use',
        reason: `${candidates.length} live pods in different namespaces have the name this VM was made from; it is kept.`,
        candidatePods: candidates.map(keyOf),
      };
    }

    const launched = vm.launchTime ? Date.parse(vm.launchTime) : NaN;
    if (Number.isNaN(launched)) {
      return {
        vm,
        ownership: 'unclaimed',
        reason: 'No PeerPod or live pod claims this VM, but the cloud reports no launch time.',
      };
    }
    if (!ORPHANABLE_STATES.has(vm.state)) {
      return {
        vm,
        ownership: 'unclaimed',
        reason: `No PeerPod or live pod claims this VM; its state (${vm.cloudState}) is unknown.`,
      };
    }
    const orphanAt = launched + gracePeriodMs;
    if (now.getTime() < orphanAt) {
      return {
        vm,
        ownership: 'unclaimed',
        reason: 'No PeerPod or live pod claims this VM yet; it is still within the grace period.',
        orphanAfter: new Date(orphanAt).toISOString(),
      };
    }
    return {
      vm,
      ownership: 'orphan',
      reason:
        gracePeriodMs >= 60_000
          ? `No PeerPod and no live pod claims this VM, and it was launched more than ${minutesText(gracePeriodMs)} ago.`
          : 'No PeerPod and no live pod claims this VM, and its grace period is over.',
    };
  }

  const dangling: DanglingPeerPod[] = [];
  for (const peerPod of input.peerPods) {
    const instanceID = peerPod.spec?.instanceID?.trim();
    if (!instanceID || !appliesTo(peerPod, input.provider) || listedIds.has(idKey(instanceID))) continue;
    const pod = ownerPodOf(peerPod);
    dangling.push({
      peerPod: keyOf(peerPod),
      instanceID,
      pod: pod ? podSummary(pod) : undefined,
      reason:
        'The VM this PeerPod records no longer exists in the cloud, is terminated, or lies outside this cluster’s scope.',
    });
  }

  const vmIdsByNode: Record<string, string[]> = {};
  for (const entry of vms) {
    if (!entry.nodeName) continue;
    (vmIdsByNode[entry.nodeName] ??= []).push(entry.vm.id);
  }

  return {
    provider: input.provider,
    generatedAt: now.toISOString(),
    gracePeriodMs,
    vms,
    orphans: vms.filter((entry) => entry.ownership === 'orphan'),
    dangling,
    vmIdsByNode,
  };
}

// ---- This cluster ----------------------------------------------------------------------------

/**
 * What "this cluster's peer-pod VMs" means in the cloud: the inventory lists only these (others
 * are counted, never shown), and only these can become orphans. See the README of this folder.
 * Which fields a cloud uses is its module's business (`CloudModule.clusterIdentity`).
 */
export interface ClusterIdentity {
  provider: CloudProviderName;
  /** TAGS from peer-pods-cm: a VM of this cluster carries every one of them. */
  tags: Record<string, string>;
  /** The subnet peer-pods-cm places pod VMs (or their network interfaces) in, when it names one. */
  subnetId?: string;
  /**
   * The networks of the cluster's node instances, for a cloud whose adaptor launches pod VMs into
   * its own node's subnet when no subnet is set. Filled in by `CloudProvider.resolveClusterScope`.
   */
  vpcIds?: string[];
  /** The resource group the adaptor creates pod VMs in, for a cloud that has them. */
  resourceGroup?: string;
}

export function clusterIdentityFromSettings(settings: CloudSettings): ClusterIdentity {
  return cloudModule(settings.provider).clusterIdentity(settings);
}

/** Whether a VM lies in this cluster's scope: the VMs the inventory shows. */
export function checkVmInScope(vm: PeerPodVm, identity: ClusterIdentity): MembershipCheck {
  if (!parsePodVmName(vm.name))
    return { ok: false, reason: `${vm.name} is not a peer-pod VM name (podvm-<pod>-<sandbox>).` };
  if (vm.provider !== identity.provider)
    return { ok: false, reason: `The VM is in ${vm.provider}, this cluster uses ${identity.provider}.` };
  for (const [key, value] of Object.entries(identity.tags)) {
    if (vm.tags[key] !== value) return { ok: false, reason: `The VM lacks tag ${key} from TAGS in peer-pods-cm.` };
  }
  return cloudModule(identity.provider).checkPlacement(vm, identity);
}

/**
 * Whether a VM is a peer-pod VM of this cluster, as cleanup requires before it deletes anything:
 * in the scope, and with an identity the cloud module finds specific enough to delete by.
 */
export function checkVmOfThisCluster(vm: PeerPodVm, identity: ClusterIdentity): MembershipCheck {
  const inScope = checkVmInScope(vm, identity);
  if (!inScope.ok) return inScope;
  return cloudModule(identity.provider).checkCleanupScope(identity);
}

/** Splits a listing into this cluster's VMs and a count of the others (whose details go no further). */
export function partitionByScope(vms: readonly PeerPodVm[], identity: ClusterIdentity): PeerPodVmListing {
  const inScope: PeerPodVm[] = [];
  let excluded = 0;
  for (const vm of vms) {
    if (checkVmInScope(vm, identity).ok) inScope.push(vm);
    else excluded += 1;
  }
  return { vms: inScope, excluded };
}

/** One sentence for people: which peer-pod VMs count as this cluster's. */
export function describeClusterScope(identity: ClusterIdentity): string {
  const tags = Object.entries(identity.tags).map(([key, value]) => `${key}=${value}`);
  const withTags = tags.length > 0 ? ` carrying the tags ${tags.join(', ')} (TAGS)` : '';
  return cloudModule(identity.provider).describeScope(identity, withTags);
}

// ---- Orphan cleanup --------------------------------------------------------------------------

export interface CleanupCandidate {
  vmId: string;
  name: string;
  state: string;
  instanceType?: string;
  launchTime?: string;
  reason: string;
  /** What deleting it removes in the cloud: the VM, and what goes with it (its cloud module says). */
  resources: CloudResource[];
}

export interface RefusedDeletion {
  vmId: string;
  name?: string;
  reason: string;
}

export interface OrphanCleanupPlan {
  provider: CloudProviderName;
  generatedAt: string;
  /** Exactly what a cleanup with these ids would delete now. */
  toDelete: CleanupCandidate[];
  refused: RefusedDeletion[];
}

/**
 * The dry run: which of the requested VMs (default: every orphan) would be deleted, and which are
 * refused and why. Nothing is changed.
 */
export function planOrphanCleanup(
  report: InventoryReport,
  identity: ClusterIdentity,
  requestedVmIds?: readonly string[],
): OrphanCleanupPlan {
  const byId = new Map(report.vms.map((entry) => [idKey(entry.vm.id), entry]));
  const requested = requestedVmIds ?? report.orphans.map((entry) => entry.vm.id);
  const toDelete: CleanupCandidate[] = [];
  const refused: RefusedDeletion[] = [];
  const seen = new Set<string>();
  for (const vmId of requested) {
    if (seen.has(idKey(vmId))) continue;
    seen.add(idKey(vmId));
    const entry = byId.get(idKey(vmId));
    if (!entry) {
      refused.push({ vmId, reason: 'No peer-pod VM with this id is in the current inventory.' });
      continue;
    }
    const { vm } = entry;
    if (entry.ownership !== 'orphan') {
      refused.push({ vmId: vm.id, name: vm.name, reason: `Not an orphan: ${entry.reason}` });
      continue;
    }
    const membership = checkVmOfThisCluster(vm, identity);
    if (!membership.ok) {
      refused.push({ vmId: vm.id, name: vm.name, reason: membership.reason });
      continue;
    }
    toDelete.push({
      vmId: vm.id,
      name: vm.name,
      state: vm.state,
      instanceType: vm.instanceType,
      launchTime: vm.launchTime,
      reason: entry.reason,
      resources: cloudModule(vm.provider).cleanupResources(vm),
    });
  }
  return { provider: report.provider, generatedAt: report.generatedAt, toDelete, refused };
}

/**
 * Remembers every VM a cleanup has deleted or is deleting, so that two requests (two admins, a
 * double click) never delete the same VM twice. Keep one per provider for the process lifetime.
 */
export class DeletionLedger {
  readonly #claimed = new Set<string>();

  /** true if the caller may delete this VM now; false if it was deleted or is being deleted. */
  claim(vmId: string): boolean {
    const key = idKey(vmId);
    if (this.#claimed.has(key)) return false;
    this.#claimed.add(key);
    return true;
  }

  /** After a failed deletion, so a later request may try again. */
  release(vmId: string): void {
    this.#claimed.delete(idKey(vmId));
  }

  has(vmId: string): boolean {
    return this.#claimed.has(idKey(vmId));
  }
}

export interface CleanupOrphansOptions {
  provider: CloudProvider;
  identity: ClusterIdentity;
  /** The ids the admin approved from the dry run; nothing else is ever deleted. */
  vmIds: readonly string[];
  pods: readonly PodLike[];
  peerPods: readonly PeerPodLike[];
  ledger: DeletionLedger;
  context: ChangeContext;
  gracePeriodMs?: number;
  now?: Date;
  /** How many deletions run at once; default 4. */
  concurrency?: number;
  logger?: Logger;
}

/** A deletion, and what it removed in the cloud by kind and name. */
export interface DeletedVm extends VmDeletionResult {
  resources: CloudResource[];
}

export interface CleanupOrphansResult {
  deleted: DeletedVm[];
  refused: RefusedDeletion[];
  /** Deleted or being deleted by another request already. */
  skipped: RefusedDeletion[];
  failed: { vmId: string; name: string; error: { code: string; message: string } }[];
}

/**
 * Deletes the approved VMs that are still orphans of this cluster. The inventory is listed again
 * first, so a VM claimed since the dry run (or not an orphan, or not ours) is refused.
 */
export async function cleanupOrphans(options: CleanupOrphansOptions): Promise<CleanupOrphansResult> {
  const { provider, context } = options;
  const { vms } = await provider.listPeerPodVms(options.identity);
  const report = correlateInventory({
    provider: provider.name,
    vms,
    pods: options.pods,
    peerPods: options.peerPods,
    gracePeriodMs: options.gracePeriodMs,
    now: options.now,
  });
  const plan = planOrphanCleanup(report, options.identity, options.vmIds);
  const vmsById = new Map(vms.map((vm) => [idKey(vm.id), vm]));
  const result: CleanupOrphansResult = { deleted: [], refused: plan.refused, skipped: [], failed: [] };

  for (const refusal of plan.refused) {
    context.audit({
      user: context.actor,
      action: 'vm.delete',
      provider: provider.name,
      cloudIds: [refusal.vmId],
      result: 'refused',
      message: `Refused to delete ${refusal.name ?? refusal.vmId}: ${refusal.reason}`,
    });
  }

  const queue = plan.toDelete.slice();
  const total = queue.length;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let candidate = queue.shift(); candidate; candidate = queue.shift()) {
      const vm = vmsById.get(idKey(candidate.vmId));
      if (!vm) continue;
      if (!options.ledger.claim(vm.id)) {
        result.skipped.push({
          vmId: vm.id,
          name: vm.name,
          reason: 'Already deleted, or being deleted by another request.',
        });
      } else {
        try {
          const deletion = await provider.deleteVm(vm, context);
          result.deleted.push({ ...deletion, resources: cloudModule(vm.provider).deletedResources(vm, deletion) });
        } catch (error) {
          options.ledger.release(vm.id);
          const cloud = error instanceof CloudError ? error : undefined;
          const failure = {
            code: cloud?.code ?? 'unknown',
            message: cloud?.message ?? 'The deletion failed unexpectedly.',
          };
          options.logger?.warn({ vmId: vm.id, vmName: vm.name, code: failure.code }, 'orphan VM deletion failed');
          result.failed.push({ vmId: vm.id, name: vm.name, error: failure });
        }
      }
      done += 1;
      context.onProgress?.({ step: 'delete-orphans', done, total });
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, total || 1));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}

function minutesText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
