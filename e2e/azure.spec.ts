// Azure: a stack of its own on the ARM test server (the shared stack runs on AWS). The port wizard
// creates the two NSG rules peer pods need in the worker subnet's NSG — once, without duplicates —
// and a second run finds them open; the Capacity tab's cloud room shows the default size
// Standard_DC2as_v5, the tighter of its two vCPU quotas (the DCasv5 family's and the region's
// total) and the room they leave, in the figures of the room API and the cluster.
import { KubeConfig } from '@kubernetes/client-node';
import type { VcpuQuota } from '@peer-pods-console/contract';
import { SIZE_KEYS } from '@peer-pods-console/contract/sizing';
import { DEMO_AZURE_QUOTA, DEMO_SIZES } from '../hack/local-stack/simulated-cloud.ts';
import { expect, test } from './support/console.ts';
import { startE2eStack, type E2eStack } from './stack.ts';
import { armCloud, deleteRequiredNsgRules, inboundTcpRulesFor, KATA_AGENT_PORT, nsgRules } from './support/cloud.ts';
import {
  englishCount,
  factLines,
  fetchCapacityRoom,
  peerPodsConfigMapName,
  promisedFromCluster,
  reportRoomFigures,
  roomCard,
  roomVerdictText,
} from './support/room.ts';
import { screenshot } from './support/screenshots.ts';
import { nextStep, openStep, ruleRow, stepHeading } from './support/wizard.ts';

/** SPEC "Ports that must be open", Azure steps 7-8. */
const KATA_AGENT_RULE = { name: 'Allow-Kata-Agent-Internal', priority: 112 };
const VXLAN_RULE = { name: 'Allow-VXLAN-Internal', priority: 111 };

let stack: E2eStack;

test.beforeAll(async ({ consoleUnderTest }) => {
  test.setTimeout(240_000);
  stack = await startE2eStack({
    platform: 'azure',
    nodes: 3,
    demo: false,
    backendLogName: `backend-azure-${consoleUnderTest}.log`,
    realConsoles: consoleUnderTest === 'shell' ? [] : [consoleUnderTest],
    log: () => {},
  });
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  await stack?.stop();
});

/** The admin's address of the Azure stack's console under test. */
const azureConsoleUrl = (consoleUnderTest: string): string =>
  consoleUnderTest === 'shell'
    ? stack.shellUrl
    : stack.realConsoles[consoleUnderTest as keyof E2eStack['realConsoles']]!.admin;

function azureKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(stack.kubeconfigPath);
  return kc;
}

