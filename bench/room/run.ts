// What the capacity room costs the cloud account: the API calls its sizes and quota readings make
// per minute when admins keep the Capacity tab open (each browser reads the room every minute,
// ROOM_POLL_MS) and the setup checklist is refreshed, with the room service's cache against the
// same readers without it, in the same run. Time runs `--speed` times faster than the wall clock:
// the cache times and the readers' intervals are all divided by it, so one wall-clock second is a
// minute at the default 60. The calls are counted where they leave the process: AWS through the
// fault proxy in front of moto, Azure by the ARM test server's own request log.
//
//   npx tsx bench/room/run.ts [--readers 10] [--minutes 30] [--speed 60]
import { parseArgs } from 'node:util';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { CapacitySnapshot } from '@peer-pods-console/contract';
import type { CloudProvider } from '../../backend/src/cloud/provider.ts';
import type { CloudSettings } from '../../backend/src/cloud/settings.ts';
import { RoomService } from '../../backend/src/services/room-service.ts';
import { armTestProvider, startArmTestServer } from '../../backend/src/cloud/test/arm-provider.ts';
import { motoTestProvider, startMotoBehindProxy } from '../../backend/src/cloud/test/aws-provider.ts';
import { memoryLogger } from '../../backend/test/memory-logger.ts';
import { motoCredentials, MOTO_IMAGE_ID } from '../../backend/test/moto-seed.ts';

const { values } = parseArgs({
  options: {
    readers: { type: 'string', default: '10' },
    minutes: { type: 'string', default: '30' },
    speed: { type: 'string', default: '60' },
  },
});
const readers = Number(values.readers);
const minutes = Number(values.minutes);
const speed = Number(values.speed);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The product's own times, in real minutes and seconds. */
const SIZE_TTL_MS = 60 * 60_000;
const QUOTA_TTL_MS = 5 * 60_000;
const POLL_MS = 60_000;

/** 20 workers advertising 10 VMs each: the example. */
const SNAPSHOT = {
  nodes: Array.from({ length: 20 }, (_, i) => ({
    name: `worker-${i}`,
    source: 'config',
    config: { namespace: 'openshift-sandboxed-containers-operator', name: 'peerpodconfig-openshift' },
    desiredState: 'advertise',
    desired: 10,
  })),
  totals: { used: 0 },
} as unknown as Pick<CapacitySnapshot, 'nodes' | 'totals'>;

const settingsOf = (provider: 'aws' | 'azure') =>
  ({ provider, sizes: { allowed: [] }, limitPerNode: 10 }) as unknown as CloudSettings;

/**
 * `readers` browsers reading the room every POLL_MS, each starting at a random point of the
 * minute, and the setup checklist once every 5 minutes, for `minutes` minutes (scaled). Returns the
 * cloud calls counted and the room readings made.
 */
async function scenario(provider: CloudProvider, countCalls: () => number, cached: boolean) {
  const settings = settingsOf(provider.name);
  const scale = (ms: number) => Math.max(1, Math.round(ms / speed));
  const room = new RoomService({
    loadCloud: async () => ({
      provider,
      settings,
      configMap: { namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-cm' },
    }),
    snapshot: () => SNAPSHOT,
    logger: memoryLogger('silent').logger,
    sizeTtlMs: cached ? scale(SIZE_TTL_MS) : 1,
    quotaTtlMs: cached ? scale(QUOTA_TTL_MS) : 1,
  });
  const before = countCalls();
  const end = Date.now() + scale(minutes * 60_000);
  let readings = 0;
  let last: Awaited<ReturnType<RoomService['room']>> | undefined;
  const reader = async (every: number, offset: number) => {
    await new Promise((resolve) => setTimeout(resolve, offset));
    while (Date.now() < end) {
      const next = Date.now() + every;
      last = await room.room();
      readings += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
  };
  await Promise.all([
    ...Array.from({ length: readers }, () => reader(scale(POLL_MS), Math.random() * scale(POLL_MS))),
    reader(scale(5 * 60_000), 0),
  ]);
  const calls = countCalls() - before;
  return { calls, readings, callsPerMinute: calls / minutes, answer: last };
}

async function aws() {
  const credentials = motoCredentials('bench-room');
  const moto = await startMotoBehindProxy(credentials, { ec2Quotas: { 'L-1216C47A': 64 } });
  try {
    const { proxy, seedClient, network } = moto;
    await seedClient.send(
      new RunInstancesCommand({
        ImageId: MOTO_IMAGE_ID,
        MinCount: 3,
        MaxCount: 3,
        InstanceType: 'm6i.xlarge',
        SubnetId: network.subnetId,
      }),
    );
    const provider = motoTestProvider(proxy, { credentials, logger: memoryLogger('silent').logger });
    const countCalls = () => proxy.requests.length;
    log(`aws: ${readers} readers + the setup checklist, ${minutes} min at ${speed}× …`);
    const cached = await scenario(provider, countCalls, true);
    log(`aws: the same without the cache …`);
    const uncached = await scenario(provider, countCalls, false);
    provider.destroy();
    return summary(cached, uncached);
  } finally {
    await moto.stop();
  }
}

/** The local stack's Azure: workers of Standard_D4s_v5, the default pod VM size Standard_DC2as_v5. */
async function azure() {
  const clientSecret = 'bench-room-azure-client-secret';
  const arm = await startArmTestServer(clientSecret);
  try {
    const resourceGroup = 'bench-room-rg';
    arm.state.addResourceGroup(resourceGroup, 'eastus');
    arm.state.setUsageLimit('eastus', 'standardDCASv5Family', 64);
    arm.state.setUsageLimit('eastus', 'cores', 100);
    for (let i = 0; i < 3; i += 1) {
      arm.state.addVirtualMachine(resourceGroup, { name: `bench-worker-${i}`, vmSize: 'Standard_D4s_v5' });
    }
    const provider = armTestProvider(arm, { resourceGroup, clientSecret, logger: memoryLogger('silent').logger });
    // Token requests are the SDK's, not the room's: only ARM calls count.
    const countCalls = () => arm.requests.filter((r) => r.url.startsWith('/subscriptions/')).length;
    log(`azure: ${readers} readers + the setup checklist, ${minutes} min at ${speed}× …`);
    const cached = await scenario(provider, countCalls, true);
    log(`azure: the same without the cache …`);
    const uncached = await scenario(provider, countCalls, false);
    return summary(cached, uncached);
  } finally {
    await arm.stop();
  }
}

function summary(
  cached: Awaited<ReturnType<typeof scenario>>,
  uncached: Awaited<ReturnType<typeof scenario>>,
): Record<string, unknown> {
  const answer = cached.answer!;
  return {
    promise: {
      defaultSize: answer.defaultSize,
      vcpusPerVm: answer.vcpusPerVm,
      promisedVms: answer.promisedVms,
      promisedVcpus: answer.promisedVcpus,
      quotas: answer.quotas.map((q) => ({ code: q.code, limit: q.limit, used: q.used, free: q.free })),
      moreVms: answer.moreVms,
      exceeds: answer.exceeds,
    },
    cached: { calls: cached.calls, readings: cached.readings, callsPerMinute: round(cached.callsPerMinute) },
    uncached: { calls: uncached.calls, readings: uncached.readings, callsPerMinute: round(uncached.callsPerMinute) },
    ratio: round(cached.callsPerMinute / uncached.callsPerMinute, 3),
  };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

const result = { readers, minutes, speed, aws: await aws(), azure: await azure() };
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
