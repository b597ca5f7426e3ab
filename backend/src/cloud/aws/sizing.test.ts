// The On-Demand vCPU quota of each instance family, as AWS's On-Demand instance quotas group them,
// and how an instance type and the region's instances become sizes and vCPUs in use.
import type { _InstanceType, Instance } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import {
  countsAgainst,
  instanceFamilyPrefix,
  onDemandQuotaByCode,
  onDemandQuotaOf,
  toVmSizeInfo,
  typesWithoutCpuOptions,
  vcpusInUse,
} from './sizing.ts';

const STANDARD = 'L-1216C47A';
const codeOf = (type: string) => onDemandQuotaOf(type)?.code;

describe('the family of an instance type', () => {
  it('is the prefix before the first digit or dot', () => {
    expect(instanceFamilyPrefix('m6a.large')).toBe('m');
    expect(instanceFamilyPrefix('inf2.xlarge')).toBe('inf');
    expect(instanceFamilyPrefix('u-6tb1.metal')).toBe('u-');
    expect(instanceFamilyPrefix('mac2-m2pro.metal')).toBe('mac');
    expect(instanceFamilyPrefix(' M6A.Large ')).toBe('m');
  });
});

describe('the On-Demand vCPU quota of an instance type', () => {
  it('is Standard for the A, C, D, H, I, M, R, T and Z families', () => {
    const standard = [
      'a1.large',
      'c7i.xlarge',
      'c7i-flex.large',
      'd3en.xlarge',
      'h1.2xlarge',
      'i4i.large',
      'im4gn.large',
      'is4gen.medium',
      'm6a.large',
      'm5zn.large',
      'r7iz.large',
      't3.medium',
      't4g.nano',
      'z1d.large',
    ];
    for (const type of standard) expect(codeOf(type), type).toBe(STANDARD);
  });

  it('is the G and VT quota for G and VT instances', () => {
    for (const type of ['g5.xlarge', 'g4dn.xlarge', 'g6e.xlarge', 'gr6.4xlarge', 'vt1.3xlarge']) {
      expect(codeOf(type), type).toBe('L-DB2E81BA');
    }
  });

  it('is the family’s own quota for P, F, X, Inf, DL and Trn instances', () => {
    expect(codeOf('p4d.24xlarge')).toBe('L-417A185B');
    expect(codeOf('p5.48xlarge')).toBe('L-417A185B');
    expect(codeOf('f1.2xlarge')).toBe('L-74FC7D96');
    expect(codeOf('x2idn.16xlarge')).toBe('L-7295265B');
    expect(codeOf('x1e.xlarge')).toBe('L-7295265B');
    expect(codeOf('inf1.xlarge')).toBe('L-1945791B');
    expect(codeOf('inf2.xlarge')).toBe('L-1945791B');
    expect(codeOf('dl1.24xlarge')).toBe('L-6E869C2A');
    expect(codeOf('trn1.2xlarge')).toBe('L-2C3B7624');
    expect(codeOf('trn1n.32xlarge')).toBe('L-2C3B7624');
  });

  it('is High Memory for the u- and u7i families', () => {
    expect(codeOf('u-6tb1.metal')).toBe('L-43DA4232');
    expect(codeOf('u-12tb1.112xlarge')).toBe('L-43DA4232');
    expect(codeOf('u7i-12tb.224xlarge')).toBe('L-43DA4232');
  });

  it('is unknown for HPC and Mac instances and for names it cannot place', () => {
    for (const type of [
      'hpc7a.96xlarge',
      'hpc6id.32xlarge',
      'mac1.metal',
      'mac2-m2.metal',
      'zz9.large',
      '',
      '5.large',
    ]) {
      expect(onDemandQuotaOf(type), type).toBeUndefined();
    }
  });

  it('carries the name the Service Quotas console shows', () => {
    expect(onDemandQuotaOf('m6a.large')?.name).toBe('Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances');
    expect(onDemandQuotaByCode('L-DB2E81BA')?.name).toBe('Running On-Demand G and VT instances');
    expect(onDemandQuotaByCode('L-00000000')).toBeUndefined();
  });
});

describe('an instance type as a size', () => {
  it('takes the default vCPUs, the memory, the GPUs summed over the GPU kinds, and the family’s quota', () => {
    expect(
      toVmSizeInfo({
        InstanceType: 'g5.12xlarge',
        VCpuInfo: { DefaultVCpus: 48 },
        MemoryInfo: { SizeInMiB: 196608 },
        GpuInfo: { Gpus: [{ Count: 3 }, { Count: 1 }] },
      }),
    ).toEqual({ name: 'g5.12xlarge', vcpus: 48, memoryMiB: 196608, gpus: 4, quota: 'L-DB2E81BA' });
  });

  it('has no GPUs and no quota when EC2 and the table say none', () => {
    expect(
      toVmSizeInfo({
        InstanceType: 'hpc7a.96xlarge',
        VCpuInfo: { DefaultVCpus: 192 },
        MemoryInfo: { SizeInMiB: 786432 },
      }),
    ).toEqual({ name: 'hpc7a.96xlarge', vcpus: 192, memoryMiB: 786432, gpus: 0, quota: undefined });
  });

  it('is nothing without a name', () => {
    expect(toVmSizeInfo({ VCpuInfo: { DefaultVCpus: 2 } })).toBeUndefined();
  });
});

describe('vCPUs in use against a quota', () => {
  const instance = (type: string, extra: Partial<Instance> = {}): Instance => ({
    InstanceType: type as _InstanceType,
    ...extra,
  });

  it('counts On-Demand instances of the quota’s families only, never Spot ones', () => {
    expect(countsAgainst(instance('m6a.large'), STANDARD)).toBe(true);
    expect(countsAgainst(instance('t3.medium', { InstanceLifecycle: 'spot' }), STANDARD)).toBe(false);
    expect(countsAgainst(instance('g5.xlarge'), STANDARD)).toBe(false);
    expect(countsAgainst({}, STANDARD)).toBe(false);
  });

  it('takes an instance’s own CPU options first, else its type’s default vCPUs', () => {
    const defaults = new Map([['m6a.large', 2]]);
    const instances = [
      instance('m6a.large'),
      instance('m6a.large', { CpuOptions: { CoreCount: 1, ThreadsPerCore: 1 } }),
      instance('m6a.4xlarge', { CpuOptions: { CoreCount: 8, ThreadsPerCore: 2 } }),
    ];
    expect(typesWithoutCpuOptions(instances)).toEqual(['m6a.large']);
    expect(vcpusInUse(instances, defaults)).toEqual({ vcpus: 2 + 1 + 16, untold: [] });
  });

  it('names the types whose vCPUs it could not tell', () => {
    expect(vcpusInUse([instance('m6a.large'), instance('t3.nano')], new Map([['m6a.large', 2]]))).toEqual({
      vcpus: 2,
      untold: ['t3.nano'],
    });
  });
});
