// Which VM a peer pod gets, and how many of them the cloud account has room for: the rules both
// sides apply. The backend reads the sizes and quotas from the cloud (backend/src/cloud/*/sizing.ts)
// and answers GET /api/v1/capacity/room; the plugin applies the same rules to a pod's annotations
// and to the limit being typed in an editor. Browser-safe on purpose: no imports.
//
// The selection follows cloud-api-adaptor's documented instance-selection flow
// (src/cloud-api-adaptor/docs/instance-selection.md, SelectInstanceTypeToUse in
// src/cloud-providers/util.go), in its own words here:
//  - the sizes it picks from are the allowed list (PODVM_INSTANCE_TYPES / AZURE_INSTANCE_SIZES),
//    or when that is empty the default size alone, sorted by GPUs, then memory, then vCPUs;
//  - a `machine_type` annotation is taken as it is; else GPUs > 0 picks the first size with at
//    least the GPUs, vCPUs and memory asked; else vCPUs and memory both set pick the first size
//    without GPUs that has at least both; else the default size (PODVM_INSTANCE_TYPE /
//    AZURE_INSTANCE_SIZE, or the adaptor's own default when unset);
//  - a size taken from an annotation or a fit is then checked: with no allowed list it must be the
//    default size, with one it must be on it. The default size itself is never checked.

/** The pod annotations the adaptor sizes a peer pod's VM by (kata's hypervisor annotations). */
export const SIZING_ANNOTATIONS = {
  machineType: 'io.katacontainers.config.hypervisor.machine_type',
  vcpus: 'io.katacontainers.config.hypervisor.default_vcpus',
  /** MiB */
  memory: 'io.katacontainers.config.hypervisor.default_memory',
  gpus: 'io.katacontainers.config.hypervisor.default_gpus',
} as const;

/** The ConfigMap keys that name the default size and the allowed list, per cloud. */
export const SIZE_KEYS = {
  aws: { default: 'PODVM_INSTANCE_TYPE', allowed: 'PODVM_INSTANCE_TYPES' },
  azure: { default: 'AZURE_INSTANCE_SIZE', allowed: 'AZURE_INSTANCE_SIZES' },
} as const;

/** What the adaptor uses when the default-size key is unset (its flag defaults). */
export const ADAPTOR_DEFAULT_SIZE = { aws: 'm6a.large', azure: 'Standard_DC2as_v5' } as const;

/** peer-pods-cm key of the adaptor's own per-node limit, and its default when unset. */
export const ADAPTOR_LIMIT_KEY = 'PEERPODS_LIMIT_PER_NODE';
export const ADAPTOR_DEFAULT_LIMIT = 10;

/** One VM size as the cloud describes it. */
export interface SizeSpec {
  name: string;
  vcpus: number;
  memoryMiB: number;
  gpus: number;
}

/** What a pod asks for through its annotations (0 / '' when it does not ask). */
export interface SizeRequest {
  machineType: string;
  vcpus: number;
  memoryMiB: number;
  gpus: number;
}

/** How a size was chosen. */
export type SizeChoice = 'annotation' | 'gpu-fit' | 'fit' | 'default';

export type SizeSelection =
  | { ok: true; size: string; by: SizeChoice }
  | {
      ok: false;
      /** no-fit: no allowed size is big enough; not-allowed: the size is not on the allowed list / not the default. */
      problem: 'no-fit' | 'not-allowed';
      /** The size that was refused (not-allowed), or '' (no-fit). */
      size: string;
      by: SizeChoice;
    };

const whole = (text: string | undefined): number => {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return 0;
  const value = Number(text.trim());
  return Number.isSafeInteger(value) ? value : 0;
};

/** A pod's request from its annotations; anything that is not a whole number counts as not asked. */
export function sizeRequestOf(annotations: Readonly<Record<string, string>> | undefined): SizeRequest {
  const a = annotations ?? {};
  return {
    machineType: (a[SIZING_ANNOTATIONS.machineType] ?? '').trim(),
    vcpus: whole(a[SIZING_ANNOTATIONS.vcpus]),
    memoryMiB: whole(a[SIZING_ANNOTATIONS.memory]),
    gpus: whole(a[SIZING_ANNOTATIONS.gpus]),
  };
}

/** A comma-separated list of sizes (PODVM_INSTANCE_TYPES, AZURE_INSTANCE_SIZES). */
export function parseSizeList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The adaptor's order: GPUs, then memory, then vCPUs, ascending (a stable copy). */
export function sortSizes(specs: readonly SizeSpec[]): SizeSpec[] {
  return [...specs].sort((a, b) => a.gpus - b.gpus || a.memoryMiB - b.memoryMiB || a.vcpus - b.vcpus);
}

/**
 * The size the adaptor gives a pod. `specs`: the sizes of the candidate list (allowed list, or the
 * default alone) as the cloud describes them, in any order; `allowed`: the allowed list as written.
 */