test('the Azure wizard opens both NSG rules in the ARM test server, and a second run shows them already open', async ({
  page,
  consoleUnderTest,
}) => {
  test.setTimeout(120_000);
  const kc = azureKubeConfig();
  const cloud = await armCloud(kc, stack.cloud);
  const [agentPort, vxlanPort] = cloud.ports as [number, number];
  expect(agentPort).toBe(KATA_AGENT_PORT);
  await deleteRequiredNsgRules(cloud);
  const before = await nsgRules(cloud);
  expect(cloud.ports.map((port) => inboundTcpRulesFor(before, port).length)).toEqual([0, 0]);

  await page.goto(`${azureConsoleUrl(consoleUnderTest)}/peer-pods/network-setup`);

  // Rules are missing, so the wizard lands on the planned changes; the walk starts from its first step.
  await expect(stepHeading(page, 'Planned changes')).toBeVisible();
  await openStep(page, 'Platform');
  await expect(page.getByText('Microsoft Azure')).toBeVisible();
  await screenshot(page, 'azure-wizard-1-platform');

  await nextStep(page, 'Discovery');
  const discovered = page.getByLabel('Discovered network resources');
  await expect(discovered).toContainText(cloud.resourceGroup);
  await expect(discovered).toContainText(cloud.nsgName);
  await expect(discovered).toContainText(/worker-subnet \(\d+\.\d+\.\d+\.\d+\/\d+\)/);
  const subnetPrefix = /\((\d+\.\d+\.\d+\.\d+\/\d+)\)/.exec((await discovered.textContent()) ?? '')?.[1];
  expect(subnetPrefix).toBeTruthy();
  await screenshot(page, 'azure-wizard-2-discovery');

  await nextStep(page, 'Rule status');
  await expect(page.getByText('Rules to create or fix: 2')).toBeVisible();
  for (const port of cloud.ports) await expect(ruleRow(page, 'Port rules', port)).toContainText('Missing');
  await expect(ruleRow(page, 'Port rules', agentPort)).toContainText(KATA_AGENT_RULE.name);
  await expect(ruleRow(page, 'Port rules', vxlanPort)).toContainText(VXLAN_RULE.name);
  await screenshot(page, 'azure-wizard-3-rule-status');

  await nextStep(page, 'Planned changes');
  await expect(page.getByLabel('Planned rule changes').getByRole('listitem')).toHaveCount(2);
  const commands = [
    await page.getByLabel('Command 1', { exact: true }).locator('pre').textContent(),
    await page.getByLabel('Command 2', { exact: true }).locator('pre').textContent(),
  ];
  for (const { name, priority, port } of [
    { ...KATA_AGENT_RULE, port: agentPort },
    { ...VXLAN_RULE, port: vxlanPort },
  ]) {
    expect(commands).toContain(
      `az network nsg rule create --resource-group ${cloud.resourceGroup} --nsg-name ${cloud.nsgName} --name ${name} --priority ${priority} --access Allow --protocol Tcp --direction Inbound --source-address-prefixes ${subnetPrefix} --source-port-ranges '*' --destination-address-prefixes ${subnetPrefix} --destination-port-ranges ${port}`,
    );
  }
  await screenshot(page, 'azure-wizard-4-planned-changes');

  await nextStep(page, 'Apply');
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await expect(page.getByText('The changes are applied')).toBeVisible({ timeout: 60_000 });
  for (const port of cloud.ports) await expect(ruleRow(page, 'Apply progress', port)).toContainText('Created');
  await screenshot(page, 'azure-wizard-5-apply');

  await nextStep(page, 'Verification');
  await expect(page.getByText('Verified: every required port is open')).toBeVisible();
  for (const port of cloud.ports) await expect(ruleRow(page, 'Verified port rules', port)).toContainText('Present');
  await screenshot(page, 'azure-wizard-6-verification');

  // The ARM test server holds exactly one rule per port, as SPEC describes it.
  const after = await nsgRules(cloud);
  for (const { name, priority, port } of [
    { ...KATA_AGENT_RULE, port: agentPort },
    { ...VXLAN_RULE, port: vxlanPort },
  ]) {
    const opening = inboundTcpRulesFor(after, port);
    expect(opening.map((rule) => rule.name)).toEqual([name]);
    expect(opening[0]).toMatchObject({
      priority,
      access: 'Allow',
      protocol: 'Tcp',
      direction: 'Inbound',
      sourcePortRange: '*',
    });
    expect([opening[0]!.sourceAddressPrefix, ...(opening[0]!.sourceAddressPrefixes ?? [])]).toContain(subnetPrefix);
    expect([opening[0]!.destinationAddressPrefix, ...(opening[0]!.destinationAddressPrefixes ?? [])]).toContain(
      subnetPrefix,
    );
  }

  await page.getByRole('button', { name: 'Run again' }).click();
  await expect(stepHeading(page, 'Platform')).toBeVisible();
  await nextStep(page, 'Discovery');
  await nextStep(page, 'Rule status');
  await expect(page.getByText('Every required rule is present')).toBeVisible();
  for (const port of cloud.ports) await expect(ruleRow(page, 'Port rules', port)).toContainText('Present');
  await nextStep(page, 'Planned changes');
  await expect(page.getByRole('heading', { name: 'Everything is already open' })).toBeVisible();
  await screenshot(page, 'azure-wizard-7-second-run');
  await nextStep(page, 'Apply');
  await expect(page.getByRole('button', { name: 'Apply changes' })).toHaveCount(0);

  // After a reload the wizard says so first: it opens on its verdict.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Everything is already open' })).toBeVisible();
  await openStep(page, 'Rule status');
  await expect(page.getByText('Every required rule is present')).toBeVisible();
  expect((await nsgRules(cloud)).length).toBe(after.length);
});

