import { describe, expect, it } from 'vitest';
import {
  capacityDelta,
  type CapacityDelta,
  type CapacitySummary,
  type ConfigCapacity,
  type NodeCapacity,
  type PendingPeerPod,
  type UnaccountedPeerPod,
} from './api.ts';
import { applyCapacityDelta, diffCapacity, diffList, sameJson } from './capacity-delta.ts';

/** A small seeded generator (mulberry32), so a failing sequence can be replayed by its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}
type Random = ReturnType<typeof random>;

const byName = new Intl.Collator('en', { numeric: true }).compare;
const byPod = (a: { namespace: string | null; name: string | null }, b: typeof a) =>
  `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`);

function node(r: Random, name: string, hidden: boolean): NodeCapacity {
  const used = r.int(12);
  const allocatable = r.pick([null, 10, 12]);
  return {
    name,
    source: 'config',
    config: { namespace: 'openshift-sandboxed-containers-operator', name: 'peerpodconfig-openshift' },
    matchedConfigs: [{ namespace: 'openshift-sandboxed-containers-operator', name: 'peerpodconfig-openshift' }],
    override: r.pick([null, 4]),
    desiredState: 'advertise',
    desired: 10,
    advertised: allocatable,
    allocatable,
    used,
    free: Math.max(0, (allocatable ?? 0) - used),
    overcommitted: used > (allocatable ?? 0),
    pods: used,
    pendingHere: r.int(2),
    pendingPinned: 0,
    drift: r.pick([null, 'differs']),
    caaOwner: null,
    problems: [],
    vms: Array.from({ length: r.int(3) }, (_, i) =>
      r.chance(0.2)
        ? { id: hidden ? null : `i-orphan${i}`, name: hidden ? null : `podvm-gone-${i}`, state: 'running' }
        : {
            id: hidden ? null : `i-${name}-${i}`,
            name: hidden ? null : `podvm-web-${i}-1a2b3c4d`,
            state: r.pick(['pending', 'running']),
            pod: { namespace: hidden ? null : 'shop', name: hidden ? null : `web-${i}` },
          },
    ),
    otherWriters: [],
    flaps: r.int(2),
    lastFlap: null,
  };
}

const pending = (r: Random, namespace: string, name: string, hidden: boolean): PendingPeerPod => ({
  namespace: hidden ? null : namespace,
  name: hidden ? null : name,
  since: r.pick([null, '2025-01-01T11:00:00Z']),
  message: r.pick(['0/3 nodes are available: 3 Insufficient kata.peerpods.io/vm.', 'waiting']),
  pinnedNode: r.pick([null, 'worker-2']),
});

const unaccounted = (r: Random, namespace: string, name: string, hidden: boolean): UnaccountedPeerPod => ({
  namespace: hidden ? null : namespace,
  name: hidden ? null : name,
  nodeName: r.pick([null, 'worker-1']),
  phase: r.pick(['Pending', 'Running']),
  reason: 'no kata.peerpods.io/vm request',
});

const config = (r: Random, name: string): ConfigCapacity => ({
  namespace: 'openshift-sandboxed-containers-operator',
  name,
  limit: r.pick(['10', '12', 'ten']),
  validLimit: r.pick([10, 12, null]),
  problem: null,
  nodeSelector: { 'node-role.kubernetes.io/kata-oc': '' },
  nodes: r.int(40),
});

const NODE_NAMES = Array.from({ length: 40 }, (_, i) => `worker-${i}`);
const POD_NAMES = Array.from({ length: 30 }, (_, i) => [i % 3 === 0 ? 'batch' : 'shop', `web-${i}`] as const);
const CONFIG_NAMES = ['peerpodconfig-openshift', 'gpu', 'edge'];

/**
 * The next summary of a random sequence: each list loses, gains and changes some items, keeps the
 * others (the same objects, or equal copies as a model that rebuilt them would), and now and then
 * comes in another order.
 */
