// The cloud room on the Capacity tab against the real stack: the VM size peer pods get (from
// peer-pods-cm, else the adaptor's default), the VMs the limits promise (summed here from the
// nodes and the PeerPodConfig, not taken from the backend), the VMs running now, and how many more
// the vCPU quota of the simulated cloud lets start — numbers that must agree with each other and
// with the room API; and on a node's Peer pods tab, the size the cloud gave a demo peer pod's VM.
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { ADAPTOR_DEFAULT_SIZE, SIZE_KEYS } from '@peer-pods-console/contract/sizing';
import { OPERATOR_NAMESPACE } from '../hack/controlplane/fixtures.ts';
import { SPREAD_PODS } from '../hack/local-stack/demo.ts';
import { DEMO_SIZES } from '../hack/local-stack/simulated-cloud.ts';
import { adminKubeConfig, readPeerPodConfig, setPeerPodConfigLimit } from './cluster.ts';
import { configGovernedNodes, expectNodesAdvertise, readExpectedCapacity, wholeLimit } from './support/capacity.ts';
import { motoCloud } from './support/cloud.ts';
import { expect, test } from './support/console.ts';
import { cell, DEMO_NAMESPACE, podRow } from './support/operations.ts';
import { seriousAxeViolations } from './support/pages.ts';
import {
  factLines,
  fetchCapacityRoom,
  parseCount,
  promisedFromCluster,
  reportRoomFigures,
  roomCard,
  roomVerdictText,
} from './support/room.ts';
import { screenshot } from './support/screenshots.ts';

const CAPACITY_PATH = '/peer-pods/capacity';
/** A demo peer pod the scheduler placed and the adaptor gave a VM (hack/local-stack/demo.ts). */
const SIZED_POD = SPREAD_PODS[0]!;

/** The default size and the key it comes from, as peer-pods-cm says (AWS: the stack's simulated cloud). */
async function expectedDefaultSize(kc: KubeConfig): Promise<{ size: string; source: string }> {
  const ppc = (await readPeerPodConfig(kc)) as { spec: { configMapName?: string } };
  const name = ppc.spec.configMapName ?? 'peer-pods-cm';
  const configMap = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace: OPERATOR_NAMESPACE, name });
  const provider = configMap.data?.CLOUD_PROVIDER === 'azure' ? 'azure' : 'aws';
  const key = SIZE_KEYS[provider].default;
  const set = configMap.data?.[key]?.trim();
  return set
    ? { size: set, source: `${key} in ${name}` }
    : { size: ADAPTOR_DEFAULT_SIZE[provider], source: `The cloud-api-adaptor's default: ${key} is not set in ${name}` };
}

