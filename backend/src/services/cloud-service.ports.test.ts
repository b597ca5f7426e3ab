// GET /ports reads the cloud's rules through the cloud service: many readers, one cloud reading.
// The discovery (API server + cloud calls) is replaced here by a counter of readings.
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import type { PortRulesReport } from '../api/contract.ts';
import type { EventRecorder } from '../kube/events.ts';
import { createLogger } from '../logging.ts';
import { CloudService } from './cloud-service.ts';

/** A cluster no request reaches: the readings below never leave the service. */
function unusedKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'none', server: 'https://127.0.0.1:1' }],
    users: [{ name: 'none' }],
    contexts: [{ name: 'none', cluster: 'none', user: 'none' }],
    currentContext: 'none',
  });
  return kc;
}

function serviceCountingReadings(options: { fail?: () => boolean } = {}) {
  const service = new CloudService({
    kubeConfig: unusedKubeConfig(),
    logger: createLogger('silent'),
    recorder: {} as EventRecorder,
    peerPodConfig: { namespace: 'openshift-sandboxed-containers-operator', name: 'peerpodconfig-openshift' },
    orphanGraceMs: 0,
    inventoryIntervalMs: 60_000,
    pods: () => [],
    peerPods: () => [],
  });
  const readings = { count: 0 };
  const internals = service as unknown as {
    plan: (request: { includeUdp: boolean }) => Promise<unknown>;
    report: (plan: unknown) => PortRulesReport;
    applyNow: () => Promise<unknown>;
  };
  vi.spyOn(internals, 'plan').mockImplementation(async (request) => {
    readings.count += 1;
    await new Promise((resolve) => setImmediate(resolve));
    if (options.fail?.()) throw new Error('DescribeSecurityGroups: throttled');
    return { provider: {}, plan: { includeUdp: request.includeUdp, reading: readings.count } };
  });
  vi.spyOn(internals, 'report').mockImplementation(
    (plan) => ({ platform: 'aws', reading: (plan as { reading: number }).reading }) as unknown as PortRulesReport,
  );
  vi.spyOn(internals, 'applyNow').mockResolvedValue({ results: [] });
  return { service, readings };
}

describe('port rule status', () => {
  it('serves 100 readers, at once and one after another, from one cloud reading', async () => {
    const { service, readings } = serviceCountingReadings();
    await Promise.all(Array.from({ length: 50 }, () => service.status({ includeUdp: false })));
    for (let i = 0; i < 50; i++) await service.status({ includeUdp: false });
    expect(readings.count).toBe(1);
    await service.status({ includeUdp: true });
    expect(readings.count).toBe(2);
  });

  it('reads the cloud again after rules were applied', async () => {
    const { service, readings } = serviceCountingReadings();
    await service.status({ includeUdp: false });
    await service.apply({ includeUdp: false }, { username: 'test-admin', groups: [] });
    expect((await service.status({ includeUdp: false })) as unknown as { reading: number }).toMatchObject({
      reading: 2,
    });
    expect(readings.count).toBe(2);
  });

  it('keeps no failed reading: the next reader asks the cloud again', async () => {
    let failing = true;
    const { service, readings } = serviceCountingReadings({ fail: () => failing });
    await expect(service.status({ includeUdp: false })).rejects.toThrow();
    failing = false;
    await expect(service.status({ includeUdp: false })).resolves.toMatchObject({ reading: 2 });
    expect(readings.count).toBe(2);
  });
});