function evolve(r: Random, previous: CapacitySummary | undefined, hidden: boolean): CapacitySummary {
  function list<T>(
    before: readonly T[] | undefined,
    pool: readonly string[],
    keyOf: (item: T) => string,
    make: (key: string) => T,
    order: (a: T, b: T) => number,
  ): T[] {
    const kept = new Map((before ?? []).map((item) => [keyOf(item), item]));
    const result: T[] = [];
    for (const key of pool) {
      const had = kept.get(key);
      if (had === undefined ? r.chance(0.3) : !r.chance(0.1)) {
        if (had === undefined || r.chance(0.15)) result.push(make(key));
        else result.push(r.chance(0.2) ? (JSON.parse(JSON.stringify(had)) as T) : had);
      }
    }
    result.sort(order);
    if (r.chance(0.05)) result.reverse();
    return result;
  }
  const podKey = (pod: { namespace: string | null; name: string | null }, i?: number) =>
    hidden ? String(i) : `${pod.namespace}/${pod.name}`;
  const pods = POD_NAMES.map(([ns, name]) => `${ns}/${name}`);
  const fromKey = (key: string) => key.split('/') as [string, string];
  // Without pod names a pod has no key: pick items by position instead.
  const hiddenList = <T>(before: readonly T[] | undefined, make: () => T): T[] => {
    const result = (before ?? []).filter(() => !r.chance(0.15)).map((item) => (r.chance(0.15) ? make() : item));
    for (let n = r.int(3); n > 0; n--) result.splice(r.int(result.length + 1), 0, make());
    return result;
  };
  return {
    revision: (previous?.revision ?? 0) + 1 + r.int(5),
    generatedAt: new Date(Date.UTC(2025, 0, 1, 12, 0, r.int(60))).toISOString(),
    extendedResource: r.chance(0.02) ? 'example.com/vm' : (previous?.extendedResource ?? 'kata.peerpods.io/vm'),
    targetRuntimeClass: previous?.targetRuntimeClass ?? 'kata-remote',
    orphans: r.pick([null, 0, 1]),
    podNames: hidden ? 'hidden' : 'shown',
    totals:
      previous && r.chance(0.3)
        ? previous.totals
        : {
            nodes: r.int(40),
            matchingNodes: r.int(40),
            advertisedNodes: r.int(40),
            capacity: r.int(400),
            allocatable: r.int(400),
            desired: r.int(400),
            used: r.int(400),
            free: r.int(400),
            driftNodes: r.int(3),
            caaOwnedNodes: 0,
            otherWriterNodes: 0,
            otherWriters: [],
            flaps: 0,
            pendingForCapacity: r.int(5),
            unaccounted: r.int(5),
            peerPods: r.int(400),
            vms: r.int(400),
          },
    nodes: list(
      previous?.nodes,
      NODE_NAMES,
      (n) => n.name,
      (name) => node(r, name, hidden),
      (a, b) => byName(a.name, b.name),
    ),
    configs: list(
      previous?.configs,
      CONFIG_NAMES,
      (c) => c.name,
      (name) => config(r, name),
      (a, b) => a.name.localeCompare(b.name),
    ),
    pending: hidden
      ? hiddenList(previous?.pending, () => pending(r, '', '', true))
      : list(previous?.pending, pods, podKey, (key) => pending(r, ...fromKey(key), false), byPod),
    unaccounted: hidden
      ? hiddenList(previous?.unaccounted, () => unaccounted(r, '', '', true))
      : list(previous?.unaccounted, pods, podKey, (key) => unaccounted(r, ...fromKey(key), false), byPod),
  };
}

