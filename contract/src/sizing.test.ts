import { describe, expect, it } from 'vitest';
import {
  parseSizeList,
  promisedVms,
  roomVerdict,
  selectSize,
  sizeRequestOf,
  SIZING_ANNOTATIONS,
  sortSizes,
  type PromiseNode,
  type SizeSpec,
} from './sizing.ts';

const spec = (name: string, vcpus: number, memoryMiB: number, gpus = 0): SizeSpec => ({ name, vcpus, memoryMiB, gpus });

const SPECS = [
  spec('m6a.xlarge', 4, 16384),
  spec('g5.xlarge', 4, 16384, 1),
  spec('t3.small', 2, 2048),
  spec('m6a.large', 2, 8192),
  spec('c6a.large', 2, 4096),
];
const ALLOWED = SPECS.map((s) => s.name);

const ask = (annotations: Record<string, string>) => sizeRequestOf(annotations);

describe('sizeRequestOf', () => {
  it('reads the four annotations, and takes anything but a whole number as not asked', () => {
    expect(
      ask({
        [SIZING_ANNOTATIONS.machineType]: ' t3.small ',
        [SIZING_ANNOTATIONS.vcpus]: '2',
        [SIZING_ANNOTATIONS.memory]: '4096',
        [SIZING_ANNOTATIONS.gpus]: 'one',
      }),
    ).toEqual({ machineType: 't3.small', vcpus: 2, memoryMiB: 4096, gpus: 0 });
    expect(sizeRequestOf(undefined)).toEqual({ machineType: '', vcpus: 0, memoryMiB: 0, gpus: 0 });
    expect(ask({ [SIZING_ANNOTATIONS.vcpus]: '-1', [SIZING_ANNOTATIONS.memory]: '1.5' })).toMatchObject({
      vcpus: 0,
      memoryMiB: 0,
    });
  });
});

describe('parseSizeList', () => {
  it('splits on commas and drops blanks', () => {
    expect(parseSizeList(' t3.small, m6a.large,,')).toEqual(['t3.small', 'm6a.large']);
    expect(parseSizeList(undefined)).toEqual([]);
  });
});

describe('sortSizes', () => {
  it('orders by GPUs, then memory, then vCPUs, as the adaptor does', () => {
    expect(sortSizes(SPECS).map((s) => s.name)).toEqual([
      't3.small',
      'c6a.large',
      'm6a.large',
      'm6a.xlarge',
      'g5.xlarge',
    ]);
  });
});

describe('selectSize', () => {
  it.each([
    // [what, annotations, allowed, default, expected]
    ['no annotation: the default', {}, ALLOWED, 'm6a.large', { ok: true, size: 'm6a.large', by: 'default' }],
    [
      'no annotation, default outside the list: still the default (it is never checked)',
      {},
      ['t3.small'],
      'm6a.large',
      { ok: true, size: 'm6a.large', by: 'default' },
    ],
    [
      'machine_type on the list',
      { [SIZING_ANNOTATIONS.machineType]: 'c6a.large' },
      ALLOWED,
      'm6a.large',
      { ok: true, size: 'c6a.large', by: 'annotation' },
    ],
    [
      'machine_type not on the list',
      { [SIZING_ANNOTATIONS.machineType]: 'c5.4xlarge' },
      ALLOWED,
      'm6a.large',
      { ok: false, problem: 'not-allowed', size: 'c5.4xlarge', by: 'annotation' },
    ],
    [
      'machine_type without a list: only the default passes',
      { [SIZING_ANNOTATIONS.machineType]: 'c6a.large' },
      [],
      'm6a.large',
      { ok: false, problem: 'not-allowed', size: 'c6a.large', by: 'annotation' },
    ],
    [
      'machine_type equal to the default without a list',
      { [SIZING_ANNOTATIONS.machineType]: 'm6a.large' },
      [],
      'm6a.large',
      { ok: true, size: 'm6a.large', by: 'annotation' },
    ],
    [
      'machine_type wins over vCPUs and memory',
      {
        [SIZING_ANNOTATIONS.machineType]: 't3.small',
        [SIZING_ANNOTATIONS.vcpus]: '4',
        [SIZING_ANNOTATIONS.memory]: '16384',
      },
      ALLOWED,
      'm6a.large',
      { ok: true, size: 't3.small', by: 'annotation' },
    ],
    [
      'vCPUs and memory: the smallest non-GPU size that holds both',
      { [SIZING_ANNOTATIONS.vcpus]: '2', [SIZING_ANNOTATIONS.memory]: '3000' },
      ALLOWED,
      'm6a.large',
      { ok: true, size: 'c6a.large', by: 'fit' },
    ],
    [
      'vCPUs and memory that need the big one skip the GPU size',
      { [SIZING_ANNOTATIONS.vcpus]: '3', [SIZING_ANNOTATIONS.memory]: '9000' },
      ALLOWED,
      'm6a.large',
      { ok: true, size: 'm6a.xlarge', by: 'fit' },
    ],
    [
      'vCPUs alone: not enough for a fit, the default',
      { [SIZING_ANNOTATIONS.vcpus]: '4' },
      ALLOWED,
      'm6a.large',
      { ok: true, size: 'm6a.large', by: 'default' },
    ],
    [
      'too big for every size',
      { [SIZING_ANNOTATIONS.vcpus]: '64', [SIZING_ANNOTATIONS.memory]: '1024' },
      ALLOWED,
      'm6a.large',
      { ok: false, problem: 'no-fit', size: '', by: 'fit' },
    ],
    [
      'GPUs: the smallest size with the GPUs',
      { [SIZING_ANNOTATIONS.gpus]: '1' },
      ALLOWED,
      'm6a.large',
      { ok: true, size: 'g5.xlarge', by: 'gpu-fit' },
    ],
    [
      'GPUs beyond every size',
      { [SIZING_ANNOTATIONS.gpus]: '2' },
      ALLOWED,
      'm6a.large',
      { ok: false, problem: 'no-fit', size: '', by: 'gpu-fit' },
    ],
  ])('%s', (_what, annotations, allowed, defaultSize, expected) => {
    const specs = SPECS.filter((s) => allowed.includes(s.name) || (allowed.length === 0 && s.name === defaultSize));
    expect(selectSize(ask(annotations), specs, allowed, defaultSize)).toEqual(expected);
  });
});

