// The VM sizes the ARM test server knows, and the wire shapes of what Microsoft.Compute says about
// them: resource SKUs (GET …/providers/Microsoft.Compute/skus) and vCPU usages (GET
// …/locations/<location>/usages). The figures are Azure's own for these sizes; the state counts
// usage from its VMs with them.

export interface VmSkuSpec {
  name: string;
  vcpus: number;
  /** As ARM writes the MemoryGB capability: GiB, possibly fractional. */
  memoryGB: number;
  gpus?: number;
  /** The vCPU quota family, which is also the name of its usage. */
  family: string;
  /** AMD SEV-SNP confidential VMs (the DCas_v5 sizes the adaptor defaults to). */
  confidential?: boolean;
}

export const VM_SKUS: readonly VmSkuSpec[] = [
  { name: 'Standard_B1ls', vcpus: 1, memoryGB: 0.5, family: 'standardBSFamily' },
  { name: 'Standard_B2s', vcpus: 2, memoryGB: 4, family: 'standardBSFamily' },
  { name: 'Standard_B2als_v2', vcpus: 2, memoryGB: 4, family: 'standardBasv2Family' },
  { name: 'Standard_D2as_v5', vcpus: 2, memoryGB: 8, family: 'standardDASv5Family' },
  { name: 'Standard_D4as_v5', vcpus: 4, memoryGB: 16, family: 'standardDASv5Family' },
  { name: 'Standard_D4s_v5', vcpus: 4, memoryGB: 16, family: 'standardDSv5Family' },
  { name: 'Standard_D8s_v5', vcpus: 8, memoryGB: 32, family: 'standardDSv5Family' },
  { name: 'Standard_DC2as_v5', vcpus: 2, memoryGB: 8, family: 'standardDCASv5Family', confidential: true },
  { name: 'Standard_DC4as_v5', vcpus: 4, memoryGB: 16, family: 'standardDCASv5Family', confidential: true },
  { name: 'Standard_DC8as_v5', vcpus: 8, memoryGB: 32, family: 'standardDCASv5Family', confidential: true },
  { name: 'Standard_NC6s_v3', vcpus: 6, memoryGB: 112, gpus: 1, family: 'standardNCSv3Family' },
  { name: 'Standard_NC12s_v3', vcpus: 12, memoryGB: 224, gpus: 2, family: 'standardNCSv3Family' },
];

export function vmSkuSpec(name: string): VmSkuSpec | undefined {
  const wanted = name.toLowerCase();
  return VM_SKUS.find((spec) => spec.name.toLowerCase() === wanted);
}

/** How ARM names a family's usage: standardDCASv5Family → "Standard DCASv5 Family vCPUs". */
export function familyUsageName(family: string): string {
  const core = family.replace(/^standard/, '').replace(/Family$/, '');
  return `Standard ${core} Family vCPUs`;
}

/** A restriction ARM puts on a SKU the subscription may not deploy in a location. */
export function locationRestriction(location: string): Record<string, unknown> {
  return {
    type: 'Location',
    values: [location],
    restrictionInfo: { locations: [location] },
    reasonCode: 'NotAvailableForSubscription',
  };
}

const capability = (name: string, value: string | number | boolean) => ({
  name,
  value: typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value),
});

/** One VM size in one location, as the SKU listing answers it (every capability a string). */
export function vmSkuWire(spec: VmSkuSpec, location: string, restricted: boolean): Record<string, unknown> {
  const gpus = spec.gpus ?? 0;
  return {
    resourceType: 'virtualMachines',
    name: spec.name,
    tier: 'Standard',
    size: spec.name.replace(/^Standard_/, ''),
    family: spec.family,
    locations: [location],
    locationInfo: [{ location, zones: gpus > 0 ? ['1', '2'] : ['1', '2', '3'], zoneDetails: [] }],
    capabilities: [
      capability('MaxResourceVolumeMB', 0),
      capability('OSVhdSizeMB', 1047552),
      capability('vCPUs', spec.vcpus),
      capability('MemoryPreservingMaintenanceSupported', true),
      capability('HyperVGenerations', spec.confidential ? 'V2' : 'V1,V2'),
      capability('MemoryGB', spec.memoryGB),
      capability('MaxDataDiskCount', Math.max(4, spec.vcpus * 2)),
      capability('CpuArchitectureType', 'x64'),
      capability('LowPriorityCapable', true),
      capability('PremiumIO', true),
      capability('VMDeploymentTypes', 'IaaS'),
      capability('vCPUsAvailable', spec.vcpus),
      ...(spec.confidential ? [capability('ConfidentialComputingType', 'SNP')] : []),
      ...(gpus > 0 ? [capability('GPUs', gpus)] : []),
      capability('vCPUsPerCore', gpus > 0 ? 1 : 2),
      capability('EphemeralOSDiskSupported', !spec.confidential),
      capability('AcceleratedNetworkingEnabled', spec.vcpus >= 2),
      capability('RdmaEnabled', false),
      capability('MaxNetworkInterfaces', Math.min(8, spec.vcpus)),
    ],
    restrictions: restricted ? [locationRestriction(location)] : [],
  };
}

/** SKUs of other resource types that the listing mixes in, as ARM's does. */
export function otherSkusWire(location: string): Record<string, unknown>[] {
  return [
    {
      resourceType: 'availabilitySets',
      name: 'Aligned',
      locations: [location],
      locationInfo: [{ location, zones: [], zoneDetails: [] }],
      capabilities: [capability('MaximumPlatformFaultDomainCount', 3)],
      restrictions: [],
    },
    {
      resourceType: 'disks',
      name: 'Premium_LRS',
      tier: 'Premium',
      size: 'P1',
      locations: [location],
      locationInfo: [{ location, zones: ['1', '2', '3'], zoneDetails: [] }],
      capabilities: [
        capability('MaxSizeGiB', 4),
        capability('MinSizeGiB', 0),
        capability('MaxIOps', 120),
        capability('MaxBandwidthMBps', 25),
      ],
      restrictions: [],
    },
  ];
}

/** One usage as GET …/locations/<location>/usages answers it. */
export interface UsageEntry {
  name: string;
  localizedName: string;
  limit: number;
  currentValue: number;
}

export function usageWire(entry: UsageEntry): Record<string, unknown> {
  return {
    limit: entry.limit,
    unit: 'Count',
    currentValue: entry.currentValue,
    name: { value: entry.name, localizedValue: entry.localizedName },
  };
}
