import { describe, expect, it } from 'vitest';
import type { CapacitySnapshot } from '@peer-pods-console/contract';
import { CloudError, type CloudProvider, type VcpuQuotaReading, type VmSizeInfo } from '../cloud/provider.ts';
import type { CloudSettings } from '../cloud/settings.ts';
import { M6A_LARGE } from '../cloud/test/vm-sizes.ts';
import { memoryLogger } from '../../test/memory-logger.ts';
import { RoomService } from './room-service.ts';
import { STANDARD_QUOTA, STANDARD_QUOTA_NAME } from './test/room-fixtures.ts';

const CONFIG = { namespace: 'openshift-sandboxed-containers-operator', name: 'peerpodconfig-openshift' };
const CONFIG_MAP = { namespace: CONFIG.namespace, name: 'peer-pods-cm' };

const SIZES: Record<string, VmSizeInfo> = {
  'm6a.large': M6A_LARGE,
  't3.small': { name: 't3.small', vcpus: 2, memoryMiB: 2048, gpus: 0, quota: 'L-1216C47A' },
  'g5.xlarge': { name: 'g5.xlarge', vcpus: 4, memoryMiB: 16384, gpus: 1, quota: 'L-DB2E81BA' },
};

/** A cloud that counts its calls; quotas as given. */
function fakeCloud(quotas: VcpuQuotaReading[] | (() => Promise<VcpuQuotaReading[]>)) {
  const calls = { describeSizes: [] as string[][], readVcpuQuotas: 0 };
  const provider = {
    name: 'aws',
    region: async () => 'us-east-2',
    describeSizes: async (names: readonly string[]) => {
      calls.describeSizes.push([...names]);
      return names.flatMap((n) => (SIZES[n] ? [SIZES[n]] : []));
    },
    readVcpuQuotas: async () => {
      calls.readVcpuQuotas += 1;
      return typeof quotas === 'function' ? quotas() : quotas;
    },
  } as unknown as CloudProvider;
  return { provider, calls };
}

function settings(sizes: CloudSettings['sizes'], limitPerNode?: number): CloudSettings {
  return { provider: 'aws', sizes, limitPerNode } as unknown as CloudSettings;
}

/** `nodes` advertising `limit` each, `used` VMs held. */
function snapshot(nodes: number, limit: number, used: number): Pick<CapacitySnapshot, 'nodes' | 'totals'> {
  return {
    nodes: Array.from({ length: nodes }, (_, i) => ({
      name: `worker-${i}`,
      source: 'config' as const,
      config: CONFIG,
      desiredState: 'advertise' as const,
      desired: limit,
    })) as unknown as CapacitySnapshot['nodes'],
    totals: { used } as CapacitySnapshot['totals'],
  };
}

function service(
  cloud: ReturnType<typeof fakeCloud>,
  sizes: CloudSettings['sizes'] = { allowed: [] },
  snap = snapshot(20, 10, 0),
  extra: { now?: () => number; reads?: string[] } = {},
) {
  const log = memoryLogger();
  const room = new RoomService({
    loadCloud: async () => ({ provider: cloud.provider, settings: settings(sizes, 8), configMap: CONFIG_MAP }),
    snapshot: () => snap,
    logger: log.logger,
    now: extra.now,
    onCloudRead: (read) => extra.reads?.push(read),
  });
  return { room, log };
}

const known = (limit: number, used: number): VcpuQuotaReading => ({
  code: 'L-1216C47A',
  name: STANDARD_QUOTA_NAME,
  state: 'known',
  limit,
  used,
});