describe('roomVerdict', () => {
  it('says how many more VMs fit and whether the promise exceeds them (the issue’s example)', () => {
    // limit 10 on 20 nodes, 2 vCPUs each, 64 vCPUs free, nothing running yet
    expect(roomVerdict(200, 0, 2, 64)).toEqual({
      promisedVms: 200,
      promisedVcpus: 400,
      stillPromisedVms: 200,
      freeVcpus: 64,
      moreVms: 32,
      exceeds: true,
    });
  });

  it('counts the VMs already running as kept, not as promised', () => {
    expect(roomVerdict(20, 15, 2, 10)).toMatchObject({ stillPromisedVms: 5, moreVms: 5, exceeds: false });
    expect(roomVerdict(20, 25, 2, 10)).toMatchObject({ stillPromisedVms: 0, exceeds: false });
  });

  it('leaves what it cannot tell unknown', () => {
    expect(roomVerdict(10, 0, null, 64)).toMatchObject({ promisedVcpus: null, moreVms: null, exceeds: null });
    expect(roomVerdict(10, 0, 2, null)).toMatchObject({ promisedVcpus: 20, moreVms: null, exceeds: null });
    expect(roomVerdict(10, 0, 2, -4)).toMatchObject({ moreVms: 0, exceeds: true });
  });
});

describe('promisedVms', () => {
  const config = { namespace: 'osc', name: 'peerpodconfig-openshift' };
  const other = { namespace: 'osc', name: 'gpu' };
  const nodes: PromiseNode[] = [
    { name: 'w1', source: 'config', config, desiredState: 'advertise', desired: 10 },
    { name: 'w2', source: 'config', config, desiredState: 'advertise', desired: 10 },
    { name: 'w3', source: 'override', config, desiredState: 'advertise', desired: 1 },
    { name: 'w4', source: 'config', config: other, desiredState: 'advertise', desired: 4 },
    { name: 'm1', source: 'none', config: null, desiredState: 'absent', desired: null },
    { name: 'w5', source: 'config', config, desiredState: 'undetermined', desired: null },
  ];

  it('sums what the advertising nodes are allowed, overrides included', () => {
    expect(promisedVms(nodes)).toBe(25);
  });

  it('a new limit changes its config’s nodes without an override (an invalid limit’s nodes too)', () => {
    expect(promisedVms(nodes, { kind: 'limit', config, limit: 20 })).toBe(20 * 3 + 1 + 4);
  });

  it('a node whose capacity the adaptor advertises allows what it advertises, whatever the change', () => {
    const owned: PromiseNode[] = [
      ...nodes,
      {
        name: 'c1',
        source: 'config',
        config,
        desiredState: 'advertise',
        desired: 10,
        caaOwner: 'uid-caa',
        advertised: 8,
      },
    ];
    expect(promisedVms(owned)).toBe(25 + 8);
    expect(promisedVms(owned, { kind: 'limit', config, limit: 20 })).toBe(20 * 3 + 1 + 4 + 8);
  });

  it('a new override changes its node; removing it gives back the config limit', () => {
    expect(promisedVms(nodes, { kind: 'override', node: 'w3', override: 5, configLimit: 10 })).toBe(29);
    expect(promisedVms(nodes, { kind: 'override', node: 'w3', override: null, configLimit: 10 })).toBe(34);
    expect(promisedVms(nodes, { kind: 'override', node: 'm1', override: null, configLimit: 10 })).toBe(25);
  });
});
