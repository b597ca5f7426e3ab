import {
  CAA_OWNER_ANNOTATION,
  DEFAULT_PEER_POD_CONFIG,
  VM_LIMIT_OVERRIDE_ANNOTATION,
} from '@peer-pods-console/contract/capacity';
import { describe, expect, it } from 'vitest';
import {
  decideCapacity,
  driftOf,
  parseLimit,
  parseWholeQuantity,
  planCapacityPatch,
  selectorMatches,
  type ActualCapacity,
  type CapacityDecision,
  type ConfigFacts,
  type Desired,
  type NodeFacts,
} from './desired.ts';

const KATA = 'node-role.kubernetes.io/kata-oc';
const RESOURCE = 'kata.peerpods.io/vm';

function node(labels: Record<string, string> = { [KATA]: '' }, annotations: Record<string, string> = {}): NodeFacts {
  return { name: 'worker-0', labels, annotations };
}

function config(
  name: string,
  limit: unknown,
  nodeSelector?: Record<string, string>,
  namespace = 'team-a',
): ConfigFacts {
  return { namespace, name, limit, nodeSelector };
}

const defaultConfig = (limit: unknown, nodeSelector: Record<string, string> = { [KATA]: '' }) =>
  config(DEFAULT_PEER_POD_CONFIG.name, limit, nodeSelector, DEFAULT_PEER_POD_CONFIG.namespace);

describe('parseLimit accepts only non-negative whole numbers written in digits', () => {
  it.each([
    ['10', 10],
    ['0', 0],
    ['007', 7],
    ['1000', 1000],
  ])('%j → %d', (raw, value) => {
    expect(parseLimit(raw)).toEqual({ ok: true, value });
  });

  it.each([
    [''],
    ['-1'],
    ['1.5'],
    [' 10'],
    ['10 '],
    ['+5'],
    ['1e3'],
    ['1k'],
    ['ten'],
    ['1001'],
    ['500000'],
    ['1000000000'],
    [undefined],
    [null],
    [10],
    [true],
  ])('%j is rejected with a reason', (raw) => {
    const parsed = parseLimit(raw);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.reason.length).toBeGreaterThan(0);
  });
});

describe('parseWholeQuantity reads what the API server writes back', () => {
  it.each([
    ['10', 10],
    ['0', 0],
    ['-0', 0],
    ['1k', 1000],
    ['12k', 12000],
    ['2000m', 2],
    ['1Ki', 1024],
    ['1e3', 1000],
    ['1.0', 1],
    ['1.5k', 1500],
    ['1M', 1_000_000],
  ])('%j → %d', (raw, value) => {
    expect(parseWholeQuantity(raw)).toBe(value);
  });

  it.each([['1500m'], ['1.5'], ['-1'], ['abc'], [''], ['.'], ['1e100'], ['10 '], [undefined], ['1E']])(
    '%j is not a whole number',
    (raw) => {
      expect(parseWholeQuantity(raw)).toBeUndefined();
    },
  );
});

