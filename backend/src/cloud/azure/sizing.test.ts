import type { ResourceSku, Usage } from '@azure/arm-compute';
import { describe, expect, it } from 'vitest';
import { DC2AS_V5 } from '../test/vm-sizes.ts';
import {
  familyQuotaName,
  normalizeLocation,
  unreadVcpuReadings,
  USAGES_PERMISSION,
  vcpuReadings,
  vmSizeFromSku,
  vmSizesFromSkus,
} from './sizing.ts';

function sku(name: string, capabilities: Record<string, string>, overrides: Partial<ResourceSku> = {}): ResourceSku {
  return {
    resourceType: 'virtualMachines',
    name,
    family: 'standardDCASv5Family',
    capabilities: Object.entries(capabilities).map(([capability, value]) => ({ name: capability, value })),
    ...overrides,
  };
}

function usage(value: string, localizedValue: string, limit: number, currentValue: number): Usage {
  return { unit: 'Count', limit, currentValue, name: { value, localizedValue } };
}

describe('vmSizeFromSku', () => {
  it('reads vCPUs, memory in MiB, GPUs and the quota family from the capabilities', () => {
    expect(
      vmSizeFromSku(
        sku('Standard_NC6s_v3', { vCPUs: '6', MemoryGB: '112', GPUs: '1' }, { family: 'standardNCSv3Family' }),
      ),
    ).toEqual({
      name: 'Standard_NC6s_v3',
      vcpus: 6,
      memoryMiB: 114688,
      gpus: 1,
      quota: 'standardNCSv3Family',
    });
  });

  it('rounds fractional GiB to whole MiB and counts no GPUs when the SKU names none', () => {
    expect(vmSizeFromSku(sku('Standard_A1_v2', { vCPUs: '1', MemoryGB: '1.7' }))).toMatchObject({
      memoryMiB: 1741,
      gpus: 0,
    });
  });

  it('leaves out a SKU that does not tell its vCPUs or memory', () => {
    expect(vmSizeFromSku(sku('Standard_X', { MemoryGB: '8' }))).toBeUndefined();
    expect(vmSizeFromSku(sku('Standard_X', { vCPUs: '2', MemoryGB: 'lots' }))).toBeUndefined();
  });
});

describe('vmSizesFromSkus', () => {
  const skus = [
    sku('Standard_DC2as_v5', { vCPUs: '2', MemoryGB: '8' }),
    sku('Standard_D4s_v5', { vCPUs: '4', MemoryGB: '16' }, { family: 'standardDSv5Family' }),
    sku('Premium_LRS', { MaxSizeGiB: '4' }, { resourceType: 'disks' }),
  ];

  it('answers the asked sizes in the order asked, spelled as Azure spells them', () => {
    expect(vmSizesFromSkus(skus, ['standard_d4s_v5', 'STANDARD_DC2AS_V5']).map((size) => size.name)).toEqual([
      'Standard_D4s_v5',
      'Standard_DC2as_v5',
    ]);
  });

  it('leaves out names Azure does not know, other resource types and repeats', () => {
    expect(
      vmSizesFromSkus(skus, ['Standard_Nope', 'Premium_LRS', 'Standard_DC2as_v5', 'standard_dc2as_v5']).map(
        (size) => size.name,
      ),
    ).toEqual(['Standard_DC2as_v5']);
  });

  it('still answers a size restricted in the location', () => {
    const restricted = sku(
      'Standard_DC2as_v5',
      { vCPUs: '2', MemoryGB: '8' },
      { restrictions: [{ type: 'Location', values: ['eastus'], reasonCode: 'NotAvailableForSubscription' }] },
    );
    expect(vmSizesFromSkus([restricted], ['Standard_DC2as_v5'])).toEqual([DC2AS_V5]);
  });
});

describe('vcpuReadings', () => {
  const usages = [
    usage('availabilitySets', 'Availability Sets', 2500, 0),
    usage('cores', 'Total Regional vCPUs', 20, 12),
    usage('standardDCASv5Family', 'Standard DCASv5 Family vCPUs', 10, 4),
  ];

  it('reads the family first, then the region, with their limits and use', () => {
    expect(vcpuReadings(DC2AS_V5, usages, 'eastus')).toEqual([
      { code: 'standardDCASv5Family', name: 'Standard DCASv5 Family vCPUs', state: 'known', limit: 10, used: 4 },
      { code: 'cores', name: 'Total Regional vCPUs', state: 'known', limit: 20, used: 12 },
    ]);
  });

  it('calls a family Azure lists no usage for unknown, and says so', () => {
    const [family, total] = vcpuReadings({ ...DC2AS_V5, quota: 'standardXYZv9Family' }, usages, 'eastus');
    expect(family).toMatchObject({
      code: 'standardXYZv9Family',
      name: 'Standard XYZv9 Family vCPUs',
      state: 'unknown',
      detail: 'Azure lists no vCPU usage for standardXYZv9Family in eastus.',
    });
    expect(total?.state).toBe('known');
  });

  it('calls the family unknown when the size names none', () => {
    expect(vcpuReadings({ ...DC2AS_V5, quota: undefined }, usages, 'eastus')[0]).toMatchObject({ state: 'unknown' });
  });
});

describe('unreadVcpuReadings', () => {
  it('gives both readings the same outcome, naming the permission to grant', () => {
    const readings = unreadVcpuReadings(DC2AS_V5, {
      state: 'not-permitted',
      permission: USAGES_PERMISSION,
      detail: 'Refused.',
    });
    expect(readings.map((reading) => [reading.code, reading.state, reading.permission])).toEqual([
      ['standardDCASv5Family', 'not-permitted', 'Microsoft.Compute/locations/usages/read'],
      ['cores', 'not-permitted', 'Microsoft.Compute/locations/usages/read'],
    ]);
  });
});

describe('names', () => {
  it('names a family’s usage as Azure does', () => {
    expect(familyQuotaName('standardDCASv5Family')).toBe('Standard DCASv5 Family vCPUs');
    expect(familyQuotaName('standardBSFamily')).toBe('Standard BS Family vCPUs');
  });

  it('turns a location’s display name into its ARM name', () => {
    expect(normalizeLocation('East US 2')).toBe('eastus2');
    expect(normalizeLocation('westeurope')).toBe('westeurope');
  });
});
