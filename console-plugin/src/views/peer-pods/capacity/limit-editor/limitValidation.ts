// A VM limit (PeerPodConfig spec.limit, or a node's override) as the admin types it, checked by
// the contract's rule, which the backend applies to what it reads; and how far the nodes follow.
import { checkLimit, type LimitCheck } from '@peer-pods-console/contract/capacity';

import type { NodeCapacity } from '../../../../api/backend';

/** Validates what the admin typed: the contract's rule, with surrounding spaces forgiven. */
export const validateLimit = (input: string): LimitCheck => checkLimit(input.trim());

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