/** What a reader holds after the summary or delta crossed the wire as JSON. */
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('diffCapacity and applyCapacityDelta', () => {
  it('for random sequences of summaries, the deltas applied to the first one give the last, exactly', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const hidden = r.chance(0.25);
      const summaries = [evolve(r, undefined, hidden)];
      for (let step = 0; step < 12; step++) summaries.push(evolve(r, summaries.at(-1), hidden));
      let state = overTheWire(summaries[0]!);
      for (let k = 1; k < summaries.length; k++) {
        const delta = capacityDelta.parse(overTheWire(diffCapacity(summaries[k - 1]!, summaries[k]!)));
        const next = applyCapacityDelta(state, delta);
        expect(next, `seed ${seed}, step ${k}`).toBeDefined();
        state = next!;
        expect(JSON.stringify(state), `seed ${seed}, step ${k}`).toBe(JSON.stringify(summaries[k]));
      }
    }
  });

  it('sends one changed node as one change of one row, and nothing of the lists that did not change', () => {
    const r = random(7);
    const nodes = NODE_NAMES.map((name) => node(r, name, false)).sort((a, b) => byName(a.name, b.name));
    const previous = { ...evolve(r, undefined, false), nodes };
    const changed = { ...nodes[5]!, used: nodes[5]!.used + 1 };
    const next = { ...previous, revision: previous.revision + 3, nodes: nodes.map((n, i) => (i === 5 ? changed : n)) };

    const delta = diffCapacity(previous, next);

    expect(delta).toEqual({
      from: previous.revision,
      to: previous.revision + 3,
      generatedAt: next.generatedAt,
      orphans: next.orphans,
      podNames: 'shown',
      nodes: [{ at: 5, remove: 1, insert: [changed] }],
    });
  });

  it('keeps every item the delta does not change the same object, so the page re-renders only changed rows', () => {
    const r = random(11);
    const previous = evolve(r, undefined, false);
    const next = evolve(r, previous, false);
    const applied = applyCapacityDelta(previous, diffCapacity(previous, next))!;
    for (const row of applied.nodes) {
      const before = previous.nodes.find((n) => n.name === row.name);
      if (before && sameJson(before, row)) expect(row).toBe(before);
    }
  });

  it('shares the fields a changed row did not change with the row it replaces, as a page parsing the delta would hold them', () => {
    const r = random(12);
    const previous = evolve(r, undefined, false);
    const row = previous.nodes[3]!;
    const next = {
      ...previous,
      revision: previous.revision + 1,
      nodes: previous.nodes.map((n) => (n === row ? { ...n, used: n.used + 1 } : n)),
    };
    // As the page gets it: parsed from the wire, every value a new copy.
    const delta = JSON.parse(JSON.stringify(diffCapacity(previous, next))) as CapacityDelta;
    const applied = applyCapacityDelta(previous, delta)!;
    expect(applied).toEqual(next);
    const changed = applied.nodes[3]!;
    expect(changed).not.toBe(row);
    expect(changed.used).toBe(row.used + 1);
    for (const key of Object.keys(row) as (keyof typeof row)[]) {
      if (key !== 'used' && typeof row[key] === 'object' && row[key] !== null) expect(changed[key]).toBe(row[key]);
    }
  });

  it('does not apply to a summary of another revision or podNames, or past a list’s end', () => {
    const r = random(3);
    const previous = evolve(r, undefined, false);
    const next = evolve(r, previous, false);
    const delta = diffCapacity(previous, next);
    expect(applyCapacityDelta({ ...previous, revision: previous.revision - 1 }, delta)).toBeUndefined();
    expect(applyCapacityDelta({ ...previous, podNames: 'hidden' }, delta)).toBeUndefined();
    const tooFar = { ...delta, nodes: [{ at: previous.nodes.length, remove: 1, insert: [] }] };
    expect(applyCapacityDelta(previous, tooFar)).toBeUndefined();
  });

  it('refuses to diff a summary with pod names against one without: that takes a snapshot', () => {
    const r = random(5);
    const shown = evolve(r, undefined, false);
    expect(() => diffCapacity(shown, { ...shown, podNames: 'hidden' })).toThrow(/pod names shown to one with hidden/);
  });
});

describe('diffList', () => {
  const key = (s: string) => s;
  const apply = (list: string[], changes: ReturnType<typeof diffList<string>>) =>
    changes.reduce((l, c) => [...l.slice(0, c.at), ...c.insert, ...l.slice(c.at + c.remove)], list);

  it('merges neighbouring changes into one', () => {
    expect(diffList(['a', 'b', 'c', 'd'], ['a', 'x', 'y', 'd'], key)).toEqual([
      { at: 1, remove: 2, insert: ['x', 'y'] },
    ]);
  });

  it('adds and removes items by key in a sorted list', () => {
    const changes = diffList(['a', 'c', 'e'], ['a', 'b', 'c'], key);
    expect(changes).toEqual([
      { at: 1, remove: 0, insert: ['b'] },
      { at: 3, remove: 1, insert: [] },
    ]);
    expect(apply(['a', 'c', 'e'], changes)).toEqual(['a', 'b', 'c']);
  });

  it('replaces only the middle of a list whose items have no key', () => {
    const changes = diffList<string>(['a', 'b', 'c'], ['a', 'x', 'b', 'c'], () => null);
    expect(changes).toEqual([{ at: 1, remove: 0, insert: ['x'] }]);
  });
});
