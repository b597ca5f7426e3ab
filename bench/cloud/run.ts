// Benchmark: inventory and correlation of 5,000 AWS peer-pod instances in moto against 5,000 pods.
//   npx tsx bench/cloud/run.ts [--instances 5000] [--runs 3] [--pure-moto]
// Prints one JSON object. Measured per run: AwsCloudProvider.listPeerPodVms() (DescribeInstances,
// paginated, through the SDK) plus correlateInventory() and planOrphanCleanup(). For context it also
// times moto alone (the same DescribeInstances pages fetched raw, without the SDK parsing them), so
// the part spent inside the emulator can be told apart from ours.
//
// moto looks up each instance's tags by scanning every tag in the account, which makes a
// DescribeInstances of n tagged instances O(n²). By default the benchmark starts moto with that
// lookup indexed (same answers; see backend/test/moto.ts); --pure-moto runs moto as shipped.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AwsCloudProvider } from '../../backend/src/cloud/aws/provider.ts';
import {
  correlateInventory,
  planOrphanCleanup,
  podVmName,
  type ClusterIdentity,
  type PeerPodLike,
  type PodLike,
} from '../../backend/src/cloud/inventory.ts';
import { startMotoServer } from '../../backend/test/moto.ts';
import {
  createWorkerNetwork,
  launchPodVms,
  motoClient,
  motoCredentials,
  MOTO_REGION,
} from '../../backend/test/moto-seed.ts';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '3' },
    'pure-moto': { type: 'boolean', default: false },
  },
});
const INSTANCES = Number(values.instances);
const RUNS = Number(values.runs);
const TARGET_MS = 10_000;
const CLUSTER_TAGS = { 'peerpods-cluster': 'bench-cluster' };
const LISTED_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? NaN;

/** The same DescribeInstances pages the provider asks for, fetched raw: moto's own time. */
async function motoOnly(endpoint: string): Promise<{ ms: number; pages: number; bytes: number; bodies: string[] }> {
  const started = performance.now();
  let token: string | undefined;
  let pages = 0;
  let bytes = 0;
  const bodies: string[] = [];
  do {
    const form = new URLSearchParams({ Action: 'DescribeInstances', Version: '2016-11-15', MaxResults: '1000' });
    form.set('Filter.1.Name', 'tag:Name');
    form.set('Filter.1.Value.1', 'podvm-*');
    form.set('Filter.2.Name', 'instance-state-name');
    LISTED_STATES.forEach((state, i) => form.set(`Filter.2.Value.${i + 1}`, state));
    if (token) form.set('NextToken', token);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        // moto reads the region from the credential scope; it does not check the signature.
        authorization: `AWS4-HMAC-SHA256 Credential=${motoCredentials().accessKeyId}/20260101/${MOTO_REGION}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: form,
    });
    const text = await response.text();
    bytes += text.length;
    bodies.push(text);
    pages += 1;
    token = /<nextToken>([^<]+)<\/nextToken>/.exec(text)?.[1];
  } while (token);
  return { ms: Math.round(performance.now() - started), pages, bytes, bodies };
}

/**
 * The provider's own cost without moto: the same listing against a server that replays moto's
 * recorded DescribeInstances pages instantly (in order, one per request).
 */
async function replayedListing(bodies: string[], runs: number, scope: ClusterIdentity): Promise<number[]> {
  let next = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      response.end(bodies[next % bodies.length]);
      next += 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const provider = new AwsCloudProvider({
    region: MOTO_REGION,
    endpoint: `http://127.0.0.1:${port}`,
    credentials: motoCredentials('bench'),
    logger: pino({ level: 'silent' }),
  });
  const times: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      next = 0;
      const started = performance.now();
      await provider.listPeerPodVms(scope, { countExcluded: true });
      times.push(Math.round(performance.now() - started));
    }
  } finally {
    provider.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return times;
}