export function selectSize(
  request: SizeRequest,
  specs: readonly SizeSpec[],
  allowed: readonly string[],
  defaultSize: string,
): SizeSelection {
  const sorted = sortSizes(specs);
  let chosen = '';
  let by: SizeChoice = 'default';
  if (request.machineType) {
    chosen = request.machineType;
    by = 'annotation';
  } else if (request.gpus > 0) {
    by = 'gpu-fit';
    const fit = sorted.find(
      (s) => s.gpus >= request.gpus && s.vcpus >= request.vcpus && s.memoryMiB >= request.memoryMiB,
    );
    if (!fit) return { ok: false, problem: 'no-fit', size: '', by };
    chosen = fit.name;
  } else if (request.vcpus !== 0 && request.memoryMiB !== 0) {
    by = 'fit';
    const fit = sorted.find((s) => s.gpus === 0 && s.vcpus >= request.vcpus && s.memoryMiB >= request.memoryMiB);
    if (!fit) return { ok: false, problem: 'no-fit', size: '', by };
    chosen = fit.name;
  }
  if (!chosen) return { ok: true, size: defaultSize, by: 'default' };
  if (allowed.length === 0 ? chosen !== defaultSize : !allowed.includes(chosen)) {
    return { ok: false, problem: 'not-allowed', size: chosen, by };
  }
  return { ok: true, size: chosen, by };
}

// ---- the promise and the room --------------------------------------------------------------

/** How many VMs the limits promise, what they need, and what the account can still start. */
export interface RoomVerdict {
  /** VMs the limits allow: the sum of every advertising node's limit (overrides included). */
  promisedVms: number;
  /** vCPUs those VMs need at the default size; null when the size is unknown. */
  promisedVcpus: number | null;
  /** Promised VMs not started yet: promisedVms less the VMs peer pods hold now. */
  stillPromisedVms: number;
  /** vCPUs free in the tightest quota that applies; null when no quota could be read. */
  freeVcpus: number | null;
  /** At most this many more peer-pod VMs can start (free vCPUs / vCPUs per VM); null when unknown. */
  moreVms: number | null;
  /** The limits promise more VMs than the quota holds; null when that cannot be told. */
  exceeds: boolean | null;
}

/**
 * The verdict for `promisedVms` (sum of limits) with `usedVms` already started, VMs of
 * `vcpusPerVm` each, and `freeVcpus` free in the quota (null: unknown).
 */
export function roomVerdict(
  promisedVms: number,
  usedVms: number,
  vcpusPerVm: number | null,
  freeVcpus: number | null,
): RoomVerdict {
  const stillPromisedVms = Math.max(0, promisedVms - usedVms);
  const perVm = vcpusPerVm !== null && vcpusPerVm > 0 ? vcpusPerVm : null;
  const moreVms = perVm !== null && freeVcpus !== null ? Math.floor(Math.max(0, freeVcpus) / perVm) : null;
  return {
    promisedVms,
    promisedVcpus: perVm === null ? null : promisedVms * perVm,
    stillPromisedVms,
    freeVcpus,
    moreVms,
    exceeds: moreVms === null ? null : stillPromisedVms > moreVms,
  };
}

/** The node rows the promise is summed from (the capacity snapshot's NodeCapacity carries these). */
export interface PromiseNode {
  name: string;
  source: 'override' | 'config' | 'none';
  config: { namespace: string; name: string } | null;
  desiredState: 'advertise' | 'absent' | 'undetermined';
  desired: number | null;
  /**
   * The cloud-api-adaptor advertises this node's capacity itself (its pod uid): the node allows
   * what it advertises (PEERPODS_LIMIT_PER_NODE), whatever the PeerPodConfig says.
   */
  caaOwner?: string | null;
  advertised?: number | null;
}

/**
 * VMs the limits would promise if `change` were saved: a new limit for one PeerPodConfig (its
 * nodes without an override), or a new override on one node (null: back to the config's limit,
 * `configLimit`). The rest keep what they have; a node the adaptor owns keeps what it advertises.
 */
export function promisedVms(
  nodes: readonly PromiseNode[],
  change?:
    | { kind: 'limit'; config: { namespace: string; name: string }; limit: number }
    | { kind: 'override'; node: string; override: number | null; configLimit: number | null },
): number {
  let sum = 0;
  for (const node of nodes) {
    if (node.caaOwner) {
      sum += node.advertised ?? 0;
      continue;
    }
    let value = node.desiredState === 'advertise' ? (node.desired ?? 0) : 0;
    if (change?.kind === 'limit' && node.source === 'config' && node.config) {
      if (node.config.namespace === change.config.namespace && node.config.name === change.config.name) {
        value = change.limit;
      }
    } else if (change?.kind === 'override' && node.name === change.node) {
      value = change.override ?? (node.config ? (change.configLimit ?? 0) : 0);
    }
    sum += value;
  }
  return sum;
}
