// The port wizard on Azure: a stack of its own on the ARM test server (the shared stack runs on
// AWS), where the wizard creates the two NSG rules peer pods need in the worker subnet's NSG —
// once, without duplicates — and a second run finds them open.
import { KubeConfig } from '@kubernetes/client-node';
import { expect, test } from './support/console.ts';
import { startE2eStack, type E2eStack } from './stack.ts';
import { armCloud, deleteRequiredNsgRules, inboundTcpRulesFor, KATA_AGENT_PORT, nsgRules } from './support/cloud.ts';
import { screenshot } from './support/screenshots.ts';
import { nextStep, ruleRow, stepHeading } from './support/wizard.ts';

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

test('the Azure wizard opens both NSG rules in the ARM test server, and a second run shows them already open', async ({
  page,
  consoleUnderTest,
}) => {
  test.setTimeout(120_000);
  const kc = new KubeConfig();
  kc.loadFromFile(stack.kubeconfigPath);
  const cloud = await armCloud(kc, stack.cloud);
  const [agentPort, vxlanPort] = cloud.ports as [number, number];
  expect(agentPort).toBe(KATA_AGENT_PORT);
  await deleteRequiredNsgRules(cloud);
  const before = await nsgRules(cloud);
  expect(cloud.ports.map((port) => inboundTcpRulesFor(before, port).length)).toEqual([0, 0]);

  const consoleUrl = consoleUnderTest === 'shell' ? stack.shellUrl : stack.realConsoles[consoleUnderTest]!.admin;
  await page.goto(`${consoleUrl}/peer-pods/network-setup`);

  await expect(stepHeading(page, 'Platform')).toBeVisible();
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
    await page.getByLabel('Command 1', { exact: true }).inputValue(),
    await page.getByLabel('Command 2', { exact: true }).inputValue(),
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

  await page.reload();
  await nextStep(page, 'Discovery');
  await nextStep(page, 'Rule status');
  await expect(page.getByText('Every required rule is present')).toBeVisible();
  expect((await nsgRules(cloud)).length).toBe(after.length);
});
