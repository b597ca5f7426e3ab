// What the views read out of the cloud room (GET /capacity/room): the size a pod gets, the quota
// that decides, and how far it must grow. Pure functions; the words live in the components.
import {
  selectSize,
  SIZE_KEYS,
  sizeRequestOf,
  type SizeSelection,
  type SizeSpec,
} from '@peer-pods-console/contract/sizing';

import type { CapacityRoom, VcpuQuota, VmSize } from '../../../api/backend';

/** The ConfigMap keys of the default size and the allowed list on this cloud (both clouds' when unknown). */
export const sizeKeysOf = (provider: CapacityRoom['provider']): { default: string; allowed: string } =>
  provider
    ? SIZE_KEYS[provider]
    : {
        default: `${SIZE_KEYS.aws.default} / ${SIZE_KEYS.azure.default}`,
        allowed: `${SIZE_KEYS.aws.allowed} / ${SIZE_KEYS.azure.allowed}`,
      };

/** What the cloud says of a size, when the room knows it. */
export const sizeSpecOf = (room: Pick<CapacityRoom, 'sizes'>, name: string): VmSize | undefined =>
  room.sizes.find((size) => size.name === name);

/** The adaptor picks from the allowed list, or from the default size alone when there is none. */
const candidateNames = (room: Pick<CapacityRoom, 'allowedSizes' | 'defaultSize'>): string[] =>
  room.allowedSizes.length > 0 ? room.allowedSizes : room.defaultSize ? [room.defaultSize] : [];

export type ExpectedSize =
  | SizeSelection
  /** The cloud did not describe every size the adaptor could pick from, so a fit cannot be told. */
  | { ok: 'unknown' };

/**
 * The size the adaptor will give a pod with these annotations (sizing.ts selectSize over the
 * candidates as the cloud describes them); null without a default size to fall back on.
 */
export const expectedSizeOf = (
  room: Pick<CapacityRoom, 'sizes' | 'allowedSizes' | 'defaultSize'>,
  annotations: Readonly<Record<string, string>> | undefined,
): ExpectedSize | null => {
  if (!room.defaultSize) return null;
  const names = candidateNames(room);
  const specs: SizeSpec[] = room.sizes.filter((size) => names.includes(size.name));
  const selection = selectSize(sizeRequestOf(annotations), specs, room.allowedSizes, room.defaultSize);
  if (!selection.ok && selection.problem === 'no-fit' && specs.length < names.length) return { ok: 'unknown' };
  return selection;
};

/** The known quota with the fewest free vCPUs: it decides how many more VMs can start. */
export const tightestQuota = (quotas: readonly VcpuQuota[]): VcpuQuota | undefined =>
  quotas
    .filter((quota) => quota.state === 'known' && quota.free !== null)
    .reduce<VcpuQuota | undefined>(
      (tightest, quota) => (tightest === undefined || quota.free! < tightest.free! ? quota : tightest),
      undefined,
    );

/** VMs the limits promise beyond what the quota holds (0 when it holds them all or cannot be told). */
export const shortfallOf = (room: Pick<CapacityRoom, 'exceeds' | 'stillPromisedVms' | 'moreVms'>): number =>
  room.exceeds && room.moreVms !== null ? Math.max(0, room.stillPromisedVms - room.moreVms) : 0;

/**
 * The quota limit (vCPUs) that holds every VM the limits still promise: what is used now plus
 * their vCPUs (use can exceed the limit, so not the limit plus the shortfall); null when unknown.
 */
export const quotaLimitNeeded = (
  room: Pick<CapacityRoom, 'stillPromisedVms' | 'vcpusPerVm'>,
  quota: VcpuQuota,
): number | null => {
  if (quota.limit === null || !room.vcpusPerVm) return null;
  const used = quota.used ?? (quota.free === null ? null : quota.limit - quota.free);
  if (used === null) return null;
  return Math.max(quota.limit, used + room.stillPromisedVms * room.vcpusPerVm);
};

/**
 * The command that asks the cloud for a higher quota: Service Quotas on AWS (the quota code), the
 * quota extension of the Azure CLI on Azure (the usage name, in the region).
 */
export const quotaIncreaseCommand = (
  room: Pick<CapacityRoom, 'provider' | 'region'>,
  quota: VcpuQuota,
  limit: number,
): string | null => {
  if (!room.region) return null;
  if (room.provider === 'aws') {
    return `aws service-quotas request-service-quota-increase --service-code ec2 --quota-code ${quota.code} --desired-value ${limit} --region ${room.region}`;
  }
  if (room.provider === 'azure') {
    return `az quota update --resource-name ${quota.code} --scope "/subscriptions/$(az account show --query id -o tsv)/providers/Microsoft.Compute/locations/${room.region}" --limit-object value=${limit} --resource-type dedicated`;
  }
  return null;
};
