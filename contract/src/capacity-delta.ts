// Live capacity updates as deltas: what changed from one capacity summary to the next, and how a
// reader applies it. The backend diffs the summary it last streamed against the new one (the
// model keeps every unchanged row the same object, so a diff costs a pointer comparison per row
// and a deep one only where a row was rebuilt); the plugin applies each delta to the summary it
// holds. Browser-safe on purpose: only types are imported, so the plugin takes these functions
// without the schemas (and zod) of api.ts.
import type { CapacityDelta, CapacityListChange, CapacitySummary } from './api.ts';

type Keyed = { namespace: string | null; name: string | null };

/** A list item's identity, or null when it has none to show (a pod whose names are hidden). */
const nodeKey = (node: { name: string }): string => node.name;
const namespacedKey = (item: Keyed): string | null =>
  item.namespace === null || item.name === null ? null : `${item.namespace}/${item.name}`;

/**
 * What changed from `previous` to `next`, both of the same podNames: applyCapacityDelta(previous,
 * delta) equals `next`. Lists change at positions; an item that did not change is not sent.
 */
export function diffCapacity(previous: CapacitySummary, next: CapacitySummary): CapacityDelta {
  if (previous.podNames !== next.podNames) {
    throw new Error(`no delta from a summary with pod names ${previous.podNames} to one with ${next.podNames}`);
  }
  const delta: CapacityDelta = {
    from: previous.revision,
    to: next.revision,
    generatedAt: next.generatedAt,
    orphans: next.orphans,
    podNames: next.podNames,
  };
  if (previous.extendedResource !== next.extendedResource) delta.extendedResource = next.extendedResource;
  if (previous.targetRuntimeClass !== next.targetRuntimeClass) delta.targetRuntimeClass = next.targetRuntimeClass;
  if (!sameJson(previous.totals, next.totals)) delta.totals = next.totals;
  const nodes = diffList(previous.nodes, next.nodes, nodeKey);
  if (nodes.length > 0) delta.nodes = nodes;
  const configs = diffList(previous.configs, next.configs, namespacedKey);
  if (configs.length > 0) delta.configs = configs;
  const pending = diffList(previous.pending, next.pending, namespacedKey);
  if (pending.length > 0) delta.pending = pending;
  const unaccounted = diffList(previous.unaccounted, next.unaccounted, namespacedKey);
  if (unaccounted.length > 0) delta.unaccounted = unaccounted;
  return delta;
}

/**
 * The summary `delta` leads to from `state`; undefined when it does not follow `state` (another
 * `from` revision or podNames, or positions past a list's end): the reader missed something and
 * needs a snapshot. Items the delta does not change stay the same objects.
 */
export function applyCapacityDelta(state: CapacitySummary, delta: CapacityDelta): CapacitySummary | undefined {
  if (delta.from !== state.revision || delta.podNames !== state.podNames) return undefined;
  const nodes = applyListChanges(state.nodes, delta.nodes);
  const configs = applyListChanges(state.configs, delta.configs);
  const pending = applyListChanges(state.pending, delta.pending);
  const unaccounted = applyListChanges(state.unaccounted, delta.unaccounted);
  if (!nodes || !configs || !pending || !unaccounted) return undefined;
  return {
    ...state,
    revision: delta.to,
    generatedAt: delta.generatedAt,
    orphans: delta.orphans,
    extendedResource: delta.extendedResource ?? state.extendedResource,
    targetRuntimeClass: delta.targetRuntimeClass ?? state.targetRuntimeClass,
    totals: delta.totals ?? state.totals,
    nodes,
    configs,
    pending,
    unaccounted,
  };
}

/**
 * The changes that turn `previous` into `next`. Items are matched by key where every item has a
 * distinct one and the items both lists hold keep their order (the summary's lists are sorted);
 * otherwise the equal items at both ends are kept and the middle is replaced.
 */
export function diffList<T>(
  previous: readonly T[],
  next: readonly T[],
  keyOf: (item: T) => string | null,
): CapacityListChange<T>[] {
  if (previous === next) return [];
  return diffInPlace(previous, next, keyOf) ?? diffByKey(previous, next, keyOf) ?? diffEnds(previous, next);
}

/**
 * The lists as `changes` leave it; undefined when a change reaches past its end. An inserted item
 * that takes the place of a removed one (a changed row) takes over the removed item's fields that
 * did not change (the same strings, objects and arrays): a reader that applies deltas for hours
 * then holds each value once, as after the summary it started from, not a copy per delta that
 * touched the row (on 5,000 nodes under churn the page's heap grew by 16 % in 10 minutes).
 */
