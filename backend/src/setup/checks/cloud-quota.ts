// Whether the cloud account has room for what the VM limits promise: the room service's verdict
// (sizes and vCPU quotas read from the cloud, cached). Promising more VMs than the quota holds is
// a warning — pods beyond it are scheduled and then fail in ContainerCreating — whose fix is the
// limit editor; a quota the credentials may not read names the permission to grant.
import type { CapacityRoom } from '@peer-pods-console/contract';
import { action, pass, warning, type CheckOutcome } from '../outcome.ts';

export type CloudQuotaInput = { room: CapacityRoom } | { error: string };

/** The quota that decides (the tightest known one), else the first. */
export function decidingQuota(room: CapacityRoom): CapacityRoom['quotas'][number] | undefined {
  const known = room.quotas.filter((q) => q.state === 'known' && q.free !== null);
  known.sort((a, b) => (a.free ?? 0) - (b.free ?? 0));
  return known[0] ?? room.quotas[0];
}

export function checkCloudQuota(input: CloudQuotaInput): CheckOutcome {
  if ('error' in input) return warning('quotaUnknown', { error: input.error });
  const { room } = input;
  if (room.error) return warning('quotaUnknown', { error: room.error.message });
  const quota = decidingQuota(room);
  if (!quota) {
    return warning('quotaUnknown', {
      error: `the cloud does not describe the size ${room.defaultSize ?? '(none)'}, so its vCPU quota cannot be told`,
    });
  }
  if (quota.state === 'not-permitted') {
    return warning('quotaNotPermitted', { quota: quota.name, permission: quota.permission ?? '' });
  }
  if (quota.state !== 'known' || room.moreVms === null || room.freeVcpus === null || room.vcpusPerVm === null) {
    return warning('quotaUnknown', { error: quota.detail ?? `the quota ${quota.name} could not be read` });
  }
  const values = {
    promised: room.promisedVms,
    size: room.defaultSize ?? '',
    vcpus: room.vcpusPerVm,
    used: room.usedVms,
    quota: quota.name,
    free: room.freeVcpus,
    more: room.moreVms,
  };
  if (room.exceeds) {
    return warning('quotaShort', { ...values, short: room.stillPromisedVms - room.moreVms }, action('edit-limit'));
  }
  return pass('quotaRoom', values);
}
