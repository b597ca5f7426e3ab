// The peer-pods mutation as a pure function: a Pod (as the API server sends it) → a JSON Patch.
// SPEC "The mutating webhook" is the contract; upstream is cloud-api-adaptor's webhook
// (src/webhook/pkg/mutating), whose sizing rule this follows exactly:
//   for cpu, memory and nvidia.com/gpu, sum the requests and, separately, the limits over all
//   containers and init containers; size with the limit sum when limit ≥ request > 0, else with
//   the request sum; cpu in whole vCPUs rounded up, memory in MiB rounded up; zero → no annotation.
//
// "Already mutated" (reinvocationPolicy: IfNeeded sends us our own output) is a fixed point, not a
// marker: the function patches only what differs from the desired pod, and a pod whose only
// resource spec is `{requests: {<vm>: 1}, limits: {<vm>: 1}}` on its first container (nothing on
// any other container or init container, no pod-level resources) sizes to zero and so gains no
// annotation — its patch is empty. A user-set sizing annotation is never overwritten.

import { parseQuantity, Quantity, QuantityError } from '../kube/quantity.ts';

export const VCPUS_ANNOTATION = 'io.katacontainers.config.hypervisor.default_vcpus';
export const MEMORY_ANNOTATION = 'io.katacontainers.config.hypervisor.default_memory';
export const GPUS_ANNOTATION = 'io.katacontainers.config.hypervisor.default_gpus';
export const GPU_RESOURCE = 'nvidia.com/gpu';
export const DEFAULT_TARGET_RUNTIME_CLASS = 'kata-remote';
export const DEFAULT_EXTENDED_RESOURCE = 'kata.peerpods.io/vm';

/** The parts of a core/v1 Pod this module reads, as they appear in JSON. Anything else passes through. */
export interface ResourceRequirementsJson {
  requests?: Record<string, unknown> | null;
  limits?: Record<string, unknown> | null;
  claims?: unknown[] | null;
  [field: string]: unknown;
}

export interface ContainerJson {
  name?: unknown;
  resources?: ResourceRequirementsJson | null;
  [field: string]: unknown;
}

export interface PodJson {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: {
    name?: unknown;
    generateName?: unknown;
    namespace?: unknown;
    annotations?: Record<string, unknown> | null;
    [field: string]: unknown;
  } | null;
  spec?: {
    runtimeClassName?: unknown;
    containers?: ContainerJson[];
    initContainers?: ContainerJson[] | null;
    resources?: ResourceRequirementsJson | null;
    [field: string]: unknown;
  } | null;
  [field: string]: unknown;
}

export interface MutationOptions {
  /** pods with this spec.runtimeClassName are peer pods */
  targetRuntimeClass: string;
  /** the node extended resource that counts peer-pod VMs, e.g. kata.peerpods.io/vm */
  extendedResource: string;
}

export type JsonPatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** What the stripped resource specs asked for, in the annotations' units (0 = nothing asked). */
export interface PodSizing {
  vcpus: bigint;
  memoryMiB: bigint;
  gpus: bigint;
}