export function applyListChanges<T>(list: T[], changes: readonly CapacityListChange<T>[] | undefined): T[] | undefined {
  if (!changes || changes.length === 0) return list;
  let result = list;
  for (const { at, remove, insert } of changes) {
    if (at + remove > result.length) return undefined;
    insert.forEach((item, i) => {
      if (i < remove) shareUnchangedFields(result[at + i], item);
    });
    result = result.slice(0, at).concat(insert, result.slice(at + remove));
  }
  return result;
}

/** Points each field of `item` that equals the same field of `previous` at the previous value. */
function shareUnchangedFields(previous: unknown, item: unknown): void {
  if (typeof previous !== 'object' || previous === null || typeof item !== 'object' || item === null) return;
  if (Array.isArray(previous) || Array.isArray(item)) return;
  const from = previous as Record<string, unknown>;
  const to = item as Record<string, unknown>;
  for (const key of Object.keys(to)) {
    if (key in from && to[key] !== from[key] && sameJson(to[key], from[key])) to[key] = from[key];
  }
}

/** Equal as JSON would write them (an undefined property is no property), whatever the key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameJson(item, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keysOf = (o: Record<string, unknown>) => Object.keys(o).filter((k) => o[k] !== undefined);
  const keys = keysOf(x);
  return keys.length === keysOf(y).length && keys.every((k) => k in y && sameJson(x[k], y[k]));
}

/** Collects changes in list order, merging one that starts where the one before ends. */
class ChangeList<T> {
  readonly changes: CapacityListChange<T>[] = [];

  /** At `at`, remove `remove` items of the old list and insert `item` (if any). */
  edit(at: number, remove: number, ...items: T[]): void {
    const last = this.changes.at(-1);
    if (last && last.at + last.insert.length === at) {
      last.remove += remove;
      last.insert.push(...items);
    } else {
      this.changes.push({ at, remove, insert: items });
    }
  }
}

/** Same length, same key at every position: only changed items are replaced. */
function diffInPlace<T>(
  previous: readonly T[],
  next: readonly T[],
  keyOf: (item: T) => string | null,
): CapacityListChange<T>[] | undefined {
  if (previous.length !== next.length) return undefined;
  const list = new ChangeList<T>();
  for (let i = 0; i < next.length; i++) {
    const before = previous[i]!;
    const after = next[i]!;
    if (before === after) continue;
    const key = keyOf(after);
    if (key === null || keyOf(before) !== key) return undefined;
    if (!sameJson(before, after)) list.edit(i, 1, after);
  }
  return list.changes;
}

/** Items added, removed and changed, matched by key; undefined when keys cannot match them. */
function diffByKey<T>(
  previous: readonly T[],
  next: readonly T[],
  keyOf: (item: T) => string | null,
): CapacityListChange<T>[] | undefined {
  const before = distinctKeys(previous, keyOf);
  const after = distinctKeys(next, keyOf);
  if (!before || !after) return undefined;
  // The items both lists hold must come in the same order.
  const kept = before.order.filter((key) => after.has.has(key));
  if (
    !sameJson(
      kept,
      after.order.filter((key) => before.has.has(key)),
    )
  )
    return undefined;
  const list = new ChangeList<T>();
  let i = 0;
  let j = 0;
  // `at` is where previous[i] stands once everything before it has been changed.
  let at = 0;
  while (i < previous.length || j < next.length) {
    if (i < previous.length && !after.has.has(before.order[i]!)) {
      list.edit(at, 1);
      i += 1;
    } else if (j < next.length && !before.has.has(after.order[j]!)) {
      list.edit(at, 0, next[j]!);
      j += 1;
      at += 1;
    } else {
      if (previous[i] !== next[j] && !sameJson(previous[i], next[j])) list.edit(at, 1, next[j]!);
      i += 1;
      j += 1;
      at += 1;
    }
  }
  return list.changes;
}

/** Keeps the equal items at both ends and replaces what lies between. */
function diffEnds<T>(previous: readonly T[], next: readonly T[]): CapacityListChange<T>[] {
  let start = 0;
  while (start < previous.length && start < next.length && sameJson(previous[start], next[start])) start += 1;
  let end = 0;
  while (
    end < previous.length - start &&
    end < next.length - start &&
    sameJson(previous[previous.length - 1 - end], next[next.length - 1 - end])
  ) {
    end += 1;
  }
  const remove = previous.length - start - end;
  const insert = next.slice(start, next.length - end);
  return remove === 0 && insert.length === 0 ? [] : [{ at: start, remove, insert }];
}

/** Each item's key in list order, or undefined when an item has none or two share one. */
function distinctKeys<T>(
  list: readonly T[],
  keyOf: (item: T) => string | null,
): { order: string[]; has: Set<string> } | undefined {
  const order: string[] = [];
  const has = new Set<string>();
  for (const item of list) {
    const key = keyOf(item);
    if (key === null || has.has(key)) return undefined;
    has.add(key);
    order.push(key);
  }
  return { order, has };
}
