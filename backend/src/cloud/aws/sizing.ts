// What EC2 says about sizes and the vCPUs they need, in the words the rest of the backend uses:
// which On-Demand vCPU quota an instance type counts against (decided by its family, as AWS's
// On-Demand instance quotas are), an instance type as a VmSizeInfo, and the vCPUs the region's
// On-Demand instances hold against one quota. Pure: provider.ts makes the calls.
import type { Instance, InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { VmSizeInfo } from '../provider.ts';

export interface OnDemandQuota {
  /** Service Quotas code, service `ec2`. */
  code: string;
  /** As the Service Quotas console names it. */
  name: string;
}

const quota = (code: string, name: string): OnDemandQuota => ({ code, name });

/** AWS's On-Demand vCPU quotas, one per group of instance families. */
export const ON_DEMAND_QUOTAS = {
  standard: quota('L-1216C47A', 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances'),
  gAndVt: quota('L-DB2E81BA', 'Running On-Demand G and VT instances'),
  p: quota('L-417A185B', 'Running On-Demand P instances'),
  f: quota('L-74FC7D96', 'Running On-Demand F instances'),
  x: quota('L-7295265B', 'Running On-Demand X instances'),
  inf: quota('L-1945791B', 'Running On-Demand Inf instances'),
  dl: quota('L-6E869C2A', 'Running On-Demand DL instances'),
  trn: quota('L-2C3B7624', 'Running On-Demand Trn instances'),
  highMemory: quota('L-43DA4232', 'Running On-Demand High Memory instances'),
} as const;

/**
 * Family prefix → quota. Only prefixes we are sure of: `hpc`, `mac` (Dedicated Hosts only) and
 * any family AWS adds later have no entry, so their quota is unknown rather than guessed.
 */
const FAMILY_QUOTAS: Readonly<Record<string, OnDemandQuota>> = {
  a: ON_DEMAND_QUOTAS.standard,
  c: ON_DEMAND_QUOTAS.standard,
  d: ON_DEMAND_QUOTAS.standard,
  h: ON_DEMAND_QUOTAS.standard,
  i: ON_DEMAND_QUOTAS.standard,
  im: ON_DEMAND_QUOTAS.standard,
  is: ON_DEMAND_QUOTAS.standard,
  m: ON_DEMAND_QUOTAS.standard,
  r: ON_DEMAND_QUOTAS.standard,
  t: ON_DEMAND_QUOTAS.standard,
  z: ON_DEMAND_QUOTAS.standard,
  g: ON_DEMAND_QUOTAS.gAndVt,
  gr: ON_DEMAND_QUOTAS.gAndVt,
  vt: ON_DEMAND_QUOTAS.gAndVt,
  p: ON_DEMAND_QUOTAS.p,
  f: ON_DEMAND_QUOTAS.f,
  x: ON_DEMAND_QUOTAS.x,
  inf: ON_DEMAND_QUOTAS.inf,
  dl: ON_DEMAND_QUOTAS.dl,
  trn: ON_DEMAND_QUOTAS.trn,
  // u-6tb1.metal, u7i-12tb.224xlarge, u7in-16tb.224xlarge
  'u-': ON_DEMAND_QUOTAS.highMemory,
  u: ON_DEMAND_QUOTAS.highMemory,
};

const QUOTAS_BY_CODE = new Map(Object.values(ON_DEMAND_QUOTAS).map((q) => [q.code, q]));

/** The letters an instance type's name starts with, up to its first digit or `.`: `inf` of inf2.xlarge. */
export function instanceFamilyPrefix(instanceType: string): string {
  return /^[^0-9.]*/.exec(instanceType.trim().toLowerCase())?.[0] ?? '';
}

/** The On-Demand vCPU quota an instance type counts against; undefined when we cannot tell. */
export function onDemandQuotaOf(instanceType: string): OnDemandQuota | undefined {
  return FAMILY_QUOTAS[instanceFamilyPrefix(instanceType)];
}

/** The quota of a code of ON_DEMAND_QUOTAS. */
export function onDemandQuotaByCode(code: string): OnDemandQuota | undefined {
  return QUOTAS_BY_CODE.get(code);
}

/** DescribeInstanceTypes' description of a type as a size; undefined without its name. */
export function toVmSizeInfo(info: InstanceTypeInfo): VmSizeInfo | undefined {
  if (!info.InstanceType) return undefined;
  return {
    name: info.InstanceType,
    vcpus: info.VCpuInfo?.DefaultVCpus ?? 0,
    memoryMiB: info.MemoryInfo?.SizeInMiB ?? 0,
    gpus: (info.GpuInfo?.Gpus ?? []).reduce((sum, gpu) => sum + (gpu.Count ?? 0), 0),
    quota: onDemandQuotaOf(info.InstanceType)?.code,
  };
}

/** Running or pending On-Demand instances of `code`'s families: what counts against that quota. */
export function countsAgainst(instance: Instance, code: string): boolean {
  if (instance.InstanceLifecycle === 'spot' || !instance.InstanceType) return false;
  return onDemandQuotaOf(instance.InstanceType)?.code === code;
}

/** An instance's vCPUs: its own CPU options when EC2 tells them, else its type's default. */
export function instanceVcpus(instance: Instance, defaultVcpus: ReadonlyMap<string, number>): number | undefined {
  const { CoreCount, ThreadsPerCore } = instance.CpuOptions ?? {};
  if (CoreCount !== undefined && ThreadsPerCore !== undefined) return CoreCount * ThreadsPerCore;
  return instance.InstanceType ? defaultVcpus.get(instance.InstanceType) : undefined;
}

/** The types whose default vCPUs are needed: those of instances that do not tell their CPU options. */
export function typesWithoutCpuOptions(instances: readonly Instance[]): string[] {
  const types = new Set<string>();
  for (const instance of instances) {
    const { CoreCount, ThreadsPerCore } = instance.CpuOptions ?? {};
    if ((CoreCount === undefined || ThreadsPerCore === undefined) && instance.InstanceType) {
      types.add(instance.InstanceType);
    }
  }
  return [...types].sort();
}

/** The vCPUs `instances` hold, and the types whose vCPUs could not be told (left out of the sum). */
export function vcpusInUse(
  instances: readonly Instance[],
  defaultVcpus: ReadonlyMap<string, number>,
): { vcpus: number; untold: string[] } {
  let vcpus = 0;
  const untold = new Set<string>();
  for (const instance of instances) {
    const count = instanceVcpus(instance, defaultVcpus);
    if (count === undefined) untold.add(instance.InstanceType ?? 'an instance without a type');
    else vcpus += count;
  }
  return { vcpus, untold: [...untold].sort() };
}