/** A peer pod whose resources cannot be turned into a VM size; admission refuses it. */
export class PodSizingError extends Error {
  override readonly name = 'PodSizingError';
  constructor(
    /** e.g. `spec.containers[1] "sidecar"` or `spec (pod-level resources)` */
    readonly container: string,
    /** e.g. `resources.limits.memory` */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${container}: ${field}: ${problem}`);
  }
}

/** The object is not shaped like a Pod where the mutation has to read or write it. */
export class InvalidPodError extends Error {
  override readonly name = 'InvalidPodError';
}

export type MutationResult =
  /** another runtime class, or none: not a peer pod */
  | { outcome: 'not-peer-pod'; patch: [] }
  /** a peer pod already in its mutated form */
  | { outcome: 'unchanged'; patch: []; sizing: PodSizing }
  | {
      outcome: 'mutated';
      patch: JsonPatchOperation[];
      /** JSON.stringify(patch): the text the webhook sends */
      patchJson: string;
      sizing: PodSizing;
    }
  | { outcome: 'not-sizable'; error: PodSizingError }
  | { outcome: 'invalid-pod'; error: InvalidPodError };

/** Indexed by CPU, MEMORY and GPU below. */
const SIZED_RESOURCES = ['cpu', 'memory', GPU_RESOURCE] as const;

/** RFC 6901: "~" → "~0", "/" → "~1" (annotation keys and resource names carry "/"). */
export function escapeJsonPointerToken(token: string): string {
  if (token.indexOf('~') === -1 && token.indexOf('/') === -1) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function annotationPath(key: string): string {
  return `/metadata/annotations/${escapeJsonPointerToken(key)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) {
    for (const _ in value) return false;
    return true;
  }
  return false;
}

/** True when `resources` asks for anything: a non-empty requests, limits, claims or unknown field. */
function hasResourceSpec(resources: unknown): boolean {
  if (!isPlainObject(resources)) return false;
  for (const key in resources) if (!isEmptyValue(resources[key])) return true;
  return false;
}

function isExactlyOne(value: unknown): boolean {
  if (value === '1') return true;
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  try {
    return parseQuantity(String(value)).compare(Quantity.fromUnits(1)) === 0;
  } catch {
    return false;
  }
}

function holdsOnlyOne(list: unknown, extendedResource: string): boolean {
  if (!isPlainObject(list)) return false;
  let count = 0;
  for (const key in list) {
    if (key !== extendedResource || !isExactlyOne(list[key])) return false;
    count++;
  }
  return count === 1;
}

/** True when `resources` is exactly `{requests: {<vm>: 1}, limits: {<vm>: 1}}` (empty extras allowed). */
function isPeerPodResources(resources: unknown, extendedResource: string): boolean {
  if (!isPlainObject(resources)) return false;
  for (const key in resources) {
    if (key === 'requests' || key === 'limits') continue;
    if (!isEmptyValue(resources[key])) return false;
  }
  return holdsOnlyOne(resources.requests, extendedResource) && holdsOnlyOne(resources.limits, extendedResource);
}

function containerLabel(list: 'containers' | 'initContainers', index: number, container: ContainerJson): string {
  // Valid names are DNS labels (≤ 63 characters); anything else is cut and escaped for the message.
  const name = typeof container.name === 'string' ? ` ${JSON.stringify(container.name.slice(0, 63))}` : '';
  return `spec.${list}[${index}]${name}`;
}

/**
 * Where a resources block sits, for error messages: a container (named only when there is an
 * error to report) or the pod-level resources. One object per pod, moved from container to container.
 */
interface Where {
  list: 'containers' | 'initContainers' | 'pod';
  index: number;
  container: ContainerJson | undefined;
}

function label(where: Where): string {
  return where.list === 'pod'
    ? 'spec (pod-level resources)'
    : containerLabel(where.list, where.index, where.container!);
}

function readQuantity(value: unknown, where: Where, field: string): Quantity {
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
    throw new PodSizingError(
      label(where),
      field,
      `must be a quantity string such as "500m" or "1Gi", got ${describe(value)}`,
    );
  }
  let quantity: Quantity;
  try {
    quantity = parseQuantity(typeof value === 'string' ? value : String(value));
  } catch (error) {
    if (error instanceof QuantityError) throw new PodSizingError(label(where), field, error.message);
    throw error;
  }
  if (quantity.sign() < 0) {
    throw new PodSizingError(label(where), field, `must not be negative, got "${String(value)}"`);
  }
  return quantity;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}

/** A resources.requests or resources.limits value, validated; undefined when absent. */
function resourceList(
  list: unknown,
  listName: 'requests' | 'limits',
  where: Where,
): Record<string, unknown> | undefined {
  if (list === undefined || list === null) return undefined;
  if (!isPlainObject(list)) {
    throw new PodSizingError(
      label(where),
      `resources.${listName}`,
      `must be a map of resource name to quantity, got ${describe(list)}`,
    );
  }
  return list;
}

/**
 * Running sums in nano-units, indexed like SIZED_RESOURCES (plain bigints: a sum is added to
 * for every container of every admission).
 */
interface Totals {
  requests: bigint[];
  limits: bigint[];
}

const REQUEST_FIELDS = SIZED_RESOURCES.map((resource) => `resources.requests.${resource}`);
const LIMIT_FIELDS = SIZED_RESOURCES.map((resource) => `resources.limits.${resource}`);

/**
 * Adds one resources block to the running totals. A limit without a request counts as the request
 * too: that is the API server's defaulting, which has already happened to every pod it sends us,
 * so this only matters when the function is called with an undefaulted pod.
 */
function addResources(totals: Totals, resources: unknown, where: Where): void {
  if (resources === undefined || resources === null) return;
  if (!isPlainObject(resources)) {
    throw new PodSizingError(label(where), 'resources', `must be an object, got ${describe(resources)}`);
  }
  const requests = resourceList(resources.requests, 'requests', where);
  const limits = resourceList(resources.limits, 'limits', where);
  if (requests === undefined && limits === undefined) return;
  // Named reads (not a loop over the names): each site sees few object shapes and stays fast.
  addResource(totals, CPU, requests?.cpu, limits?.cpu, where);
  addResource(totals, MEMORY, requests?.memory, limits?.memory, where);
  addResource(totals, GPU, requests?.['nvidia.com/gpu'], limits?.['nvidia.com/gpu'], where);
}