describe('selectorMatches follows label-selector semantics', () => {
  it.each([
    [{ [KATA]: '' }, { [KATA]: '' }, true],
    [{ [KATA]: '' }, { [KATA]: 'yes' }, false],
    [{ [KATA]: '' }, {}, false],
    [{}, { anything: 'x' }, true],
    [{ a: '1', b: '2' }, { a: '1', b: '2', c: '3' }, true],
    [{ a: '1', b: '2' }, { a: '1' }, false],
  ])('%j on %j → %s', (selector, labels, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});

interface DecisionCase {
  name: string;
  node: NodeFacts;
  configs: ConfigFacts[];
  desired: Desired;
  matched?: string[];
  problems?: string[];
  caaOwner?: string;
}

const decisionCases: DecisionCase[] = [
  {
    name: 'a node selected by one config gets its limit',
    node: node(),
    configs: [defaultConfig('10')],
    desired: { state: 'advertise', value: 10, source: 'config', config: DEFAULT_PEER_POD_CONFIG },
    matched: ['openshift-sandboxed-containers-operator/peerpodconfig-openshift'],
  },
  {
    name: 'a limit of 0 is advertised as 0 (the node takes no peer pods)',
    node: node(),
    configs: [defaultConfig('0')],
    desired: { state: 'advertise', value: 0, source: 'config', config: DEFAULT_PEER_POD_CONFIG },
  },
  {
    name: 'a node no config selects must not carry the resource',
    node: node({ 'node-role.kubernetes.io/worker': '' }),
    configs: [defaultConfig('10')],
    desired: { state: 'absent' },
    matched: [],
  },
  {
    name: 'with no config at all, nothing is advertised',
    node: node(),
    configs: [],
    desired: { state: 'absent' },
  },
  {
    name: 'the override annotation wins over the config',
    node: node({ [KATA]: '' }, { [VM_LIMIT_OVERRIDE_ANNOTATION]: '3' }),
    configs: [defaultConfig('10')],
    desired: { state: 'advertise', value: 3, source: 'override' },
  },
  {
    name: 'the override applies to a node no config selects',
    node: node({}, { [VM_LIMIT_OVERRIDE_ANNOTATION]: '4' }),
    configs: [defaultConfig('10')],
    desired: { state: 'advertise', value: 4, source: 'override' },
    matched: [],
  },
  {
    name: 'an invalid override is reported and the config limit applies',
    node: node({ [KATA]: '' }, { [VM_LIMIT_OVERRIDE_ANNOTATION]: 'five' }),
    configs: [defaultConfig('10')],
    desired: { state: 'advertise', value: 10, source: 'config', config: DEFAULT_PEER_POD_CONFIG },
    problems: ['invalid-override'],
  },
  {
    name: 'a negative override is reported; without a config the node carries nothing',
    node: node({}, { [VM_LIMIT_OVERRIDE_ANNOTATION]: '-2' }),
    configs: [],
    desired: { state: 'absent' },
    problems: ['invalid-override'],
  },
  {
    name: 'an empty override is invalid too',
    node: node({ [KATA]: '' }, { [VM_LIMIT_OVERRIDE_ANNOTATION]: '' }),
    configs: [defaultConfig('6')],
    desired: { state: 'advertise', value: 6, source: 'config', config: DEFAULT_PEER_POD_CONFIG },
    problems: ['invalid-override'],
  },
  {
    name: 'when several configs select a node the operator default wins and the overlap is reported',
    node: node({ [KATA]: '', zone: 'a' }),
    configs: [config('aaa-first', '2', { zone: 'a' }), defaultConfig('10')],
    desired: { state: 'advertise', value: 10, source: 'config', config: DEFAULT_PEER_POD_CONFIG },
    matched: ['openshift-sandboxed-containers-operator/peerpodconfig-openshift', 'team-a/aaa-first'],
    problems: ['selector-overlap'],
  },
  {
    name: 'without the default among them, the first config by namespace/name wins, reported',
    node: node({ [KATA]: '', zone: 'a' }),
    configs: [config('zeta', '2', { zone: 'a' }), config('alpha', '7', { [KATA]: '' })],
    desired: { state: 'advertise', value: 7, source: 'config', config: { namespace: 'team-a', name: 'alpha' } },
    matched: ['team-a/alpha', 'team-a/zeta'],
    problems: ['selector-overlap'],
  },
  {
    name: 'an invalid limit on the winning config leaves the node undetermined (left as it is)',
    node: node(),
    configs: [defaultConfig('ten')],
    desired: { state: 'undetermined', config: DEFAULT_PEER_POD_CONFIG },
    problems: ['invalid-limit'],
  },
  {
    name: 'a missing limit is invalid, not silently defaulted',
    node: node(),
    configs: [defaultConfig(undefined)],
    desired: { state: 'undetermined', config: DEFAULT_PEER_POD_CONFIG },
    problems: ['invalid-limit'],
  },
  {
    name: 'a valid override still wins over a config with an invalid limit',
    node: node({ [KATA]: '' }, { [VM_LIMIT_OVERRIDE_ANNOTATION]: '2' }),
    configs: [defaultConfig('1.5')],
    desired: { state: 'advertise', value: 2, source: 'override' },
    problems: ['invalid-limit'],
  },
  {
    name: 'a config without nodeSelector selects the operator default label',
    node: node({ [KATA]: '' }),
    configs: [config('no-selector', '5', undefined)],
    desired: { state: 'advertise', value: 5, source: 'config', config: { namespace: 'team-a', name: 'no-selector' } },
  },
  {
    name: 'a config without nodeSelector does not select nodes lacking the default label',
    node: node({ 'node-role.kubernetes.io/worker': '' }),
    configs: [config('no-selector', '5', undefined)],
    desired: { state: 'absent' },
  },
  {
    name: 'an empty nodeSelector selects every node',
    node: node({ 'node-role.kubernetes.io/worker': '' }),
    configs: [config('everything', '1', {})],
    desired: { state: 'advertise', value: 1, source: 'config', config: { namespace: 'team-a', name: 'everything' } },
  },
  {
    name: 'a CAA-owned node is still decided (for drift) and names its owner',
    node: node({ [KATA]: '' }, { [CAA_OWNER_ANNOTATION]: 'pod-uid-1' }),
    configs: [defaultConfig('10')],
    desired: { state: 'advertise', value: 10, source: 'config', config: DEFAULT_PEER_POD_CONFIG },
    caaOwner: 'pod-uid-1',
  },
];

describe('decideCapacity', () => {
  it.each(decisionCases)('$name', (c) => {
    const decision = decideCapacity(c.node, c.configs);
    expect(decision.desired).toEqual(c.desired);
    if (c.matched) expect(decision.matched.map((m) => `${m.namespace}/${m.name}`)).toEqual(c.matched);
    expect(decision.problems.map((p) => p.kind).sort()).toEqual((c.problems ?? []).sort());
    for (const p of decision.problems) expect(p.message).toMatch(/\w/);
    expect(decision.caaOwner).toBe(c.caaOwner);
  });

  it('honours a custom default config for breaking ties', () => {
    const decision = decideCapacity(node(), [defaultConfig('10'), config('mine', '3', { [KATA]: '' })], {
      defaultConfig: { namespace: 'team-a', name: 'mine' },
    });
    expect(decision.desired).toEqual({
      state: 'advertise',
      value: 3,
      source: 'config',
      config: { namespace: 'team-a', name: 'mine' },
    });
  });

  it('names the node, every config and the winner in the overlap report', () => {
    const decision = decideCapacity(node({ [KATA]: '', zone: 'a' }), [
      config('other', '2', { zone: 'a' }),
      defaultConfig('10'),
    ]);
    const overlap = decision.problems.find((p) => p.kind === 'selector-overlap');
    expect(overlap?.message).toContain('worker-0');
    expect(overlap?.message).toContain('team-a/other');
    expect(overlap?.message).toContain('peerpodconfig-openshift is the default and wins');
  });
});

function decision(desired: Desired, caaOwner?: string): CapacityDecision {
  return { desired, matched: [], caaOwner, problems: [] };
}

const ADVERTISE_10: Desired = { state: 'advertise', value: 10, source: 'config', config: DEFAULT_PEER_POD_CONFIG };
const both = (capacity?: string, allocatable?: string): ActualCapacity => ({
  capacity,
  allocatable,
  hasCapacityMap: true,
  hasAllocatableMap: true,
});

describe('planCapacityPatch writes the smallest patch that sets capacity and allocatable together', () => {
  it.each([
    {
      name: 'a matching node without the resource gets both fields (~1 escapes the slash)',
      desired: ADVERTISE_10,
      actual: both(),
      ops: [
        { op: 'add', path: '/status/capacity/kata.peerpods.io~1vm', value: '10' },
        { op: 'add', path: '/status/allocatable/kata.peerpods.io~1vm', value: '10' },
      ],
    },
    { name: 'a node already at the limit is left alone', desired: ADVERTISE_10, actual: both('10', '10'), ops: null },
    {
      name: 'the canonical form the API server writes back ("1k") counts as equal',
      desired: { state: 'advertise', value: 1000, source: 'override' } as Desired,
      actual: both('1k', '1k'),
      ops: null,
    },
    {
      name: 'only the field that differs is written',
      desired: ADVERTISE_10,
      actual: both('10', '8'),
      ops: [{ op: 'add', path: '/status/allocatable/kata.peerpods.io~1vm', value: '10' }],
    },
    {
      name: 'a node whose status has no capacity/allocatable maps gets them whole',
      desired: ADVERTISE_10,
      actual: { hasCapacityMap: false, hasAllocatableMap: false },
      ops: [
        { op: 'add', path: '/status/capacity', value: { [RESOURCE]: '10' } },
        { op: 'add', path: '/status/allocatable', value: { [RESOURCE]: '10' } },
      ],
    },
    {
      name: 'a value that is not a whole number is replaced',
      desired: ADVERTISE_10,
      actual: both('1500m', '10'),
      ops: [{ op: 'add', path: '/status/capacity/kata.peerpods.io~1vm', value: '10' }],
    },
    {
      name: 'a node that must not carry the resource loses both fields',
      desired: { state: 'absent' } as Desired,
      actual: both('10', '10'),
      ops: [
        { op: 'remove', path: '/status/capacity/kata.peerpods.io~1vm' },
        { op: 'remove', path: '/status/allocatable/kata.peerpods.io~1vm' },
      ],
    },
    {
      name: 'only fields that exist are removed',
      desired: { state: 'absent' } as Desired,
      actual: both('10', undefined),
      ops: [{ op: 'remove', path: '/status/capacity/kata.peerpods.io~1vm' }],
    },
    { name: 'nothing to remove, nothing written', desired: { state: 'absent' } as Desired, actual: both(), ops: null },
    {
      name: 'an undetermined node (invalid config limit) is left as it is',
      desired: { state: 'undetermined', config: DEFAULT_PEER_POD_CONFIG } as Desired,
      actual: both('3', '3'),
      ops: null,
    },
  ])('$name', ({ desired, actual, ops }) => {
    expect(planCapacityPatch(decision(desired), actual, RESOURCE)).toEqual(ops);
  });

  it('never writes a node owned by cloud-api-adaptor, even in drift', () => {
    expect(planCapacityPatch(decision(ADVERTISE_10, 'caa-pod-uid'), both('4', '4'), RESOURCE)).toBeNull();
    expect(planCapacityPatch(decision({ state: 'absent' }, ''), both('4', '4'), RESOURCE)).toBeNull();
  });

  it('escapes ~ and / in the resource name (RFC 6901)', () => {
    expect(planCapacityPatch(decision(ADVERTISE_10), both(), 'example.com/a~b')?.[0]?.path).toBe(
      '/status/capacity/example.com~1a~0b',
    );
  });
});

describe('driftOf', () => {
  it.each([
    [ADVERTISE_10, '10', null],
    [ADVERTISE_10, '1k', 'differs'],
    [ADVERTISE_10, undefined, 'not-advertised'],
    [{ state: 'absent' } as Desired, '10', 'unexpected'],
    [{ state: 'absent' } as Desired, undefined, null],
    [{ state: 'undetermined', config: DEFAULT_PEER_POD_CONFIG } as Desired, '3', null],
  ])('%j with capacity %j → %s', (desired, capacity, drift) => {
    expect(driftOf(desired, { capacity })).toBe(drift);
  });
});
