import { SIZING_ANNOTATIONS } from '@peer-pods-console/contract/sizing';

import { capacityRoom, knownQuota, vmSize } from '../../../test/roomFixtures';
import { expectedSizeOf, quotaIncreaseCommand, quotaLimitNeeded, tightestQuota } from './cloudRoom';

describe('cloud room', () => {
  it('takes the known quota with the fewest free vCPUs as the one that decides', () => {
    const family = knownQuota(100, 20, { code: 'standardDASv5Family' });
    const regional = knownQuota(50, 40, { code: 'cores' });
    const unread = knownQuota(0, 0, { code: 'other', state: 'not-permitted', limit: null, used: null, free: null });

    expect(tightestQuota([family, regional, unread])?.code).toBe('cores');
    expect(tightestQuota([unread])).toBeUndefined();
  });

  it('asks for a quota that holds what is used now plus every VM still promised', () => {
    const room = { stillPromisedVms: 36, vcpusPerVm: 2 };

    expect(quotaLimitNeeded(room, knownQuota(64, 0))).toBe(72);
    // Use above the limit (other instances of the account): the limit alone would not be enough.
    expect(quotaLimitNeeded(room, knownQuota(5, 32))).toBe(104);
    expect(quotaLimitNeeded({ ...room, vcpusPerVm: null }, knownQuota(64, 0))).toBeNull();
  });

  it('writes the quota increase command of each cloud', () => {
    const quota = knownQuota(64, 0);
    expect(quotaIncreaseCommand({ provider: 'aws', region: 'us-east-2' }, quota, 400)).toBe(
      'aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-1216C47A --desired-value 400 --region us-east-2',
    );
    expect(
      quotaIncreaseCommand({ provider: 'azure', region: 'eastus' }, { ...quota, code: 'standardDASv5Family' }, 400),
    ).toMatch(/^az quota update --resource-name standardDASv5Family .*locations\/eastus" --limit-object value=400 /);
    expect(quotaIncreaseCommand({ provider: 'aws', region: null }, quota, 400)).toBeNull();
  });

  it('picks the size from the allowed list only, and cannot tell a fit when the cloud did not describe the list', () => {
    const room = capacityRoom({
      allowedSizes: ['m6a.xlarge', 'm6a.2xlarge'],
      sizes: [vmSize('m6a.large', 2, 8192), vmSize('m6a.xlarge', 4, 16384), vmSize('m6a.2xlarge', 8, 32768)],
    });
    const asks = { [SIZING_ANNOTATIONS.vcpus]: '1', [SIZING_ANNOTATIONS.memory]: '1024' };

    // m6a.large is the default size but not on the list: the fit starts at m6a.xlarge.
    expect(expectedSizeOf(room, asks)).toEqual({ ok: true, size: 'm6a.xlarge', by: 'fit' });
    expect(
      expectedSizeOf(
        { ...room, sizes: [vmSize('m6a.xlarge', 4, 16384)] },
        { ...asks, [SIZING_ANNOTATIONS.vcpus]: '6' },
      ),
    ).toEqual({
      ok: 'unknown',
    });
    expect(expectedSizeOf({ ...room, defaultSize: null }, asks)).toBeNull();
  });
});