test('on Azure the Capacity tab shows the default size Standard_DC2as_v5, the tighter of the family and regional vCPU quotas, and the room the room API reports', async ({
  page,
  consoleUnderTest,
}) => {
  test.setTimeout(90_000);
  const kc = azureKubeConfig();
  const consoleUrl = azureConsoleUrl(consoleUnderTest);
  const configMap = await peerPodsConfigMapName(kc);
  await page.goto(`${consoleUrl}/peer-pods/capacity`);
  await expect(roomVerdictText(page)).toBeVisible({ timeout: 30_000 });

  const room = await fetchCapacityRoom(page, consoleUrl);
  await reportRoomFigures('Azure', room);
  expect(room.provider).toBe('azure');
  expect(room.error).toBeNull();
  expect(room.defaultSize).toBe(DEMO_SIZES.azure.default);
  expect(room.defaultSizeSource).toBe('config-map');
  const size = room.sizes.find((candidate) => candidate.name === DEMO_SIZES.azure.default);
  expect(size, `the room describes no ${DEMO_SIZES.azure.default}`).toBeDefined();
  expect(room.vcpusPerVm).toBe(size!.vcpus);

  // Two quotas count the size's vCPUs: its family's (the demo account's limit) and the region's total.
  expect(room.quotas.map((quota) => quota.code)).toEqual([DEMO_AZURE_QUOTA.family, 'cores']);
  const [family, regional] = room.quotas as [VcpuQuota, VcpuQuota];
  expect(family.limit).toBe(DEMO_AZURE_QUOTA.vcpus);
  expect(regional.name).toBe('Total Regional vCPUs');
  for (const quota of room.quotas) {
    expect(quota.state, `${quota.code}: ${quota.detail}`).toBe('known');
    expect(quota.free).toBe(Math.max(0, quota.limit! - quota.used!));
  }
  const tightest = regional.free! < family.free! ? regional : family;
  expect(room.freeVcpus).toBe(tightest.free);
  expect(room.moreVms).toBe(Math.floor(tightest.free! / size!.vcpus));
  expect(room.promisedVms).toBe(await promisedFromCluster(kc));

  // The card shows the same figures: the size, the promise, the tightest quota and the room it leaves.
  await expect(async () => {
    expect(await factLines(page, 'Default VM size')).toEqual([
      `${size!.name} · ${size!.vcpus} vCPUs · ${Math.round((size!.memoryMiB / 1024) * 10) / 10} GiB`,
      `${SIZE_KEYS.azure.default} in ${configMap}`,
    ]);
    expect(await factLines(page, 'Allowed sizes')).toEqual([
      DEMO_SIZES.azure.allowed.join(', '),
      `${SIZE_KEYS.azure.allowed} in ${configMap}`,
    ]);
    expect((await factLines(page, 'VMs the limits allow'))[0]).toBe(
      `${englishCount(room.promisedVms)} = ${englishCount(room.promisedVcpus!)} vCPUs`,
    );
    expect((await factLines(page, 'Running now'))[0]).toBe(englishCount(room.usedVms));
    expect(await factLines(page, 'Tightest vCPU quota')).toEqual([
      tightest.name,
      `${tightest.code} in ${room.region}: limit ${englishCount(tightest.limit!)}, used ${englishCount(tightest.used!)}, free ${englishCount(tightest.free!)} vCPUs`,
    ]);
    expect(await factLines(page, 'Room for more VMs')).toEqual([
      `At most ${englishCount(room.moreVms!)} more peer pod VMs can start`,
      `${englishCount(room.freeVcpus!)} free vCPUs ÷ ${room.vcpusPerVm} vCPUs per VM`,
    ]);
  }).toPass({ timeout: 30_000, intervals: [1_000, 2_000, 5_000] });

  // The warning shows exactly when the VMs still promised do not fit.
  const warning = roomCard(page).getByRole('heading', {
    name: /The limits promise [\d,]+ more VMs than the quota holds/,
  });
  if (room.exceeds) {
    await expect(warning).toContainText(`${englishCount(room.stillPromisedVms - room.moreVms!)} more VMs`);
  } else {
    await expect(warning).toHaveCount(0);
  }
  await roomCard(page).scrollIntoViewIfNeeded();
  await screenshot(page, 'azure-capacity-cloud-room');
});
