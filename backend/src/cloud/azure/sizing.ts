// What Azure says about VM sizes and vCPU quotas, turned into the provider's plain answers: resource
// SKUs → VmSizeInfo (vCPUs, memory, GPUs, and the family whose quota they count against), and the
// usages of a location → the family's and the region's vCPU readings. Pure: the provider reads,
// these map.
import type { ResourceSku, Usage } from '@azure/arm-compute';
import type { VcpuQuotaReading, VmSizeInfo } from '../provider.ts';

/** The usage that caps all of a region's vCPUs, whatever their family. */
export const REGIONAL_VCPUS = { code: 'cores', name: 'Total Regional vCPUs' } as const;
export const SKUS_PERMISSION = 'Microsoft.Compute/skus/read';
export const USAGES_PERMISSION = 'Microsoft.Compute/locations/usages/read';

/** ARM's name of a location: "East US 2" (display name) and "eastus2" both give eastus2. */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

export function skuLocationFilter(region: string): string {
  return `location eq '${region}'`;
}

const numberCapability = (sku: ResourceSku, name: string): number | undefined => {
  const text = sku.capabilities?.find((capability) => capability.name === name)?.value;
  const value = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
};

/** A VM SKU as a size; undefined when it does not tell its vCPUs or memory (it cannot be sized). */
export function vmSizeFromSku(sku: ResourceSku): VmSizeInfo | undefined {
  const vcpus = numberCapability(sku, 'vCPUs');
  const memoryGB = numberCapability(sku, 'MemoryGB');
  if (!sku.name || vcpus === undefined || memoryGB === undefined) return undefined;
  return {
    name: sku.name,
    vcpus,
    memoryMiB: Math.round(memoryGB * 1024),
    gpus: numberCapability(sku, 'GPUs') ?? 0,
    quota: sku.family || undefined,
  };
}

/**
 * The asked sizes among a location's SKUs, in the order asked: matched without regard to case and
 * named as Azure spells them; a name Azure does not know is left out. A SKU restricted in the
 * location (NotAvailableForSubscription) is still returned: it is what the adaptor would try to
 * create, and its failure there is the adaptor's to report.
 */
export function vmSizesFromSkus(skus: Iterable<ResourceSku>, names: readonly string[]): VmSizeInfo[] {
  const byName = new Map<string, VmSizeInfo>();
  for (const sku of skus) {
    if (sku.resourceType?.toLowerCase() !== 'virtualmachines' || !sku.name) continue;
    const key = sku.name.toLowerCase();
    if (byName.has(key)) continue;
    const size = vmSizeFromSku(sku);
    if (size) byName.set(key, size);
  }
  const result: VmSizeInfo[] = [];
  for (const key of new Set(names.map((name) => name.trim().toLowerCase()))) {
    const size = byName.get(key);
    if (size) result.push(size);
  }
  return result;
}

/**
 * How Azure names a family's usage (standardDCASv5Family → "Standard DCASv5 Family vCPUs"), for a
 * reading made without the usage list that would have said it.
 */
export function familyQuotaName(family: string): string {
  const core = family.replace(/^standard/i, '').replace(/Family$/i, '');
  return `Standard ${core} Family vCPUs`;
}

/** The two readings `size` counts against, from a location's usages: its family, then the region. */
export function vcpuReadings(size: VmSizeInfo, usages: readonly Usage[], region: string): VcpuQuotaReading[] {
  const find = (code: string) => usages.find((usage) => usage.name.value?.toLowerCase() === code.toLowerCase());
  const known = (usage: Usage, code: string, name: string): VcpuQuotaReading => ({
    code: usage.name.value ?? code,
    name: usage.name.localizedValue || name,
    state: 'known',
    limit: usage.limit,
    used: usage.currentValue,
  });
  const family = size.quota;
  let familyReading: VcpuQuotaReading;
  if (!family) {
    familyReading = {
      code: 'family',
      name: `vCPUs of the family of ${size.name}`,
      state: 'unknown',
      detail: `Azure does not say which vCPU family ${size.name} counts against.`,
    };
  } else {
    const usage = find(family);
    familyReading = usage
      ? known(usage, family, familyQuotaName(family))
      : {
          code: family,
          name: familyQuotaName(family),
          state: 'unknown',
          detail: `Azure lists no vCPU usage for ${family} in ${region}.`,
        };
  }
  const total = find(REGIONAL_VCPUS.code);
  const totalReading: VcpuQuotaReading = total
    ? known(total, REGIONAL_VCPUS.code, REGIONAL_VCPUS.name)
    : { ...REGIONAL_VCPUS, state: 'unknown', detail: `Azure lists no total of regional vCPUs for ${region}.` };
  return [familyReading, totalReading];
}

/** The same two readings, none of them read: `not-permitted` (naming what to grant) or `unknown`. */
export function unreadVcpuReadings(
  size: VmSizeInfo,
  outcome: { state: 'not-permitted'; permission: string; detail: string } | { state: 'unknown'; detail: string },
): VcpuQuotaReading[] {
  const family = size.quota
    ? { code: size.quota, name: familyQuotaName(size.quota) }
    : { code: 'family', name: `vCPUs of the family of ${size.name}` };
  return [
    { ...family, ...outcome },
    { ...REGIONAL_VCPUS, ...outcome },
  ];
}
