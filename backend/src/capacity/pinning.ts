// Which one node a peer pod is pinned to, if any: spec.nodeName, a nodeSelector, or required node
// affinity that exactly one known node satisfies. Such a pod waits for a free VM on that node and
// nowhere else, so only that node's limit (or override) lets it run. Pure: the caller passes the
// nodes it knows, with their labels, as the scheduler would evaluate them.

/** One requirement of a node selector term (core/v1 NodeSelectorRequirement). */
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: readonly string[];
}

/** A term: every requirement must hold (core/v1 NodeSelectorTerm). */
export interface NodeSelectorTerm {
  matchExpressions?: readonly NodeSelectorRequirement[];
  /** Only the field `metadata.name` exists for nodes. */
  matchFields?: readonly NodeSelectorRequirement[];
}

/** What of a pod's spec constrains its node. */
export interface PodPlacement {
  nodeName?: string;
  nodeSelector?: Readonly<Record<string, string>>;
  /** spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: any one must hold. */
  requiredTerms?: readonly NodeSelectorTerm[];
}

export interface LabelledNode {
  name: string;
  labels: Readonly<Record<string, string>>;
}

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
}

function requirements(value: unknown): NodeSelectorRequirement[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const r = obj(entry);
    if (typeof r?.key !== 'string' || typeof r.operator !== 'string') return [];
    const values = Array.isArray(r.values) ? r.values.filter((v): v is string => typeof v === 'string') : undefined;
    return [{ key: r.key, operator: r.operator, ...(values ? { values } : {}) }];
  });
}

/**
 * The placement of a raw pod spec; undefined when nothing constrains the node (the common case,
 * kept out of the informer's store).
 */
export function placementOf(spec: unknown): PodPlacement | undefined {
  const s = obj(spec);
  if (!s) return undefined;
  const placement: PodPlacement = {};
  if (typeof s.nodeName === 'string' && s.nodeName) placement.nodeName = s.nodeName;
  const selector = obj(s.nodeSelector);
  if (selector) {
    const entries = Object.entries(selector).filter((e): e is [string, string] => typeof e[1] === 'string');
    if (entries.length > 0) placement.nodeSelector = Object.fromEntries(entries);
  }
  const required = obj(obj(obj(s.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution);
  if (Array.isArray(required?.nodeSelectorTerms)) {
    placement.requiredTerms = (required.nodeSelectorTerms as unknown[]).map((term) => ({
      matchExpressions: requirements(obj(term)?.matchExpressions),
      matchFields: requirements(obj(term)?.matchFields),
    }));
  }
  return Object.keys(placement).length > 0 ? placement : undefined;
}

/** Whether a requirement holds for a value (undefined: the key is absent), as the scheduler reads it. */
function holds(requirement: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      // One integer value; a label that is not an integer never matches.
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0]!))
        return false;
      const [have, want] = [Number(value), Number(values[0])];
      return requirement.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** A term with no requirement matches no node (core/v1 NodeSelectorTerm). */
function termMatches(term: NodeSelectorTerm, node: LabelledNode): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every((r) => holds(r, node.labels[r.key])) &&
    fields.every((r) => holds(r, r.key === 'metadata.name' ? node.name : undefined))
  );
}

/** Whether the scheduler's node selector and required node affinity both admit the node. */
export function admits(placement: PodPlacement, node: LabelledNode): boolean {
  if (placement.nodeName !== undefined && placement.nodeName !== node.name) return false;
  for (const [key, value] of Object.entries(placement.nodeSelector ?? {})) if (node.labels[key] !== value) return false;
  const terms = placement.requiredTerms;
  return terms === undefined || terms.some((term) => termMatches(term, node));
}

/**
 * The one node the pod is pinned to, or null when none or several nodes admit it (or nothing
 * constrains it). spec.nodeName pins by itself, even to a node not known (yet).
 */
export function pinnedNodeOf(placement: PodPlacement | undefined, nodes: Iterable<LabelledNode>): string | null {
  if (!placement) return null;
  if (placement.nodeName !== undefined) return placement.nodeName;
  let found: string | null = null;
  for (const node of nodes) {
    if (!admits(placement, node)) continue;
    if (found !== null) return null;
    found = node.name;
  }
  return found;
}
