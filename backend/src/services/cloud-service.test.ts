// The cloud service without a cloud: GET /ports readers share one reading (the discovery, API
// server + cloud calls, is replaced by a counter of readings), and a cleanup's audit becomes one
// Event per outcome.
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

function serviceCountingReadings(options: { fail?: () => boolean; recorder?: EventRecorder } = {}) {
  const service = new CloudService({
    kubeConfig: unusedKubeConfig(),
    logger: createLogger('silent'),
    recorder: options.recorder ?? ({} as EventRecorder),
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

describe('the audit of a cleanup', () => {
  it('is one Warning for 500 refused ids, filed as a refusal, and one Normal Event for the deletions', () => {
    const events: { type: string; reason: string; message: string }[] = [];
    const recorder = {
      event: (_object: unknown, type: string, reason: string, message: string) =>
        events.push({ type, reason, message }),
    } as unknown as EventRecorder;
    const { service } = serviceCountingReadings({ recorder });
    const refused = Array.from({ length: 500 }, (_, i) => ({
      user: 'test-admin',
      action: 'vm.delete' as const,
      provider: 'aws' as const,
      cloudIds: [`i-unknown${i}`],
      result: 'refused' as const,
      message: `i-unknown${i} is not in the inventory`,
    }));
    const deleted = {
      ...refused[0]!,
      cloudIds: ['i-0abc'],
      result: 'succeeded' as const,
      message: 'Terminated EC2 instance i-0abc (podvm-web-1a2b3c4d).',
    };
    (service as unknown as { auditCleanup: (user: string, e: unknown[]) => void }).auditCleanup('test-admin', [
      ...refused,
      deleted,
    ]);
    expect(events.map((e) => [e.type, e.reason])).toEqual([
      ['Normal', 'PeerPodVmDeleted'],
      ['Warning', 'PeerPodVmDeleteRefused'],
    ]);
    expect(events[0]!.message).toBe(
      'test-admin: deleted 1 peer-pod VM(s): Terminated EC2 instance i-0abc (podvm-web-1a2b3c4d). [i-0abc]',
    );
    expect(events[1]!.message).toMatch(/^test-admin: refused to delete 500 peer-pod VM\(s\): i-unknown0 /);
    expect(events[1]!.message).toMatch(/ … and 490 more$/);
  });
});