test('the Capacity tab shows the default VM size, the promise of the limits and how many more VMs can start, in numbers that agree', async ({
  page,
}) => {
  const kc = adminKubeConfig();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(CAPACITY_PATH);
  await expect(roomCard(page)).toBeVisible();
  await expect(roomVerdictText(page)).toBeVisible({ timeout: 30_000 });

  const defaultSize = await expectedDefaultSize(kc);
  const sizeLines = await factLines(page, 'Default VM size');
  const sizeMatch = /^(\S+) · (\d+) vCPUs · ([\d.,]+) (GiB|MiB)/.exec(sizeLines[0] ?? '');
  expect(sizeMatch, `Default VM size reads "${sizeLines.join(' / ')}"`).not.toBeNull();
  const [, size, vcpusText] = sizeMatch!;
  const vcpusPerVm = Number(vcpusText);
  expect(size).toBe(defaultSize.size);
  expect(sizeLines[1]).toBe(defaultSize.source);
  expect(vcpusPerVm).toBeGreaterThan(0);

  // The promise and the use follow the cluster (demo pods come and go): compare on each try.
  await expect(async () => {
    const promised = await promisedFromCluster(kc);
    const used = (await readExpectedCapacity(kc)).totals.used;
    expect(promised, 'the stack promises no VM at all').toBeGreaterThan(0);
    expect((await factLines(page, 'VMs the limits allow'))[0]).toBe(
      `${promised.toLocaleString('en-US')} = ${(promised * vcpusPerVm).toLocaleString('en-US')} vCPUs`,
    );
    expect(parseCount((await factLines(page, 'Running now'))[0]!)).toBe(used);
  }).toPass({ timeout: 30_000, intervals: [1_000, 2_000, 5_000] });

  // The verdict is the tightest quota's free vCPUs divided by the default size's vCPUs.
  const quotaLines = await factLines(page, 'Tightest vCPU quota');
  const quotaMatch = /limit ([\d,]+), used ([\d,]+), free ([\d,]+) vCPUs$/.exec(quotaLines[1] ?? '');
  expect(quotaMatch, `Tightest vCPU quota reads "${quotaLines.join(' / ')}"`).not.toBeNull();
  const [limit, usedVcpus, free] = quotaMatch!.slice(1).map(parseCount) as [number, number, number];
  expect(free).toBe(Math.max(0, limit - usedVcpus));

  const roomLines = await factLines(page, 'Room for more VMs');
  const more = parseCount(/^At most ([\d,]+) more/.exec(roomLines[0]!)![1]!);
  expect(roomLines[1]).toBe(`${free.toLocaleString('en-US')} free vCPUs ÷ ${vcpusPerVm} vCPUs per VM`);
  expect(more).toBe(Math.floor(free / vcpusPerVm));

  // The room API, as the signed-in user, gives the same size and verdict; its figures go in the report.
  const room = await fetchCapacityRoom(page);
  await reportRoomFigures('AWS', room);
  expect(room.defaultSize).toBe(size);
  expect(room.vcpusPerVm).toBe(vcpusPerVm);
  expect(room.freeVcpus).toBe(free);
  expect(room.moreVms).toBe(more);

  // The warning shows exactly when the VMs still promised do not fit.
  const promised = await promisedFromCluster(kc);
  const used = parseCount((await factLines(page, 'Running now'))[0]!);
  const stillPromised = Math.max(0, promised - used);
  const warning = roomCard(page).getByRole('heading', {
    name: /The limits promise [\d,]+ more VMs than the quota holds/,
  });
  if (stillPromised > more) {
    await expect(warning).toContainText(`${(stillPromised - more).toLocaleString('en-US')} more VMs`);
  } else {
    await expect(warning).toHaveCount(0);
  }

  // Readable at 1280 px: nothing in the card is cut off or scrolls sideways.
  // No DOM types in the Node config: the element is typed by hand.
  const overflow = await roomCard(page).evaluate((element) => {
    const box = element as unknown as { scrollWidth: number; clientWidth: number };
    return box.scrollWidth - box.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await roomCard(page).scrollIntoViewIfNeeded();
  await screenshot(page, 'capacity-cloud-room');
});

test('the promise follows a new limit without a reload', async ({ page }) => {
  const kc = adminKubeConfig();
  const original = (await readPeerPodConfig(kc)).spec.limit;
  const originalLimit = wholeLimit(original);
  expect(originalLimit, `PeerPodConfig spec.limit is "${original}", not a whole number`).toBeDefined();
  const governed = await configGovernedNodes(kc);
  expect(governed.length, 'no node takes its limit from the PeerPodConfig').toBeGreaterThan(0);
  await page.goto(CAPACITY_PATH);
  await expect(roomVerdictText(page)).toBeVisible({ timeout: 30_000 });
  try {
    await setPeerPodConfigLimit(kc, String(originalLimit! + 3));
    await expect(async () => {
      const promised = await promisedFromCluster(kc);
      expect((await factLines(page, 'VMs the limits allow'))[0]).toMatch(
        new RegExp(`^${promised.toLocaleString('en-US')} = `),
      );
    }).toPass({ timeout: 30_000, intervals: [1_000, 2_000] });
  } finally {
    await setPeerPodConfigLimit(kc, original!);
    await expectNodesAdvertise(kc, governed, originalLimit!);
  }
});

test('a node’s Peer pods tab shows the size the cloud gave a demo peer pod’s VM', async ({ page }) => {
  const kc = adminKubeConfig();
  const pod = await kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace: DEMO_NAMESPACE, name: SIZED_POD });
  const node = pod.spec?.nodeName;
  expect(node, `${DEMO_NAMESPACE}/${SIZED_POD} is not bound to a node`).toBeTruthy();
  // The VM the adaptor made for it (its PeerPod's instanceID) and the instance type EC2 holds for it.
  const peerPod = (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
    group: 'confidentialcontainers.org',
    version: 'v1alpha1',
    plural: 'peerpods',
    namespace: DEMO_NAMESPACE,
    name: SIZED_POD,
  })) as { spec?: { instanceID?: string } };
  const instanceId = peerPod.spec?.instanceID;
  expect(instanceId, `the PeerPod ${SIZED_POD} names no VM`).toBeTruthy();
  const cloud = await motoCloud(kc);
  const described = await cloud.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId!] }));
  const instance = described.Reservations?.[0]?.Instances?.[0];
  expect(instance?.InstanceType).toBe(DEMO_SIZES.aws.default);
  const vmName = instance?.Tags?.find((tag) => tag.Key === 'Name')?.Value;

  await page.goto(`/k8s/cluster/nodes/${node}/peer-pods`);
  const row = podRow(page.getByLabel('Peer pods on this node', { exact: true }), SIZED_POD);
  await expect(cell(row, 'VM')).toHaveText(vmName!);
  // The cloud's size, not the one expected from the pod's annotations ("… (expected)"), with what it holds.
  const size = cell(row, 'VM size');
  await expect(size.locator('div')).toHaveText(instance!.InstanceType!);
  const room = await fetchCapacityRoom(page);
  const spec = room.sizes.find((candidate) => candidate.name === instance!.InstanceType);
  expect(spec, `the room describes no ${instance!.InstanceType}`).toBeDefined();
  await expect(size.locator('small')).toHaveText(
    `${spec!.vcpus} vCPUs · ${Math.round((spec!.memoryMiB / 1024) * 10) / 10} GiB`,
  );
  await row.scrollIntoViewIfNeeded();
  await screenshot(page, 'node-peer-pods-vm-size');
});