function addResource(totals: Totals, index: number, requestValue: unknown, limitValue: unknown, where: Where): void {
  const limit = limitValue === undefined ? undefined : readQuantity(limitValue, where, LIMIT_FIELDS[index]!).nanos;
  const request = requestValue === undefined ? limit : readQuantity(requestValue, where, REQUEST_FIELDS[index]!).nanos;
  if (request !== undefined) totals.requests[index]! += request;
  if (limit !== undefined) totals.limits[index]! += limit;
}

/** limit when limit ≥ request > 0, else request (0 when nothing was asked). */
function chosenTotal(totals: Totals, index: number): bigint {
  const request = totals.requests[index]!;
  const limit = totals.limits[index]!;
  if (request > 0n && limit >= request) return limit;
  return request > 0n ? request : 0n;
}

function emptyTotals(): Totals {
  return { requests: [0n, 0n, 0n], limits: [0n, 0n, 0n] };
}

const CPU = 0;
const MEMORY = 1;
const GPU = 2;

function containerList(spec: NonNullable<PodJson['spec']>, list: 'containers' | 'initContainers'): ContainerJson[] {
  const value = spec[list];
  if (value === undefined || value === null) {
    if (list === 'containers') {
      throw new InvalidPodError('spec.containers is missing: a Pod needs at least one container');
    }
    return [];
  }
  if (!Array.isArray(value)) throw new InvalidPodError(`spec.${list} must be an array, got ${describe(value)}`);
  for (let index = 0; index < value.length; index++) {
    const container: unknown = value[index];
    if (!isPlainObject(container)) {
      throw new InvalidPodError(`spec.${list}[${index}] must be an object, got ${describe(container)}`);
    }
  }
  if (list === 'containers' && value.length === 0) {
    throw new InvalidPodError('spec.containers is empty: a Pod needs at least one container');
  }
  return value as ContainerJson[];
}

function addContainers(totals: Totals, list: 'containers' | 'initContainers', containers: ContainerJson[]): void {
  const where: Where = { list, index: 0, container: undefined };
  for (let index = 0; index < containers.length; index++) {
    const container = containers[index]!;
    where.index = index;
    where.container = container;
    addResources(totals, container.resources, where);
  }
}

/**
 * The VM size the pod's containers (and pod-level resources, when set) ask for.
 * Throws PodSizingError naming the container and field that cannot be read.
 */
export function podSizing(
  containers: ContainerJson[],
  initContainers: ContainerJson[],
  podResources: unknown,
): PodSizing {
  const totals = emptyTotals();
  addContainers(totals, 'containers', containers);
  addContainers(totals, 'initContainers', initContainers);
  const chosen = [chosenTotal(totals, CPU), chosenTotal(totals, MEMORY), chosenTotal(totals, GPU)];
  // Pod-level resources (PodLevelResources, Kubernetes 1.32+) bound the whole pod; where they name a
  // resource they are the pod's size for it, as the scheduler also reads them.
  if (hasResourceSpec(podResources)) {
    const podTotals = emptyTotals();
    addResources(podTotals, podResources, { list: 'pod', index: 0, container: undefined });
    const podLevel = podResources as ResourceRequirementsJson;
    for (let i = 0; i < SIZED_RESOURCES.length; i++) {
      const resource = SIZED_RESOURCES[i]!;
      const named =
        (isPlainObject(podLevel.requests) && podLevel.requests[resource] !== undefined) ||
        (isPlainObject(podLevel.limits) && podLevel.limits[resource] !== undefined);
      if (named) chosen[i] = chosenTotal(podTotals, i);
    }
  }
  return {
    vcpus: new Quantity(chosen[CPU]!).roundUpToUnits(),
    memoryMiB: new Quantity(chosen[MEMORY]!).roundUpToMebibytes(),
    gpus: new Quantity(chosen[GPU]!).roundUpToUnits(),
  };
}

/** The sizing annotations, indexed like SIZED_RESOURCES. */
const SIZING_ANNOTATIONS = [VCPUS_ANNOTATION, MEMORY_ANNOTATION, GPUS_ANNOTATION] as const;

/** The first container's resources after mutation: one VM, requested and limited. */
function vmResources(extendedResource: string): ResourceRequirementsJson {
  return { requests: { [extendedResource]: '1' }, limits: { [extendedResource]: '1' } };
}

/** True when the pod asks for the target runtime class. */
export function isPeerPod(pod: PodJson, targetRuntimeClass: string): boolean {
  return isPlainObject(pod.spec) && pod.spec.runtimeClassName === targetRuntimeClass;
}

