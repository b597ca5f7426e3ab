// The per-node VM limit, decided as a pure function of one Node and the PeerPodConfigs.
//
// Precedence, from SPEC "The per-node VM limit":
//   1. the Node's override annotation peerpods.openshift.io/vm-limit (a non-negative whole
//      number by the contract's checkLimit; anything else is reported and ignored);
//   2. else spec.limit of the PeerPodConfig whose nodeSelector matches the Node's labels; when
//      several match, peerpodconfig-openshift in openshift-sandboxed-containers-operator wins
//      (otherwise the first by namespace/name) and the overlap is reported; a winning config
//      whose limit is not a whole number is reported and its nodes are left as they are;
//   3. else the Node must not carry the resource at all (upstream never removed it).
// A Node annotated kata.peerpods.io/caa-owner is advertised by cloud-api-adaptor's DaemonSet:
// the decision is still computed (to report drift) but nothing may be written to it.
import type { ConfigRef, Drift } from '@peer-pods-console/contract';
import {
  CAA_OWNER_ANNOTATION,
  checkLimit,
  DEFAULT_PEER_POD_CONFIG,
  MAX_LIMIT,
  VM_LIMIT_OVERRIDE_ANNOTATION,
} from '@peer-pods-console/contract/capacity';
import { parseQuantity, type Quantity } from '../kube/quantity.ts';

const NANOS = 1_000_000_000n;

/** The operator's default when a PeerPodConfig has no nodeSelector at all. */
export const DEFAULT_NODE_SELECTOR: Readonly<Record<string, string>> = { 'node-role.kubernetes.io/kata-oc': '' };

export interface NodeFacts {
  name: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
}

export interface ConfigFacts {
  namespace: string;
  name: string;
  /** spec.limit as stored (a string by the CRD). */
  limit: unknown;
  /** spec.nodeSelector; undefined when absent. An empty map selects every node (label-selector semantics). */
  nodeSelector?: Readonly<Record<string, string>>;
}

export type Desired =
  | { state: 'advertise'; value: number; source: 'override' }
  | { state: 'advertise'; value: number; source: 'config'; config: ConfigRef }
  /** Matches no PeerPodConfig and has no override: must not carry the resource. */
  | { state: 'absent' }
  /** The winning PeerPodConfig's limit is invalid: leave the node as it is. */
  | { state: 'undetermined'; config: ConfigRef };

export type CapacityProblem =
  | { kind: 'invalid-override'; node: string; value: string; message: string }
  | { kind: 'invalid-limit'; config: ConfigRef; value: string; message: string }
  | { kind: 'selector-overlap'; node: string; winner: ConfigRef; others: ConfigRef[]; message: string };

export interface CapacityDecision {
  desired: Desired;
  /** Every PeerPodConfig whose selector matches, the winner first. */
  matched: ConfigRef[];
  /** The CAA pod uid when cloud-api-adaptor owns the node's advertisement. */
  caaOwner?: string;
  problems: CapacityProblem[];
}

export type LimitParse = { ok: true; value: number } | { ok: false; reason: string };

/**
 * A limit or override as stored (any JSON value), by the contract's rule, which the plugin's
 * editor applies too; the reason says in English which part of the rule it breaks.
 */
export function parseLimit(raw: unknown): LimitParse {
  if (raw === undefined || raw === null) return { ok: false, reason: 'it is not set' };
  if (typeof raw !== 'string') return { ok: false, reason: `it is a ${typeof raw}, not a string of digits` };
  const checked = checkLimit(raw);
  if (checked.ok) return checked;
  if (checked.problem === 'too-large') {
    return {
      ok: false,
      reason: `it is larger than ${MAX_LIMIT}: each peer pod is also a pod on its node, and a node runs at most its pod capacity (maxPods, 250 by default on OpenShift)`,
    };
  }
  return { ok: false, reason: 'it is not a non-negative whole number (digits only, e.g. "10")' };
}

/**
 * A Kubernetes quantity that is a non-negative whole number, e.g. "10", "1k" (the API server
 * writes 1000 back as "1k"), "2000m"; undefined for anything else (fractions, negatives, junk).
 */
export function parseWholeQuantity(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  let quantity: Quantity;
  try {
    quantity = parseQuantity(raw);
  } catch {
    return undefined;
  }
  if (quantity.sign() < 0 || quantity.nanos % NANOS !== 0n) return undefined;
  const value = quantity.nanos / NANOS;
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(value);
}

export function selectorOf(config: Pick<ConfigFacts, 'nodeSelector'>): Readonly<Record<string, string>> {
  return config.nodeSelector ?? DEFAULT_NODE_SELECTOR;
}

export function selectorMatches(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const key in selector) {
    if (labels[key] !== selector[key]) return false;
  }
  return true;
}

export function sameConfig(a: ConfigRef, b: ConfigRef): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}

export function configKey(ref: ConfigRef): string {
  return `${ref.namespace}/${ref.name}`;
}

function compareConfigs(a: ConfigRef, b: ConfigRef): number {
  return a.namespace === b.namespace
    ? a.name < b.name
      ? -1
      : a.name > b.name
        ? 1
        : 0
    : a.namespace < b.namespace
      ? -1
      : 1;
}

