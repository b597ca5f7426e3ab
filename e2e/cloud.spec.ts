// The cloud side of the product against moto EC2 behind the shared stack: the port wizard opens
// the two rules peer pods need in the worker security group — once, without duplicates — and a
// second run finds them open; the VM inventory shows what the cloud says of each VM, links to its
// orphans and exports them; the orphan VM cleanup previews, asks for the count, and terminates
// only the approved orphans. Each test sets up its own cloud state first.
import { readFile } from 'node:fs/promises';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { expect, test } from './support/console.ts';
import { adminKubeConfig } from './cluster.ts';
import {
  instanceStates,
  launchOrphanVm,
  liveInstancesNamed,
  motoCloud,
  newEventMessages,
  peerPodConfigEvents,
  peerPodInstanceIds,
  revokeRequiredPortRules,
  selfIngressGrants,
} from './support/cloud.ts';
import { screenshot } from './support/screenshots.ts';
import { ADMIN_VIEWPORT, expectWholeCode } from './support/code-blocks.ts';
import { nextStep, openStep, ruleRow, stepHeading } from './support/wizard.ts';

const SEEDED_ORPHAN = 'podvm-forgotten-job-0badc0de';

test('the AWS wizard opens both port rules in moto, and a second run shows them already open', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const kc = adminKubeConfig();
  const cloud = await motoCloud(kc);
  const [agentPort, vxlanPort] = cloud.ports as [number, number];
  await revokeRequiredPortRules(cloud);
  expect(await selfIngressGrants(cloud)).toEqual({ [agentPort]: 0, [vxlanPort]: 0 });
  const eventsBefore = await peerPodConfigEvents(kc, 'PortRuleChanged');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);

  await page.goto('/peer-pods/network-setup');
  await expect(page.getByRole('navigation', { name: 'Port setup steps' })).toBeVisible();

  // Rules are missing, so the wizard lands on the planned changes; the walk starts from its first step.
  await expect(stepHeading(page, 'Planned changes')).toBeVisible();

  // 1. Platform
  await openStep(page, 'Platform');
  await expect(page.getByText('Amazon Web Services (AWS)')).toBeVisible();
  await screenshot(page, 'aws-wizard-1-platform');

  // 2. Discovery: the worker's instance, region and security group, found from the worker node.
  await nextStep(page, 'Discovery');
  const discovered = page.getByLabel('Discovered network resources');
  await expect(discovered).toContainText(cloud.region);
  await expect(discovered).toContainText(cloud.groupId);
  await expect(discovered).toContainText(/i-[0-9a-f]+/);
  await screenshot(page, 'aws-wizard-2-discovery');

  // 3. Rule status: both missing.
  await nextStep(page, 'Rule status');
  await expect(page.getByText('Rules to create or fix: 2')).toBeVisible();
  for (const port of cloud.ports) {
    await expect(ruleRow(page, 'Port rules', port)).toHaveCount(1);
    await expect(ruleRow(page, 'Port rules', port)).toContainText('Missing');
    await expect(ruleRow(page, 'Port rules', port)).toContainText(cloud.groupId);
  }
  await screenshot(page, 'aws-wizard-3-rule-status');

  // 4. Planned changes, with the equivalent aws commands to copy.
  await nextStep(page, 'Planned changes');
  await expect(page.getByLabel('Planned rule changes').getByRole('listitem')).toHaveCount(2);
  for (const [index, port] of cloud.ports.entries()) {
    const command = page.getByLabel(`Command ${index + 1}`, { exact: true }).locator('pre');
    await expect(command).toHaveText(
      `aws ec2 authorize-security-group-ingress --region ${cloud.region} --group-id ${cloud.groupId} --protocol tcp --port ${port} --source-group ${cloud.groupId}`,
    );
  }
  await page.getByRole('button', { name: 'Copy command 1' }).click();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(
    await page.getByLabel('Command 1', { exact: true }).locator('pre').textContent(),
  );
  await screenshot(page, 'aws-wizard-4-planned-changes');

  // 5. Apply, with each rule's progress.
  await nextStep(page, 'Apply');
  for (const port of cloud.ports) await expect(ruleRow(page, 'Apply progress', port)).toContainText('Waiting');
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await expect(page.getByText('The changes are applied')).toBeVisible({ timeout: 30_000 });
  for (const port of cloud.ports) await expect(ruleRow(page, 'Apply progress', port)).toContainText('Created');
  await expect(page.getByRole('progressbar', { name: 'Rules applied' })).toHaveAttribute('aria-valuenow', '100');
  await screenshot(page, 'aws-wizard-5-apply');

  // 6. Verification: what the backend read back.
  await nextStep(page, 'Verification');
  await expect(page.getByText('Verified: every required port is open')).toBeVisible();
  for (const port of cloud.ports) await expect(ruleRow(page, 'Verified port rules', port)).toContainText('Present');
  await screenshot(page, 'aws-wizard-6-verification');

  // moto holds exactly one rule per port, from the group itself.
  expect(await selfIngressGrants(cloud)).toEqual({ [agentPort]: 1, [vxlanPort]: 1 });
  // Who did it is on record, on the PeerPodConfig.
  await expect
    .poll(() => newEventMessages(kc, 'PortRuleChanged', eventsBefore))
    .toEqual(expect.arrayContaining([expect.stringMatching(/^test-admin: .*\[.*\]$/)]));

  // A second run starts over and finds everything open: nothing to apply.
  await page.getByRole('button', { name: 'Run again' }).click();
  await expect(stepHeading(page, 'Platform')).toBeVisible();
  await nextStep(page, 'Discovery');
  await nextStep(page, 'Rule status');
  await expect(page.getByText('Every required rule is present')).toBeVisible();
  for (const port of cloud.ports) await expect(ruleRow(page, 'Port rules', port)).toContainText('Present');
  await nextStep(page, 'Planned changes');
  await expect(page.getByRole('heading', { name: 'Everything is already open' })).toBeVisible();
  await expect(page.getByText('Equivalent commands')).toHaveCount(0);
  await screenshot(page, 'aws-wizard-7-second-run');
  await nextStep(page, 'Apply');
  await expect(page.getByRole('heading', { name: 'Everything is already open' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Apply changes' })).toHaveCount(0);

  // Also after a reload, which says so first: the wizard opens on its verdict.
  await page.reload();
  await expect(stepHeading(page, 'Verification')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Everything is already open' })).toBeVisible();
  await openStep(page, 'Rule status');
  await expect(page.getByText('Every required rule is present')).toBeVisible();
  expect(await selfIngressGrants(cloud)).toEqual({ [agentPort]: 1, [vxlanPort]: 1 });
});

test('the AWS wizard shows every command whole at 1280 px: the discovery look-ups with the values found, and the two rules told apart by --port', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  const cloud = await motoCloud(adminKubeConfig());
  await revokeRequiredPortRules(cloud);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize(ADMIN_VIEWPORT);

  await page.goto('/peer-pods/network-setup');
  await expect(stepHeading(page, 'Planned changes')).toBeVisible();
  for (const [index, port] of cloud.ports.entries()) {
    await expectWholeCode(
      page.getByLabel(`Command ${index + 1}`, { exact: true }),
      `aws ec2 authorize-security-group-ingress --region ${cloud.region} --group-id ${cloud.groupId} --protocol tcp --port ${port} --source-group ${cloud.groupId}`,
    );
  }

  // Discovery: the documented look-ups, filled in with the instance, region and group found.
  await openStep(page, 'Discovery');
  const instanceId = /i-[0-9a-f]+/.exec(
    (await page.getByLabel('Discovered network resources').textContent()) ?? '',
  )?.[0];
  expect(instanceId).toBeTruthy();
  const lookups = [
    'oc get nodes -o custom-columns=NAME:.metadata.name,PROVIDER_ID:.spec.providerID',
    "oc get infrastructure cluster -o jsonpath='{.status.platformStatus.aws.region}'",
    `aws ec2 describe-instances --region ${cloud.region} --instance-ids ${instanceId} --query 'Reservations[].Instances[].SecurityGroups[].GroupId' --output text`,
    `aws ec2 describe-security-groups --region ${cloud.region} --group-ids ${cloud.groupId} --query 'SecurityGroups[].{GroupId:GroupId,IpPermissions:IpPermissions}'`,
  ].join('\n\n');
  await expectWholeCode(page.getByLabel('Discovery commands', { exact: true }), lookups);
  await page.getByRole('button', { name: 'Copy the discovery commands' }).click();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(lookups);
  await screenshot(page, 'aws-wizard-discovery-commands');

  // Open them again, through the wizard, for the tests that follow.
  await openStep(page, 'Apply');
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await expect(page.getByText('The changes are applied')).toBeVisible({ timeout: 30_000 });
});

test('the VM inventory shows each VM’s type, size, zone and image, the orphans link filters it, and the CSV holds what is shown', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const kc = adminKubeConfig();
  const cloud = await motoCloud(kc);
  // The seeded orphan, or (once an earlier run of the cleanup test took it) one of its own.
  const [seededId] = await liveInstancesNamed(cloud, SEEDED_ORPHAN);
  const orphanVm = seededId ? { id: seededId, name: SEEDED_ORPHAN } : await launchOrphanVm(cloud, 'e2e-inventory-lost');
  const orphanId = orphanVm.id;
  const inUse = await peerPodInstanceIds(kc);
  expect(inUse.length).toBeGreaterThan(0);
  const described = await cloud.ec2.send(new DescribeInstancesCommand({ InstanceIds: [...inUse, orphanId] }));
  const instances = (described.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
  // The narrow end of the widths the table is made for.
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto('/peer-pods/virtual-machines');
  const table = page.getByLabel('Peer pod virtual machines');
  const row = (text: string) => table.locator('tbody tr').filter({ hasText: text });
  // The backend lists the cloud every few seconds; Refresh asks for its latest answer.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(row(orphanId).first()).toContainText('Orphan', { timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  const headers = await table.getByRole('columnheader').allTextContents();
  const cell = (text: string, column: string) => row(text).locator('td').nth(headers.indexOf(column));

  // Every VM as the cloud describes it: type with its vCPUs and memory, zone, image.
  for (const instance of instances) {
    const id = instance.InstanceId!;
    await expect(cell(id, 'Instance type')).toContainText(instance.InstanceType!);
    await expect(cell(id, 'Instance type')).toContainText(/\d+ vCPUs? · \d+(\.\d)? [GM]iB/);
    await expect(cell(id, 'Zone')).toHaveText(instance.Placement!.AvailabilityZone!);
    await expect(cell(id, 'Image')).toHaveText(instance.ImageId!);
  }
  await screenshot(page, 'vm-inventory');

  // The Capacity tab's orphan count links to the orphans alone.
  await page.goto('/peer-pods/capacity');
  await page.getByRole('link', { name: 'VMs that no pod owns' }).click();
  await expect(page).toHaveURL(/\/peer-pods\/virtual-machines\?orphans=true$/);
  const orphansOnly = page.getByRole('switch', { name: 'Orphans only' });
  await expect(orphansOnly).toBeChecked();
  await expect(row(orphanVm.name)).toContainText('Orphan');
  for (const id of inUse) await expect(row(id)).toHaveCount(0);
  // A reload keeps the filter; the switch takes it out of the address, and puts it back.
  await page.reload();
  await expect(orphansOnly).toBeChecked();
  await page.getByText(/^Orphans only \(\d+\)$/).click();
  await expect(orphansOnly).not.toBeChecked();
  await expect(page).toHaveURL(/\/peer-pods\/virtual-machines$/);
  await expect(row(inUse[0]!)).toHaveCount(1);
  await page.getByText(/^Orphans only \(\d+\)$/).click();
  await expect(page).toHaveURL(/\/peer-pods\/virtual-machines\?orphans=true$/);
  await expect(row(inUse[0]!)).toHaveCount(0);

  // The CSV holds the VMs shown: the orphans, with every column.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^peer-pod-vms-\d{8}-\d{6}\.csv$/);
  const lines = (await readFile(await download.path(), 'utf8')).split('\r\n');
  expect(lines[0]).toBe(
    'id,name,state,instance type,vCPUs,memory MiB,zone,image,launched,pod namespace,pod name,node,PeerPod,orphan,orphan reason',
  );
  expect(lines.at(-1)).toBe('');
  const orphan = instances.find((instance) => instance.InstanceId === orphanId)!;
  const orphanLine = lines.find((line) => line.startsWith(`${orphanId},`));
  expect(orphanLine).toMatch(
    new RegExp(
      `^${orphanId},${orphanVm.name},running,${orphan.InstanceType!.replace('.', '\\.')},\\d+,\\d+,${orphan.Placement!.AvailabilityZone},${orphan.ImageId},[^,]+,,,,,true,`,
    ),
  );
  for (const id of inUse) expect(lines.some((line) => line.startsWith(`${id},`))).toBe(false);
});

test('an orphan VM is found, previewed and terminated, and the VMs of running peer pods stay', async ({ page }) => {
  test.setTimeout(120_000);
  const kc = adminKubeConfig();
  const cloud = await motoCloud(kc);
  // Its own orphan, so the test does not depend on the seeded one still being there; the seeded one
  // is cleaned up with it when no earlier test took it.
  const own = await launchOrphanVm(cloud, 'e2e-lost-batch');
  const seeded = await liveInstancesNamed(cloud, SEEDED_ORPHAN);
  const orphans = [own, ...seeded.map((id) => ({ id, name: SEEDED_ORPHAN }))];
  const inUse = await peerPodInstanceIds(kc);
  expect(inUse.length).toBeGreaterThan(0);
  expect(Object.values(await instanceStates(cloud, inUse))).toEqual(inUse.map(() => 'running'));
  const deletionsBefore = await peerPodConfigEvents(kc, 'PeerPodVmDeleted');

  await page.goto('/peer-pods/virtual-machines');
  const table = page.getByLabel('Peer pod virtual machines');
  const row = (name: string) => table.locator('tbody tr').filter({ hasText: name });
  // The backend lists the cloud every few seconds; Refresh asks for its latest answer.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(row(own.name)).toContainText('Orphan', { timeout: 2_000 });
  }).toPass({ timeout: 45_000 });

  // The switch's visible toggle takes the click, as it does for a user.
  const orphansOnly = page.getByRole('switch', { name: 'Orphans only' });
  await page.getByText(/^Orphans only \(\d+\)$/).click();
  await expect(orphansOnly).toBeChecked();
  for (const orphan of orphans) {
    await expect(row(orphan.name)).toContainText('Orphan');
    await expect(row(orphan.name)).toContainText(orphan.id);
  }
  // The running peer pods' VMs are in use, so not among the orphans.
  for (const id of inUse) await expect(row(id)).toHaveCount(0);

  for (const orphan of orphans) await page.getByRole('checkbox', { name: `Select ${orphan.name}` }).check();
  await page.getByRole('button', { name: 'Clean up', exact: true }).click();

  const dialog = page.getByRole('dialog', { name: 'Clean up orphan VMs' });
  await expect(dialog.getByText(`Dry run: the cleanup would delete ${orphans.length} of the selected VMs`)).toBeVisible(
    { timeout: 30_000 },
  );
  const preview = dialog.getByLabel('Dry run result');
  await expect(preview.locator('tbody tr')).toHaveCount(orphans.length);
  for (const orphan of orphans) {
    const previewRow = preview.locator('tbody tr').filter({ hasText: orphan.name });
    await expect(previewRow).toContainText('Will be deleted');
    await expect(previewRow).toContainText(`EC2 instance ${orphan.id}`);
  }
  // Nothing is deleted by the dry run.
  expect(
    Object.values(
      await instanceStates(
        cloud,
        orphans.map((o) => o.id),
      ),
    ),
  ).toEqual(orphans.map(() => 'running'));
  await screenshot(page, 'orphan-cleanup-preview');

  const deleteButton = dialog.getByRole('button', { name: 'Delete', exact: true });
  await expect(deleteButton).toBeDisabled();
  await dialog
    .getByLabel(`Type ${orphans.length} to confirm that these VMs will be deleted`)
    .fill('1' + orphans.length);
  await expect(deleteButton).toBeDisabled();
  await dialog.getByLabel(`Type ${orphans.length} to confirm that these VMs will be deleted`).fill(`${orphans.length}`);
  await deleteButton.click();

  await expect(dialog.getByText(`Cleanup finished: ${orphans.length} deleted, 0 refused, 0 failed`)).toBeVisible({
    timeout: 30_000,
  });
  // At once, not after the next poll: the table behind the dialog shows no deleted VM running (it is
  // gone from the listing the backend took after the cleanup, or shown as being deleted).
  const deletedNow = async () => {
    for (const orphan of orphans) {
      for (const text of await row(orphan.name).allInnerTexts()) {
        expect(text, `${orphan.name} right after the cleanup`).toMatch(/Deleting|Terminating/);
        expect(text, `${orphan.name} right after the cleanup`).not.toMatch(/Running|Orphan/);
      }
    }
  };
  await deletedNow();
  await screenshot(page, 'orphan-cleanup-done');

  // moto: the orphans are being terminated; the VMs of running peer pods are untouched.
  const after = await instanceStates(
    cloud,
    orphans.map((o) => o.id),
  );
  for (const orphan of orphans) expect(['shutting-down', 'terminated']).toContain(after[orphan.id]);
  expect(Object.values(await instanceStates(cloud, inUse))).toEqual(inUse.map(() => 'running'));
  await expect
    .poll(() => newEventMessages(kc, 'PeerPodVmDeleted', deletionsBefore))
    .toEqual(expect.arrayContaining(orphans.map((o) => expect.stringMatching(new RegExp(`^test-admin: .*${o.id}`)))));

  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await deletedNow();
  // Every VM again, not only orphans: still no deleted VM shown running.
  await page.getByText(/^Orphans only \(\d+\)$/).click();
  await expect(orphansOnly).not.toBeChecked();
  await deletedNow();
  // The page no longer offers them as orphans.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    for (const orphan of orphans) await expect(row(orphan.name)).toHaveCount(0, { timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  for (const id of inUse) await expect(row(id)).toContainText('In use');
});
