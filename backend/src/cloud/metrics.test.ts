import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { CorrelatedVm, InventoryReport } from './inventory.ts';
import { createCloudMetrics, observeCloudErrors, type CloudCallFailure } from './metrics.ts';
import { CloudQuotaError, type CloudProvider, type PeerPodVm } from './provider.ts';

const NOW = Date.parse('2026-05-01T12:00:00Z');

function entry(name: string, ownership: CorrelatedVm['ownership'], orphanAfter?: string): CorrelatedVm {
  const vm: PeerPodVm = { provider: 'aws', id: `i-${name}`, name, state: 'running', cloudState: 'running', tags: {} };
  return { vm, ownership, reason: 'test', orphanAfter };
}

function report(vms: CorrelatedVm[]): InventoryReport {
  return {
    provider: 'aws',
    generatedAt: '2026-05-01T11:59:00.000Z',
    gracePeriodMs: 600_000,
    vms,
    orphans: vms.filter((v) => v.ownership === 'orphan'),
    dangling: [],
    vmIdsByNode: {},
  };
}

async function value(registry: Registry, name: string): Promise<number | undefined> {
  return (await registry.getSingleMetric(name)!.get()).values[0]?.value;
}

describe('the cloud inventory gauges', () => {
  it('have no sample before the first inventory, so that unknown never reads as none', async () => {
    const registry = new Registry();
    createCloudMetrics(registry, { now: () => NOW });
    expect(await value(registry, 'peerpods_cloud_orphan_vms')).toBeUndefined();
    expect(await value(registry, 'peerpods_cloud_vms')).toBeUndefined();
  });

  it('count orphans past the grace period apart from VMs nobody claims yet', async () => {
    const registry = new Registry();
    const metrics = createCloudMetrics(registry, { now: () => NOW });
    metrics.setInventory(
      report([
        entry('podvm-a-1', 'in-use'),
        entry('podvm-b-2', 'orphan'),
        entry('podvm-c-3', 'unclaimed', '2026-05-01T12:05:00.000Z'),
        entry('podvm-d-4', 'unclaimed'),
        entry('podvm-e-5', 'terminating'),
      ]),
    );
    expect(await value(registry, 'peerpods_cloud_vms')).toBe(5);
    expect(await value(registry, 'peerpods_cloud_orphan_vms')).toBe(1);
    expect(await value(registry, 'peerpods_cloud_unclaimed_vms')).toBe(2);
    expect(await value(registry, 'peerpods_cloud_orphan_grace_seconds')).toBe(600);
    expect(await value(registry, 'peerpods_cloud_inventory_timestamp_seconds')).toBe(NOW / 1000 - 60);
  });

  it('count an unclaimed VM as an orphan once its grace period runs out, before the next inventory', async () => {
    const registry = new Registry();
    let now = NOW;
    const metrics = createCloudMetrics(registry, { now: () => now });
    metrics.setInventory(report([entry('podvm-c-3', 'unclaimed', '2026-05-01T12:05:00.000Z')]));
    expect(await value(registry, 'peerpods_cloud_orphan_vms')).toBe(0);
    now = Date.parse('2026-05-01T12:05:00Z');
    expect(await value(registry, 'peerpods_cloud_orphan_vms')).toBe(1);
    expect(await value(registry, 'peerpods_cloud_unclaimed_vms')).toBe(0);
  });
});

/** A provider whose listing fails with a quota error, and whose planning throws at once. */
function failingProvider(): CloudProvider {
  return {
    name: 'aws',
    region: () => Promise.resolve('us-east-2'),
    describeSizes: () => Promise.resolve([]),
    readVcpuQuotas: () => Promise.resolve([]),
    resolveClusterScope: (identity) => Promise.resolve(identity),
    listPeerPodVms: () =>
      Promise.reject(new CloudQuotaError('vCPU quota used up', { provider: 'aws', operation: 'DescribeInstances' })),
    deleteVm: () => Promise.reject(new Error('socket hang up')),
    discoverPortRules: () => Promise.reject(new CloudQuotaError('no', { provider: 'aws', operation: 'bad op name!' })),
    planPortRules: () => {
      throw new Error('not planned');
    },
    applyPortRules: () => Promise.resolve({ rules: [] }),
    verifyPortRules: () => Promise.resolve({ ok: true, rules: [] }),
    consoleOutput: () => Promise.reject(new Error('not read')),
  };
}

describe('the cloud API error counter', () => {
  it('counts each failed provider call by provider, cloud operation and code, and passes the error on unchanged', async () => {
    const registry = new Registry();
    const metrics = createCloudMetrics(registry);
    const provider = observeCloudErrors(failingProvider(), (failure) => metrics.recordError(failure));
    const scope = { provider: 'aws' as const, tags: {} };
    await expect(provider.listPeerPodVms(scope)).rejects.toThrow('vCPU quota used up');
    await expect(provider.listPeerPodVms(scope)).rejects.toBeInstanceOf(CloudQuotaError);
    await provider.applyPortRules({} as never, { actor: 'a', audit: () => {} });
    const counted = (await registry.getSingleMetric('peerpods_cloud_api_errors_total')!.get()).values;
    expect(counted).toEqual([{ labels: { provider: 'aws', operation: 'DescribeInstances', code: 'quota' }, value: 2 }]);
  });

  it('names the provider method when the error is no CloudError or its operation is not a plain name, and counts throws', async () => {
    const failures: CloudCallFailure[] = [];
    const provider = observeCloudErrors(failingProvider(), (failure) => failures.push(failure));
    await expect(provider.deleteVm({} as never, { actor: 'a', audit: () => {} })).rejects.toThrow('socket hang up');
    await expect(provider.discoverPortRules('aws:///zone/i-1')).rejects.toThrow('no');
    expect(() => provider.planPortRules({} as never, { vxlanPort: 9000, includeUdp: false })).toThrow('not planned');
    expect(failures).toEqual([
      { provider: 'aws', operation: 'deleteVm', code: 'unknown' },
      { provider: 'aws', operation: 'discoverPortRules', code: 'quota' },
      { provider: 'aws', operation: 'planPortRules', code: 'unknown' },
    ]);
    expect(provider.name).toBe('aws');
  });
});
