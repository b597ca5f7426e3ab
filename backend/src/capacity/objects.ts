// The slices of Nodes, PeerPodConfigs, pods and PeerPods that capacity code reads, and the
// transforms that cut raw API objects down to them on receipt. At 10,000 pods the informer
// stores hold these few fields, not the objects' managedFields (of a node, only the names of the
// managers of the resource's capacity), images and conditions.
import { CAA_OWNER_ANNOTATION, VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import type { RawObject, ResourceDescriptor, StoredObject } from '../kube/informer.ts';
import { parseWholeQuantity } from './desired.ts';
import { placementOf, type PodPlacement } from './pinning.ts';

export const NODES: ResourceDescriptor = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
export const PODS: ResourceDescriptor = { group: '', version: 'v1', plural: 'pods', namespaced: true };
export const PEERPODCONFIGS: ResourceDescriptor = {
  group: 'confidentialcontainers.org',
  version: 'v1alpha1',
  plural: 'peerpodconfigs',
  namespaced: true,
};
export const PEERPODS: ResourceDescriptor = {
  group: 'confidentialcontainers.org',
  version: 'v1alpha1',
  plural: 'peerpods',
  namespaced: true,
};

/** Node annotations the capacity code reads; all others are dropped from the store. */
const KEPT_NODE_ANNOTATIONS = [VM_LIMIT_OVERRIDE_ANNOTATION, CAA_OWNER_ANNOTATION];

export interface NodeView extends StoredObject {
  metadata: {
    name: string;
    resourceVersion: string;
    uid: string;
    labels: Record<string, string>;
    /** Only the override and CAA-owner annotations. */
    annotations: Record<string, string>;
  };
  /** status.capacity[extended resource], raw quantity. */
  capacity?: string;
  /** status.allocatable[extended resource], raw quantity. */
  allocatable?: string;
  /** Whether status.capacity / status.allocatable exist at all (a JSON patch cannot add into a missing map). */
  hasCapacityMap: boolean;
  hasAllocatableMap: boolean;
  /**
   * The managedFields managers that own status.capacity[extended resource]: who wrote its value
   * last. Anyone but the reconciler's own field manager is another writer (other-writers.ts).
   */
  capacityManagers: readonly string[];
  /** Who wrote the override annotation (managedFields); absent when no one owns it. */
  overrideOwners?: readonly FieldOwner[];
}

export interface PeerPodConfigView extends StoredObject {
  metadata: { name: string; namespace: string; resourceVersion: string; uid: string };
  /** spec.limit as found (a string by the CRD; anything else is reported invalid). */
  limit: unknown;
  /** spec.nodeSelector; undefined when absent. */
  nodeSelector?: Record<string, string>;
  /** Who wrote spec.limit (managedFields); absent when no one owns it. */
  limitOwners?: readonly FieldOwner[];
}

export interface PodView extends StoredObject {
  metadata: { name: string; namespace: string; resourceVersion: string; uid: string; creationTimestamp?: string };
  nodeName?: string;
  runtimeClassName?: string;
  /** The pod's request of the extended resource, counted as the scheduler counts it; 0 when none. */
  vmRequest: number;
  /** Whether any container mentions the extended resource at all. */
  requestsVm: boolean;
  phase: string;
  /** Succeeded or Failed: holds no capacity any more. */
  terminal: boolean;
  terminating: boolean;
  /** The PodScheduled=False condition, when the scheduler could not place the pod. */
  unschedulable?: { reason: string; message: string; since?: string };
  /** What constrains the node of a pod not bound yet (nodeSelector, required node affinity); absent when nothing does. */
  placement?: PodPlacement;
}

export interface PeerPodView extends StoredObject {
  metadata: { name: string; namespace: string; resourceVersion: string; uid: string };
  /** uid and name of the owning pod (ownerReferences kind Pod). */
  podUid?: string;
  podName?: string;
  cloudProvider?: string;
  instanceID?: string;
}

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value) ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

function baseMeta(raw: RawObject) {
  const m = raw.metadata ?? {};
  return { name: m.name ?? '', resourceVersion: m.resourceVersion ?? '', uid: m.uid ?? '' };
}

const NO_MANAGERS: readonly string[] = Object.freeze([]);

