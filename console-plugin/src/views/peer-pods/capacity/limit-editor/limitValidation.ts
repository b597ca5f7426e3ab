// The rules a VM limit (PeerPodConfig spec.limit, or a node's override) must follow. The backend
// applies the same rules (backend/src/capacity/desired.ts parseLimit): digits only, at most 10^9.
import type { NodeCapacity } from '../../../../api/backend';

/**
 * The largest limit or override, as the backend's (capacity/desired.ts MAX_LIMIT): every peer pod
 * is also a pod on its node, which runs at most its pod capacity (250 by default on OpenShift).
 */
export const MAX_VM_LIMIT = 1000;

export type LimitProblem = 'empty' | 'negative' | 'not-whole' | 'not-a-number' | 'too-large';

export type LimitValidation = { ok: true; value: number } | { ok: false; problem: LimitProblem };

/** Validates what the admin typed; surrounding spaces and leading zeros are accepted. */
export const validateLimit = (input: string): LimitValidation => {
  const text = input.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  if (!/^[0-9]+$/.test(text)) {
    const number = Number(text);
    if (!Number.isFinite(number)) return { ok: false, problem: 'not-a-number' };
    if (number < 0 || text.startsWith('-')) return { ok: false, problem: 'negative' };
    if (!Number.isInteger(number)) return { ok: false, problem: 'not-whole' };
    // "1e3", "+5", "0x10": whole numbers, but spec.limit takes plain digits.
    return { ok: false, problem: 'not-a-number' };
  }
  const value = Number(text);
  if (value > MAX_VM_LIMIT) return { ok: false, problem: 'too-large' };
  return { ok: true, value };
};

/**
 * The nodes whose VM limit this PeerPodConfig decides (no override, not advertised by
 * cloud-api-adaptor) and that run more peer pods than `limit` would allow.
 */
export const nodesAboveLimit = (
  nodes: readonly NodeCapacity[],
  config: { namespace: string; name: string },
  limit: number,
): NodeCapacity[] => governedNodes(nodes, config).filter((node) => node.used > limit);

/** The nodes that take their limit from this PeerPodConfig. */
export const governedNodes = (
  nodes: readonly NodeCapacity[],
  config: { namespace: string; name: string },
): NodeCapacity[] =>
  nodes.filter(
    (node) =>
      node.source === 'config' &&
      node.config?.namespace === config.namespace &&
      node.config.name === config.name &&
      node.caaOwner === null,
  );

/** A node advertises (capacity and allocatable) exactly what it should. */
export const advertises = (node: NodeCapacity, value: number): boolean =>
  node.desired === value && node.advertised === value && node.allocatable === value;

export type Convergence = {
  /** Nodes that take their limit from the config. */
  total: number;
  /** Of those, the ones that advertise the new limit. */
  converged: number;
  /** The others, by name. */
  waiting: NodeCapacity[];
  /** Nodes the config selects that keep their override. */
  overridden: number;
  /** Nodes whose capacity cloud-api-adaptor advertises from its own setting. */
  caaOwned: number;
};

/** How far the nodes have come in advertising a new PeerPodConfig limit. */
export const convergenceOf = (
  nodes: readonly NodeCapacity[],
  config: { namespace: string; name: string },
  limit: number,
): Convergence => {
  const governed = governedNodes(nodes, config);
  const waiting = governed.filter((node) => !advertises(node, limit));
  const selects = (node: NodeCapacity) =>
    node.matchedConfigs.some((ref) => ref.namespace === config.namespace && ref.name === config.name);
  return {
    total: governed.length,
    converged: governed.length - waiting.length,
    waiting,
    overridden: nodes.filter((node) => node.source === 'override' && selects(node)).length,
    caaOwned: nodes.filter((node) => node.caaOwner !== null && node.source === 'config' && selects(node)).length,
  };
};

/** Whether one node advertises what its override (a number) or, without one, its config decides. */
export const nodeConverged = (node: NodeCapacity, override: number | null): boolean => {
  if (override !== null) return node.source === 'override' && advertises(node, override);
  if (node.source === 'override') return false;
  if (node.desiredState === 'absent') return node.advertised === null;
  return node.desired !== null && advertises(node, node.desired);
};
