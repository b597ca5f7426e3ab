import { describe, expect, it } from 'vitest';
import type { CapacityRoom } from '@peer-pods-console/contract';
import { M6A_LARGE } from '../../cloud/test/vm-sizes.ts';
import { STANDARD_QUOTA, STANDARD_QUOTA_NAME } from '../../services/test/room-fixtures.ts';
import { checkCloudQuota } from './cloud-quota.ts';

function room(change: Partial<CapacityRoom> = {}): CapacityRoom {
  return {
    provider: 'aws',
    region: 'us-east-2',
    fetchedAt: '2026-12-07T00:00:00.000Z',
    defaultSize: 'm6a.large',
    defaultSizeSource: 'adaptor-default',
    allowedSizes: [],
    sizes: [M6A_LARGE],
    quotas: [STANDARD_QUOTA],
    promisedVms: 20,
    usedVms: 2,
    vcpusPerVm: 2,
    freeVcpus: 64,
    promisedVcpus: 40,
    stillPromisedVms: 18,
    moreVms: 32,
    exceeds: false,
    adaptorLimit: null,
    error: null,
    ...change,
  };
}

describe('checkCloudQuota', () => {
  it('passes with the numbers when the quota holds what the limits promise', () => {
    const outcome = checkCloudQuota({ room: room() });
    expect(outcome).toMatchObject({ status: 'pass', found: { key: 'quotaRoom' }, fix: null });
    expect(outcome.found.message).toBe(
      `The limits allow 20 peer pod VMs of m6a.large (2 vCPUs each); 2 run now, and the quota ${STANDARD_QUOTA_NAME} has 64 vCPUs free: at most 32 more can start.`,
    );
  });

  it('warns with the shortfall and offers the limit editor when the limits promise more', () => {
    const outcome = checkCloudQuota({
      room: room({ promisedVms: 200, usedVms: 0, stillPromisedVms: 200, moreVms: 32, exceeds: true }),
    });
    expect(outcome).toMatchObject({
      status: 'warning',
      found: { key: 'quotaShort', values: { short: 168, more: 32 } },
      fix: { kind: 'action', action: 'edit-limit' },
    });
  });

  it('names the permission when the quota may not be read', () => {
    const outcome = checkCloudQuota({
      room: room({
        quotas: [
          {
            ...STANDARD_QUOTA,
            state: 'not-permitted',
            limit: null,
            used: null,
            free: null,
            permission: 'servicequotas:GetServiceQuota',
          },
        ],
        freeVcpus: null,
        moreVms: null,
        exceeds: null,
      }),
    });
    expect(outcome.status).toBe('warning');
    expect(outcome.found.message).toBe(
      `The backend may not read the vCPU quota ${STANDARD_QUOTA_NAME}: grant its cloud credentials servicequotas:GetServiceQuota.`,
    );
  });

  it('the tightest known quota decides, whichever comes first', () => {
    const outcome = checkCloudQuota({
      room: room({
        quotas: [
          {
            code: 'standardDCASv5Family',
            name: 'Standard DCASv5 Family vCPUs',
            state: 'known',
            limit: 100,
            used: 0,
            free: 100,
            permission: null,
            detail: null,
          },
          {
            code: 'cores',
            name: 'Total Regional vCPUs',
            state: 'known',
            limit: 20,
            used: 10,
            free: 10,
            permission: null,
            detail: null,
          },
        ],
        freeVcpus: 10,
        moreVms: 5,
      }),
    });
    expect(outcome.found.values).toMatchObject({ quota: 'Total Regional vCPUs', free: 10 });
  });

  it('says unknown for a quota it could not tell, a size the cloud does not know, or an error', () => {
    expect(
      checkCloudQuota({
        room: room({
          quotas: [
            {
              code: 'x',
              name: 'X',
              state: 'unknown',
              limit: null,
              used: null,
              free: null,
              permission: null,
              detail: 'no quota is known for mac2.metal',
            },
          ],
          freeVcpus: null,
          moreVms: null,
          exceeds: null,
        }),
      }).found.message,
    ).toBe('The room in the vCPU quota could not be told: no quota is known for mac2.metal');
    expect(checkCloudQuota({ room: room({ quotas: [], sizes: [], vcpusPerVm: null }) }).found.values.error).toContain(
      'does not describe the size m6a.large',
    );
    expect(
      checkCloudQuota({ room: room({ error: { code: 'auth', message: 'AWS rejected the access key' } }) }).found
        .message,
    ).toBe('The room in the vCPU quota could not be told: AWS rejected the access key');
    expect(checkCloudQuota({ error: 'timed out' }).status).toBe('warning');
  });
});