/**
 * Managers whose managedFields own `f:status` → `f:capacity` → `f:<resource>`. Only capacity
 * counts: on a real node the kubelet copies capacity into allocatable and so owns the latter, but
 * no device plugin serves this resource, so the kubelet never writes its capacity.
 */
export function capacityManagersOf(managedFields: unknown, resource: string): readonly string[] {
  if (!Array.isArray(managedFields)) return NO_MANAGERS;
  const field = `f:${resource}`;
  let managers: string[] | undefined;
  for (const entry of managedFields as unknown[]) {
    const e = obj(entry);
    const owned = obj(obj(obj(e?.fieldsV1)?.['f:status'])?.['f:capacity'])?.[field];
    const manager = str(e?.manager);
    if (owned === undefined || manager === undefined) continue;
    managers ??= [];
    if (!managers.includes(manager)) managers.push(manager);
  }
  return managers ?? NO_MANAGERS;
}

/** A field manager that owns a field, and when its entry last changed (RFC 3339; '' when unknown). */
export interface FieldOwner {
  manager: string;
  time: string;
}

/**
 * The managers whose managedFields own the field at `path` (e.g. ['f:spec', 'f:limit']), newest
 * first; the status subresource's entries never own metadata or spec. Undefined when none does.
 */
export function fieldOwnersOf(managedFields: unknown, path: readonly string[]): readonly FieldOwner[] | undefined {
  if (!Array.isArray(managedFields)) return undefined;
  const owners: FieldOwner[] = [];
  for (const entry of managedFields as unknown[]) {
    const e = obj(entry);
    const manager = str(e?.manager);
    if (manager === undefined || e?.subresource === 'status') continue;
    let node: unknown = obj(e?.fieldsV1);
    for (const key of path) node = obj(node)?.[key];
    if (node === undefined) continue;
    owners.push({ manager, time: str(e?.time) ?? '' });
  }
  if (owners.length === 0) return undefined;
  return owners.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
}

const OVERRIDE_FIELD = ['f:metadata', 'f:annotations', `f:${VM_LIMIT_OVERRIDE_ANNOTATION}`];
const LIMIT_FIELD = ['f:spec', 'f:limit'];

export function nodeTransform(resource: string): (raw: RawObject) => NodeView {
  return (raw) => {
    const meta = raw.metadata ?? {};
    const all = stringMap(meta.annotations);
    const annotations: Record<string, string> = {};
    for (const key of KEPT_NODE_ANNOTATIONS) if (key in all) annotations[key] = all[key]!;
    const status = obj(raw.status);
    const capacity = obj(status?.capacity);
    const allocatable = obj(status?.allocatable);
    const view: NodeView = {
      metadata: { ...baseMeta(raw), labels: stringMap(meta.labels), annotations },
      capacity: str(capacity?.[resource]),
      allocatable: str(allocatable?.[resource]),
      hasCapacityMap: capacity !== undefined,
      hasAllocatableMap: allocatable !== undefined,
      capacityManagers: capacityManagersOf(meta.managedFields, resource),
    };
    const overrideOwners = fieldOwnersOf(meta.managedFields, OVERRIDE_FIELD);
    if (overrideOwners) view.overrideOwners = overrideOwners;
    return view;
  };
}

export function peerPodConfigTransform(raw: RawObject): PeerPodConfigView {
  const spec = obj(raw.spec);
  const selector = spec?.nodeSelector;
  const view: PeerPodConfigView = {
    metadata: { ...baseMeta(raw), namespace: raw.metadata?.namespace ?? '' },
    limit: spec?.limit,
    nodeSelector: selector === undefined || selector === null ? undefined : stringMap(selector),
  };
  const limitOwners = fieldOwnersOf(raw.metadata?.managedFields, LIMIT_FIELD);
  if (limitOwners) view.limitOwners = limitOwners;
  return view;
}

function containers(spec: Obj | undefined, field: 'containers' | 'initContainers'): Obj[] {
  const list = spec?.[field];
  return Array.isArray(list) ? (list.map(obj).filter(Boolean) as Obj[]) : [];
}