/** Computes the JSON Patch that turns `pod` into a peer pod counted by the extended resource. */
export function mutatePod(pod: PodJson, options: MutationOptions): MutationResult {
  if (!isPlainObject(pod)) {
    return { outcome: 'invalid-pod', error: new InvalidPodError('the object is not a JSON object') };
  }
  const spec = pod.spec;
  if (spec !== undefined && spec !== null && !isPlainObject(spec)) {
    return { outcome: 'invalid-pod', error: new InvalidPodError(`spec must be an object, got ${describe(spec)}`) };
  }
  const runtimeClassName = spec?.runtimeClassName;
  if (runtimeClassName !== undefined && runtimeClassName !== null && typeof runtimeClassName !== 'string') {
    return {
      outcome: 'invalid-pod',
      error: new InvalidPodError(`spec.runtimeClassName must be a string, got ${describe(runtimeClassName)}`),
    };
  }
  if (!spec || runtimeClassName !== options.targetRuntimeClass) return { outcome: 'not-peer-pod', patch: [] };

  let containers: ContainerJson[];
  let initContainers: ContainerJson[];
  const metadata = pod.metadata;
  try {
    containers = containerList(spec, 'containers');
    initContainers = containerList(spec, 'initContainers');
    if (metadata !== undefined && metadata !== null && !isPlainObject(metadata)) {
      throw new InvalidPodError(`metadata must be an object, got ${describe(metadata)}`);
    }
    const annotations = metadata?.annotations;
    if (annotations !== undefined && annotations !== null && !isPlainObject(annotations)) {
      throw new InvalidPodError(`metadata.annotations must be a map of strings, got ${describe(annotations)}`);
    }
  } catch (error) {
    if (error instanceof InvalidPodError) return { outcome: 'invalid-pod', error };
    throw error;
  }

  let sizing: PodSizing;
  try {
    sizing = podSizing(containers, initContainers, spec.resources);
  } catch (error) {
    if (error instanceof PodSizingError) return { outcome: 'not-sizable', error };
    throw error;
  }

  const patch = [
    ...resourcePatch(containers, initContainers, spec.resources, options.extendedResource),
    ...annotationPatch(metadata, sizing),
  ];
  if (patch.length === 0) return { outcome: 'unchanged', patch: [], sizing };
  return { outcome: 'mutated', patch, patchJson: JSON.stringify(patch), sizing };
}

/**
 * Empties every container's and init container's resources, gives the first container the VM,
 * and removes pod-level resources; a container already as desired gets no operation.
 */
function resourcePatch(
  containers: ContainerJson[],
  initContainers: ContainerJson[],
  podResources: unknown,
  extendedResource: string,
): JsonPatchOperation[] {
  const patch: JsonPatchOperation[] = [];
  containers.forEach(({ resources }, index) => {
    if (index === 0) {
      if (isPeerPodResources(resources, extendedResource)) return;
      const op = resources === undefined ? 'add' : 'replace';
      patch.push({ op, path: '/spec/containers/0/resources', value: vmResources(extendedResource) });
    } else if (hasResourceSpec(resources)) {
      patch.push({ op: 'replace', path: `/spec/containers/${index}/resources`, value: {} });
    }
  });
  initContainers.forEach(({ resources }, index) => {
    if (hasResourceSpec(resources)) {
      patch.push({ op: 'replace', path: `/spec/initContainers/${index}/resources`, value: {} });
    }
  });
  if (hasResourceSpec(podResources)) patch.push({ op: 'remove', path: '/spec/resources' });
  return patch;
}

/** Adds the sizing annotations that are non-zero and not already set by the user. */
function annotationPatch(metadata: PodJson['metadata'], sizing: PodSizing): JsonPatchOperation[] {
  const existing = isPlainObject(metadata?.annotations) ? metadata.annotations : undefined;
  const values = [sizing.vcpus, sizing.memoryMiB, sizing.gpus];
  const added: Record<string, string> = {};
  for (let i = 0; i < SIZING_ANNOTATIONS.length; i++) {
    const key = SIZING_ANNOTATIONS[i]!;
    if (values[i]! > 0n && !(existing && Object.hasOwn(existing, key))) added[key] = values[i]!.toString();
  }
  const keys = Object.keys(added);
  if (keys.length === 0) return [];
  // Into the existing map one key at a time; a missing map (or metadata) is added whole.
  if (existing) return keys.map((key) => ({ op: 'add', path: annotationPath(key), value: added[key] }));
  if (isPlainObject(metadata)) return [{ op: 'add', path: '/metadata/annotations', value: added }];
  return [{ op: 'add', path: '/metadata', value: { annotations: added } }];
}