describe('RoomService', () => {
  it('sets the promise of the limits against the quota of the default size (the adaptor’s own default when unset)', async () => {
    const { room } = service(fakeCloud([known(96, 32)]));
    const answer = await room.room();
    expect(answer).toMatchObject({
      provider: 'aws',
      region: 'us-east-2',
      defaultSize: 'm6a.large',
      defaultSizeSource: 'adaptor-default',
      promisedVms: 200,
      usedVms: 0,
      vcpusPerVm: 2,
      promisedVcpus: 400,
      freeVcpus: 64,
      moreVms: 32,
      stillPromisedVms: 200,
      exceeds: true,
      adaptorLimit: { ...CONFIG_MAP, text: '8', value: 8 },
      error: null,
    });
    expect(answer.quotas).toEqual([STANDARD_QUOTA]);
    expect(answer.sizes).toEqual([M6A_LARGE]);
    expect(answer.fetchedAt).not.toBeNull();
  });

  it('takes the default size from peer-pods-cm and describes the allowed list once, unknown names left out', async () => {
    const cloud = fakeCloud([known(1000, 0)]);
    const { room } = service(cloud, { defaultSize: 't3.small', allowed: ['t3.small', 'g5.xlarge', 'x9.nope'] });
    const answer = await room.room();
    expect(answer).toMatchObject({ defaultSize: 't3.small', defaultSizeSource: 'config-map', exceeds: false });
    expect(answer.allowedSizes).toEqual(['t3.small', 'g5.xlarge', 'x9.nope']);
    expect(answer.sizes.map((s) => s.name)).toEqual(['t3.small', 'g5.xlarge']);
    expect(cloud.calls.describeSizes).toEqual([['t3.small', 'g5.xlarge', 'x9.nope']]);
  });

  it('reads the cloud once for any number of readers within the cache time; fresh reads the quotas again', async () => {
    const reads: string[] = [];
    const cloud = fakeCloud([known(96, 32)]);
    const { room } = service(cloud, { allowed: [] }, snapshot(2, 10, 0), { reads });
    await Promise.all(Array.from({ length: 20 }, () => room.room()));
    await room.room();
    expect(cloud.calls.readVcpuQuotas).toBe(1);
    expect(cloud.calls.describeSizes).toHaveLength(1);
    await room.room({ fresh: true });
    expect(cloud.calls.readVcpuQuotas).toBe(2);
    expect(cloud.calls.describeSizes).toHaveLength(1);
    expect(reads).toEqual(['sizes', 'quotas', 'quotas']);
  });

  it('reads again once the cache time has passed', async () => {
    let now = Date.parse('2026-12-07T00:00:00Z');
    const cloud = fakeCloud([known(96, 32)]);
    const { room } = service(cloud, { allowed: [] }, undefined, { now: () => now });
    await room.room();
    now += 61 * 60_000;
    await room.learnSizes(['m6a.large']);
    expect(cloud.calls.describeSizes).toHaveLength(2);
  });

  it('a quota the credentials may not read: the promise still, no verdict', async () => {
    const { room } = service(
      fakeCloud([
        {
          code: 'L-1216C47A',
          name: STANDARD_QUOTA_NAME,
          state: 'not-permitted',
          permission: 'servicequotas:GetServiceQuota',
        },
      ]),
    );
    const answer = await room.room();
    expect(answer).toMatchObject({
      promisedVms: 200,
      promisedVcpus: 400,
      freeVcpus: null,
      moreVms: null,
      exceeds: null,
    });
    expect(answer.quotas[0]).toMatchObject({ state: 'not-permitted', permission: 'servicequotas:GetServiceQuota' });
  });

  it('the tightest of several quotas decides (Azure: the family and the region’s total)', async () => {
    const { room } = service(
      fakeCloud([known(100, 10), { code: 'cores', name: 'Total Regional vCPUs', state: 'known', limit: 20, used: 10 }]),
      { allowed: [] },
      snapshot(3, 10, 0),
    );
    expect(await room.room()).toMatchObject({ freeVcpus: 10, moreVms: 5, exceeds: true });
  });

  it('a cloud failure is the answer’s error, never a thrown one, and is not cached', async () => {
    let fail = true;
    const cloud = fakeCloud(async () => {
      if (fail) throw new CloudError('throttled', 'AWS kept throttling ReadVcpuQuotas; try again in a minute');
      return [known(96, 0)];
    });
    const { room, log } = service(cloud);
    const first = await room.room();
    expect(first.error).toEqual({
      code: 'throttled',
      message: 'AWS kept throttling ReadVcpuQuotas; try again in a minute',
    });
    expect(first).toMatchObject({ provider: 'aws', defaultSize: 'm6a.large', promisedVms: 200, exceeds: null });
    expect(log.text()).toContain('could not read the VM sizes or vCPU quotas');
    fail = false;
    expect((await room.room()).error).toBeNull();
  });

  it('without cloud settings says why', async () => {
    const room = new RoomService({
      loadCloud: async () => {
        throw new CloudError('invalid_config', 'ConfigMap x/peer-pods-cm: key CLOUD_PROVIDER is missing');
      },
      snapshot: () => snapshot(1, 10, 0),
      logger: memoryLogger().logger,
    });
    expect(await room.room()).toMatchObject({
      provider: null,
      promisedVms: 10,
      error: { code: 'invalid_config', message: 'ConfigMap x/peer-pods-cm: key CLOUD_PROVIDER is missing' },
    });
  });

  it('describes the inventory’s sizes for its columns, once', async () => {
    const cloud = fakeCloud([]);
    const { room } = service(cloud);
    await room.room();
    await room.learnSizes(['g5.xlarge', 'm6a.large'], cloud.provider);
    expect(room.sizeOf('G5.XLARGE')).toMatchObject({ vcpus: 4, memoryMiB: 16384 });
    expect(cloud.calls.describeSizes).toEqual([['m6a.large'], ['g5.xlarge']]);
  });
});