async function main(): Promise<void> {
  const setupStarted = performance.now();
  const moto = await startMotoServer({ indexTagLookups: !values['pure-moto'] });
  try {
    const credentials = motoCredentials('bench');
    const seed = motoClient(moto.endpoint, credentials);
    const network = await createWorkerNetwork(seed);

    // 5,000 pods: the first 90 % have a VM (half of those also a PeerPod), the rest are pending
    // without one; the last 10 % of VMs have no pod at all (orphans).
    const withVm = Math.round(INSTANCES * 0.9);
    const vmSpecs = Array.from({ length: INSTANCES }, (_, i) => ({
      podName: i < withVm ? `app-${i}` : `gone-${i}`,
      namespace: `ns-${i % 50}`,
      sandboxId: `${i.toString(16).padStart(8, '0')}feedface`,
    }));
    const launched = await launchPodVms(seed, {
      names: vmSpecs.map((spec) => podVmName(spec.podName, spec.sandboxId)),
      subnetId: network.subnetId,
      tags: CLUSTER_TAGS,
      batchSize: 100,
    });
    seed.destroy();
    const pods: PodLike[] = [];
    const peerPods: PeerPodLike[] = [];
    for (let i = 0; i < INSTANCES; i += 1) {
      const spec = vmSpecs[i];
      const hasVm = i < withVm && spec;
      const name = hasVm ? spec.podName : `pending-${i}`;
      const namespace = `ns-${i % 50}`;
      const uid = `uid-${i}`;
      pods.push({
        metadata: { name, namespace, uid },
        spec: { nodeName: hasVm ? `worker-${i % 20}` : undefined, runtimeClassName: 'kata-remote' },
        status: { phase: hasVm ? 'Running' : 'Pending' },
      });
      if (hasVm && i % 2 === 0) {
        peerPods.push({
          metadata: { name, namespace, ownerReferences: [{ kind: 'Pod', name, uid }] },
          spec: { cloudProvider: 'aws', instanceID: launched[i]?.id },
        });
      }
    }
    const setupMs = Math.round(performance.now() - setupStarted);

    const provider = new AwsCloudProvider({
      region: MOTO_REGION,
      endpoint: moto.endpoint,
      credentials,
      logger: pino({ level: 'silent' }),
      requestTimeoutMs: 300_000,
    });
    const identity: ClusterIdentity = { provider: 'aws', tags: CLUSTER_TAGS, subnetId: network.subnetId };
    const rssBefore = process.memoryUsage().rss;
    const runs: {
      wallMs: number;
      listMs: number;
      correlateMs: number;
      motoOnlyMs: number;
      vms: number;
      inUse: number;
      orphans: number;
      toDelete: number;
    }[] = [];
    let raw: Awaited<ReturnType<typeof motoOnly>> = { ms: 0, pages: 0, bytes: 0, bodies: [] };
    for (let run = 0; run < RUNS; run += 1) {
      // Interleaved with the measured run, so both see the same load on a shared machine.
      raw = await motoOnly(moto.endpoint);
      const started = performance.now();
      // The inventory's listing: the whole region, so that other clusters' VMs can be counted.
      const { vms } = await provider.listPeerPodVms(identity, { countExcluded: true });
      const listed = performance.now();
      const report = correlateInventory({
        provider: 'aws',
        vms,
        pods,
        peerPods,
        now: new Date(Date.now() + 11 * 60_000),
      });
      const plan = planOrphanCleanup(report, identity);
      const finished = performance.now();
      runs.push({
        wallMs: Math.round(finished - started),
        listMs: Math.round(listed - started),
        correlateMs: Math.round((finished - listed) * 10) / 10,
        motoOnlyMs: raw.ms,
        vms: vms.length,
        inUse: report.vms.filter((entry) => entry.ownership === 'in-use').length,
        orphans: report.orphans.length,
        toDelete: plan.toDelete.length,
      });
    }
    provider.destroy();
    const replayedMs = await replayedListing(raw.bodies, RUNS, identity);
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    const wallMsMedian = median(runs.map((run) => run.wallMs));

    console.log(
      JSON.stringify({
        benchmark: 'cloud inventory + correlation (AWS, moto)',
        instances: INSTANCES,
        pods: pods.length,
        peerPods: peerPods.length,
        runs,
        wallMsMedian,
        targetMs: TARGET_MS,
        metTarget: wallMsMedian <= TARGET_MS,
        correlateMsMedian: median(runs.map((run) => run.correlateMs)),
        motoOnlyMsMedian: median(runs.map((run) => run.motoOnlyMs)),
        motoOnlyPages: raw.pages,
        motoResponseBytes: raw.bytes,
        sdkAndOursMsMedian: median(runs.map((run) => run.listMs - run.motoOnlyMs)),
        replayedListingMs: replayedMs,
        notes: [
          'motoOnlyMs: the same DescribeInstances pages fetched raw right before each run, body read but not parsed (time spent inside moto)',
          'moto pages by reservation, not by instance: 5,000 instances launched 100 per RunInstances come back as one page',
          'replayedListingMs: listPeerPodVms (SDK request, XML parsing, mapping) against moto’s recorded pages replayed instantly, i.e. without moto',
          'peakRssMb is the lifetime maximum of this process (seeding, the measured runs and the replay); moto runs in its own process',
        ],
        peakRssMb: mb(peakRssBytes),
        rssBeforeRunsMb: mb(rssBefore),
        rssAfterRunsMb: mb(process.memoryUsage().rss),
        setupMs,
        moto: { indexTagLookups: !values['pure-moto'] },
        node: process.version,
      }),
    );
  } finally {
    await moto.stop();
  }
}

await main();