/** The limit problem of one PeerPodConfig, or undefined when its limit is valid. */
export function limitProblem(config: ConfigFacts): CapacityProblem | undefined {
  const parsed = parseLimit(config.limit);
  if (parsed.ok) return undefined;
  const value = typeof config.limit === 'string' ? config.limit : (JSON.stringify(config.limit) ?? 'undefined');
  return {
    kind: 'invalid-limit',
    config: { namespace: config.namespace, name: config.name },
    value,
    message: `spec.limit ${JSON.stringify(value)} is not accepted: ${parsed.reason}; the nodes it selects are left as they are until it is fixed`,
  };
}

export interface DecideOptions {
  /** The config that wins when several select a node. Default peerpodconfig-openshift. */
  defaultConfig?: ConfigRef;
}

export function decideCapacity(
  node: NodeFacts,
  configs: Iterable<ConfigFacts>,
  options: DecideOptions = {},
): CapacityDecision {
  const defaultConfig = options.defaultConfig ?? DEFAULT_PEER_POD_CONFIG;
  const problems: CapacityProblem[] = [];
  const caaOwner = CAA_OWNER_ANNOTATION in node.annotations ? node.annotations[CAA_OWNER_ANNOTATION] : undefined;

  const matching = [...configs].filter((c) => selectorMatches(selectorOf(c), node.labels));
  matching.sort((a, b) => {
    const aDefault = sameConfig(a, defaultConfig);
    const bDefault = sameConfig(b, defaultConfig);
    return aDefault === bDefault ? compareConfigs(a, b) : aDefault ? -1 : 1;
  });
  const matched = matching.map((c) => ({ namespace: c.namespace, name: c.name }));
  const winner = matching[0];
  if (matching.length > 1) {
    const others = matched.slice(1);
    problems.push({
      kind: 'selector-overlap',
      node: node.name,
      winner: matched[0]!,
      others,
      message:
        `node ${node.name} is selected by ${matched.length} PeerPodConfigs (${matched.map(configKey).join(', ')}); ` +
        `${configKey(matched[0]!)} ${sameConfig(matched[0]!, defaultConfig) ? 'is the default and wins' : 'wins (first by namespace/name)'}; ` +
        `make the nodeSelectors disjoint or use the node's ${VM_LIMIT_OVERRIDE_ANNOTATION} annotation`,
    });
  }

  let desired: Desired | undefined;
  if (VM_LIMIT_OVERRIDE_ANNOTATION in node.annotations) {
    const raw = node.annotations[VM_LIMIT_OVERRIDE_ANNOTATION]!;
    const parsed = parseLimit(raw);
    if (parsed.ok) {
      desired = { state: 'advertise', value: parsed.value, source: 'override' };
    } else {
      problems.push({
        kind: 'invalid-override',
        node: node.name,
        value: raw,
        message: `annotation ${VM_LIMIT_OVERRIDE_ANNOTATION}=${JSON.stringify(raw)} is ignored: ${parsed.reason}`,
      });
    }
  }
  if (winner) {
    const invalid = limitProblem(winner);
    if (invalid) problems.push(invalid);
    if (!desired) {
      const parsed = parseLimit(winner.limit);
      desired = parsed.ok
        ? { state: 'advertise', value: parsed.value, source: 'config', config: matched[0]! }
        : { state: 'undetermined', config: matched[0]! };
    }
  }
  return { desired: desired ?? { state: 'absent' }, matched, caaOwner, problems };
}

/** What a node carries now, read from its status. */
export interface ActualCapacity {
  /** status.capacity[resource], raw. */
  capacity?: string;
  allocatable?: string;
  hasCapacityMap: boolean;
  hasAllocatableMap: boolean;
}

/** Drift of the advertised capacity from the decision; null when in line or undetermined. */
export function driftOf(desired: Desired, actual: Pick<ActualCapacity, 'capacity'>): Drift | null {
  if (desired.state === 'advertise') {
    if (actual.capacity === undefined) return 'not-advertised';
    return parseWholeQuantity(actual.capacity) === desired.value ? null : 'differs';
  }
  if (desired.state === 'absent') return actual.capacity === undefined ? null : 'unexpected';
  return null;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

function pointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The smallest JSON patch on nodes/status that brings BOTH status.capacity and
 * status.allocatable of the resource to the decision (no kubelet copies one into the other on
 * a kubelet-less node, and on real nodes writing both removes the scheduler's lag), or null when
 * nothing is to be written: in sync, undetermined, or owned by cloud-api-adaptor.
 */
export function planCapacityPatch(
  decision: CapacityDecision,
  actual: ActualCapacity,
  resource: string,
): JsonPatchOp[] | null {
  if (decision.caaOwner !== undefined) return null;
  const { desired } = decision;
  const ops: JsonPatchOp[] = [];
  const token = pointerToken(resource);
  if (desired.state === 'advertise') {
    const value = String(desired.value);
    const fields = [
      ['capacity', actual.capacity, actual.hasCapacityMap],
      ['allocatable', actual.allocatable, actual.hasAllocatableMap],
    ] as const;
    for (const [field, current, hasMap] of fields) {
      if (current !== undefined && parseWholeQuantity(current) === desired.value) continue;
      // "add" replaces an existing member; a missing parent map is added whole.
      ops.push(
        hasMap
          ? { op: 'add', path: `/status/${field}/${token}`, value }
          : { op: 'add', path: `/status/${field}`, value: { [resource]: value } },
      );
    }
  } else if (desired.state === 'absent') {
    if (actual.capacity !== undefined) ops.push({ op: 'remove', path: `/status/capacity/${token}` });
    if (actual.allocatable !== undefined) ops.push({ op: 'remove', path: `/status/allocatable/${token}` });
  }
  return ops.length > 0 ? ops : null;
}