function containerAmount(container: Obj, resource: string): { mentioned: boolean; amount: number } {
  const resources = obj(container.resources);
  const request = str(obj(resources?.requests)?.[resource]);
  const limit = str(obj(resources?.limits)?.[resource]);
  // The API server defaults a missing request to the limit, and rejects extended resources whose
  // request and limit differ, so the max of the two is what the scheduler counts.
  const amount = Math.max(parseWholeQuantity(request) ?? 0, parseWholeQuantity(limit) ?? 0);
  return { mentioned: request !== undefined || limit !== undefined, amount };
}

/**
 * A pod's request of one resource as the scheduler computes it (k8s resourcehelper.PodRequests):
 * app containers and sidecars (init containers with restartPolicy Always) run together and add
 * up; each ordinary init container runs alone next to the sidecars started before it; the pod
 * needs the larger of the two, plus its overhead.
 */
export function podRequest(spec: Obj | undefined, resource: string): { mentioned: boolean; amount: number } {
  let mentioned = false;
  let running = 0;
  for (const c of containers(spec, 'containers')) {
    const r = containerAmount(c, resource);
    mentioned ||= r.mentioned;
    running += r.amount;
  }
  let sidecars = 0;
  let initPeak = 0;
  for (const c of containers(spec, 'initContainers')) {
    const r = containerAmount(c, resource);
    mentioned ||= r.mentioned;
    if (c.restartPolicy === 'Always') {
      running += r.amount;
      sidecars += r.amount;
      initPeak = Math.max(initPeak, sidecars);
    } else {
      initPeak = Math.max(initPeak, r.amount + sidecars);
    }
  }
  const overhead = parseWholeQuantity(str(obj(spec?.overhead)?.[resource])) ?? 0;
  return { mentioned, amount: Math.max(running, initPeak) + overhead };
}

/**
 * The API has no field selector for spec.runtimeClassName, so peer pods are picked out on
 * receipt: pods of the target runtime class, and pods that request the extended resource
 * (the webhook may have been bypassed, or the resource put in by hand).
 */
export function peerPodFilter(targetRuntimeClass: string, resource: string): (raw: RawObject) => boolean {
  return (raw) => {
    const spec = obj(raw.spec);
    if (spec?.runtimeClassName === targetRuntimeClass) return true;
    return podRequest(spec, resource).mentioned;
  };
}

const MAX_MESSAGE = 512;

export function podTransform(resource: string): (raw: RawObject) => PodView {
  return (raw) => {
    const spec = obj(raw.spec);
    const status = obj(raw.status);
    const phase = str(status?.phase) ?? 'Pending';
    const { mentioned, amount } = podRequest(spec, resource);
    const conditions = Array.isArray(status?.conditions) ? (status.conditions as unknown[]).map(obj) : [];
    const scheduled = conditions.find((c) => c?.type === 'PodScheduled');
    const view: PodView = {
      metadata: {
        ...baseMeta(raw),
        namespace: raw.metadata?.namespace ?? '',
        creationTimestamp: str(raw.metadata?.creationTimestamp),
      },
      nodeName: str(spec?.nodeName) || undefined,
      runtimeClassName: str(spec?.runtimeClassName),
      vmRequest: amount,
      requestsVm: mentioned,
      phase,
      terminal: phase === 'Succeeded' || phase === 'Failed',
      terminating: raw.metadata?.deletionTimestamp !== undefined && raw.metadata?.deletionTimestamp !== null,
    };
    // Only an unbound pod's constraints matter (which node it waits for); bound pods keep none.
    const placement = view.nodeName === undefined ? placementOf(spec) : undefined;
    if (placement) view.placement = placement;
    if (scheduled && scheduled.status === 'False') {
      const message = str(scheduled.message) ?? '';
      view.unschedulable = {
        reason: str(scheduled.reason) ?? '',
        message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
        since: str(scheduled.lastTransitionTime),
      };
    }
    return view;
  };
}

export function peerPodTransform(raw: RawObject): PeerPodView {
  const spec = obj(raw.spec);
  const owners = Array.isArray(raw.metadata?.ownerReferences)
    ? (raw.metadata.ownerReferences as unknown[]).map(obj)
    : [];
  const pod = owners.find((o) => o?.kind === 'Pod');
  return {
    metadata: { ...baseMeta(raw), namespace: raw.metadata?.namespace ?? '' },
    podUid: str(pod?.uid),
    podName: str(pod?.name),
    cloudProvider: str(spec?.cloudProvider),
    instanceID: str(spec?.instanceID),
  };
}
