// Day-to-day operation (step 14) against the real stack: the stuck peer pods the demo leaves —
// batch-worker, whose VM runs but whose agent port is closed, and the nightly reports pinned to the
// small node — listed with why and what fixes them, the VM's console output from the cloud, the
// Node tab narrowed to its node; the History naming who changed the limit, in the console and with
// `oc patch`; and without cluster monitoring, no alert banner and no complaint about it. The demo
// pods are only read; the limit is changed and put back as it was.
import { randomInt } from 'node:crypto';
import type { Page } from '@playwright/test';
import { OPERATOR_NAMESPACE, PEERPODCONFIG_NAME } from '../hack/controlplane/fixtures.ts';
import { adminKubeConfig, readPeerPodConfig, setPeerPodConfigLimit } from './cluster.ts';
import { sharedCloudDetails } from './support/cloud.ts';
import { expect, test } from './support/console.ts';
import {
  cell,
  consoleOutputDialog,
  fetchConsoleOutput,
  fetchHistory,
  fetchStuck,
  historyHeading,
  historyRows,
  historyTable,
  nodeStatusCell,
  podNamesOf,
  podRow,
  readDemoOperations,
  STUCK_POD,
  STUCK_TEXT,
  stuckHeading,
  stuckTable,
} from './support/operations.ts';
import { screenshot, viewportScreenshot } from './support/screenshots.ts';
import { stepHeading } from './support/wizard.ts';
import { readFoundLimits, restoreLimits } from './support/room.ts';

const CAPACITY_PATH = '/peer-pods/capacity';
const nodeTabPath = (node: string) => `/k8s/cluster/nodes/${node}/peer-pods`;

const summaryValue = (page: Page, term: string) =>
  page.getByLabel('PeerPodConfig summary').locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');

test('the stuck list names the demo’s stuck and pinned peer pods with why and their fix, and the node table labels the pinned node', async ({
  page,
}) => {
  const demo = await readDemoOperations(adminKubeConfig());
  await page.goto(CAPACITY_PATH);
  await expect(stuckHeading(page)).toBeVisible();

  // batch-worker: bound, its VM up, the agent unreachable on port 15150.
  const stuck = podRow(stuckTable(page), STUCK_POD);
  await expect(cell(stuck, 'Node').getByRole('link', { name: demo.stuckNode, exact: true })).toBeVisible();
  await expect(cell(stuck, 'Stage')).toHaveText(STUCK_TEXT.sandboxStage);
  await expect(cell(stuck, 'Reason')).toHaveText(STUCK_TEXT.networkReason);
  await expect(cell(stuck, 'Message')).toContainText('FailedCreatePodSandBox');
  await expect(cell(stuck, 'Message')).toContainText(':15150');
  await expect(cell(stuck, 'Fix').getByRole('link', { name: STUCK_TEXT.openPorts })).toBeVisible();
  await expect(cell(stuck, 'Fix').getByRole('button', { name: STUCK_TEXT.viewConsoleOutput(STUCK_POD) })).toBeVisible();

  // The nightly reports pinned to the small node: pending for a free VM there, fixed by its override.
  for (const name of demo.pinnedPending) {
    const row = podRow(stuckTable(page), name);
    await expect(cell(row, 'Node').getByRole('link', { name: demo.smallNode, exact: true })).toBeVisible();
    await expect(cell(row, 'Node')).toContainText(STUCK_TEXT.pinned);
    await expect(cell(row, 'Stage')).toHaveText(STUCK_TEXT.pendingStage);
    await expect(cell(row, 'Reason')).toHaveText(STUCK_TEXT.capacityReason);
    await expect(
      cell(row, 'Fix').getByRole('button', { name: STUCK_TEXT.raiseOverride(demo.smallNode) }),
    ).toBeEnabled();
  }

  // The pending list says the same of them: the small node's override lets them run, the limit not
  // (an override outranks the PeerPodConfig limit on that node); neither list offers the limit.
  const pending = page.getByLabel('Peer pods waiting for capacity', { exact: true });
  for (const name of demo.pinnedPending) {
    const row = podRow(pending, name);
    await expect(cell(row, 'Pinned to').getByRole('link', { name: demo.smallNode, exact: true })).toBeVisible();
    const fix = cell(row, 'What lets it run');
    await expect(fix).toContainText(
      `A higher override on ${demo.smallNode}, or a VM freed there; the limit does not apply to that node`,
    );
    await expect(fix.getByRole('button', { name: `Raise the override on ${demo.smallNode}` })).toBeEnabled();
    await expect(fix.getByRole('button', { name: 'Raise the VM limit' })).toHaveCount(0);
    await expect(cell(podRow(stuckTable(page), name), 'Fix').getByRole('button', { name: /VM limit/ })).toHaveCount(0);
  }
  await podRow(pending, demo.pinnedPending[0]!)
    .getByRole('button', { name: `Raise the override on ${demo.smallNode}` })
    .click();
  const overrideFromPending = page.getByRole('dialog', { name: 'VM limit override' });
  await expect(overrideFromPending.getByText(`Node ${demo.smallNode}`, { exact: true })).toBeVisible();
  await overrideFromPending.getByRole('button', { name: 'Cancel' }).click();
  await expect(overrideFromPending).toBeHidden();

  // The node table says which node they are pinned to, and how many wait there.
  await expect(nodeStatusCell(page, demo.smallNode)).toContainText(`${demo.pinnedPending.length} pinned pending`);
  await expect(nodeStatusCell(page, demo.stuckNode)).not.toContainText('pinned pending');
  await screenshot(page, 'operations-stuck');

  // The override fix opens the override editor of the small node; nothing is saved here.
  await podRow(stuckTable(page), demo.pinnedPending[0]!)
    .getByRole('button', { name: STUCK_TEXT.raiseOverride(demo.smallNode) })
    .click();
  const override = page.getByRole('dialog', { name: 'VM limit override' });
  await expect(override).toBeVisible();
  await expect(override.getByText(`Node ${demo.smallNode}`, { exact: true })).toBeVisible();
  await override.getByRole('button', { name: 'Cancel' }).click();
  await expect(override).toBeHidden();

  // The open-ports fix leads to the port wizard.
  await cell(stuck, 'Fix').getByRole('link', { name: STUCK_TEXT.openPorts }).click();
  await expect(page).toHaveURL(/\/peer-pods\/network-setup$/);
  await expect(page.getByRole('navigation', { name: 'Port setup steps' })).toBeVisible();
  // It opens on what is missing, or on the news that nothing is.
  await expect(stepHeading(page, /^(Planned changes|Verification)$/)).toBeVisible();
});

test('"View console output" shows the serial console the cloud holds for the stuck pod’s VM, and closes', async ({
  page,
}) => {
  await page.goto(CAPACITY_PATH);
  const button = cell(podRow(stuckTable(page), STUCK_POD), 'Fix').getByRole('button', {
    name: STUCK_TEXT.viewConsoleOutput(STUCK_POD),
  });
  await expect(button).toBeVisible();
  // The VM the backend found for the pod, and what the cloud answers for it.
  const vmId = (await fetchStuck(page)).pods.find((pod) => pod.name === STUCK_POD)?.vmId;
  expect(vmId, `the backend knows no VM of ${STUCK_POD}`).toBeTruthy();
  const expected = await fetchConsoleOutput(page, vmId!);
  expect(expected.unavailable).toBeNull();
  const firstLine = expected.output.split('\n').find((line) => line.trim() !== '');
  expect(firstLine, `the cloud has no console output for ${vmId}`).toBeTruthy();
  // moto answers GetConsoleOutput with a Linux boot log.
  if (sharedCloudDetails().platform === 'aws') expect(expected.output).toContain('Linux version');

  await button.click();
  const dialog = consoleOutputDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAccessibleName(`Console output of VM ${vmId}`);
  await expect(dialog.getByText(`The VM of the peer pod default/${STUCK_POD}`)).toBeVisible();
  const output = dialog.getByRole('region', { name: `Console output of VM ${vmId}` });
  await expect(output).toContainText(firstLine!.trim());
  await expect(dialog.getByRole('button', { name: `Copy the console output of VM ${vmId}` })).toBeVisible();
  await viewportScreenshot(page, 'operations-console-output');

  await dialog.locator('footer').getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(stuckHeading(page)).toBeVisible();
});

test('a node’s Peer pods tab lists the stuck peer pods of that node only', async ({ page }) => {
  const demo = await readDemoOperations(adminKubeConfig());
  expect(demo.stuckNode, 'the stuck pod runs on the small node').not.toBe(demo.smallNode);

  await page.goto(nodeTabPath(demo.stuckNode));
  await expect(stuckHeading(page)).toBeVisible();
  const stuck = podRow(stuckTable(page), STUCK_POD);
  await expect(cell(stuck, 'Stage')).toHaveText(STUCK_TEXT.sandboxStage);
  await expect(cell(stuck, 'Reason')).toHaveText(STUCK_TEXT.networkReason);
  // On the node's own page the node column would say nothing new.
  await expect(stuckTable(page).getByRole('columnheader', { name: 'Node', exact: true })).toHaveCount(0);
  // Exactly the pods the backend finds stuck on this node, each bound or pinned to it, none of the small node's.
  await expect(async () => {
    const all = await fetchStuck(page);
    const here = all.pods.filter((pod) => pod.nodeName === demo.stuckNode).map((pod) => pod.name!);
    expect(here).toContain(STUCK_POD);
    expect(await podNamesOf(stuckTable(page))).toEqual(here.sort());
  }).toPass({ timeout: 30_000, intervals: [1_000, 2_000] });
  for (const name of demo.pinnedPending) await expect(podRow(stuckTable(page), name)).toHaveCount(0);
  await screenshot(page, 'operations-node-stuck');

  // The small node's tab lists its pinned pods instead, with its own override as their fix.
  await page.goto(nodeTabPath(demo.smallNode));
  await expect(stuckHeading(page)).toBeVisible();
  // Its capacity counts them as pending for this node, beside the pods pending here (bound, VM
  // starting), and says that only its override lets them run.
  const pendingForNode = page
    .getByLabel('Peer pod capacity of the node')
    .locator('dt')
    .filter({ hasText: /^Pending for this node$/ })
    .locator('xpath=following-sibling::dd[1]');
  await expect(pendingForNode).toHaveText(new RegExp(`^${demo.pinnedPending.length}(?!\\d)`));
  await expect(pendingForNode).toContainText(
    'Only a higher override on this node, or a VM freed here, lets them run: the PeerPodConfig limit does not apply to this node.',
  );
  for (const name of demo.pinnedPending) {
    const row = podRow(stuckTable(page), name);
    await expect(cell(row, 'Reason')).toHaveText(STUCK_TEXT.capacityReason);
    await expect(
      cell(row, 'Fix').getByRole('button', { name: STUCK_TEXT.raiseOverride(demo.smallNode) }),
    ).toBeEnabled();
  }
  await expect(podRow(stuckTable(page), STUCK_POD)).toHaveCount(0);
});

test('the History names test-admin for a limit changed in the console, and kubectl-patch for one patched outside it', async ({
  page,
}) => {
  const kc = adminKubeConfig();
  // The limit and, since the editor keeps it in step by default, PEERPODS_LIMIT_PER_NODE: both put back.
  const found = await readFoundLimits(kc);
  const { limit: original, limitValue: originalLimit } = found;
  const target = `${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME}`;

  await page.goto(CAPACITY_PATH);
  await expect(summaryValue(page, 'VM limit per node')).toHaveText(original!);
  await expect(historyHeading(page)).toBeVisible();

  // Two limits no recorded change mentions yet (this test runs once per console on the same stack),
  // so that the rows found below are this run's.
  const mentioned = new Set((await fetchHistory(page)).entries.flatMap((entry) => [entry.old, entry.new]));
  const candidates = Array.from({ length: 80 }, (_, i) => originalLimit! + 20 + i).filter(
    (n) => !mentioned.has(String(n)) && !mentioned.has(String(n + 1)),
  );
  expect(candidates.length, 'every candidate limit is in the History already').toBeGreaterThan(0);
  const inConsole = candidates[randomInt(candidates.length)]!;
  const outside = inConsole + 1;
  const consoleChange = { who: 'test-admin', what: 'VM limit', old: original!, new: String(inConsole) };
  const outsideChange = {
    who: 'outside the console (kubectl-patch)',
    what: 'VM limit',
    old: String(inConsole),
    new: String(outside),
  };

  try {
    await page.getByRole('button', { name: 'Edit limit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit the VM limit per node' });
    await dialog.getByRole('textbox', { name: 'VM limit per node' }).fill(String(inConsole));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByText(`The limit is now ${inConsole}.`, { exact: false })).toBeVisible();
    await expect.poll(async () => (await readPeerPodConfig(kc)).spec.limit).toBe(String(inConsole));
    await dialog.locator('footer').getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // Closing the editor reads the History again: the change is there, naming the signed-in user.
    const byConsole = historyRows(page, consoleChange);
    await expect(byConsole).toHaveCount(1);
    await expect(cell(byConsole, 'Target')).toHaveText(target);
    await expect(cell(byConsole, 'Message')).toContainText(
      `test-admin changed the VM limit of PeerPodConfig ${target}`,
    );

    // As `oc patch peerpodconfig … --type merge` writes it: the backend's leader records it from managedFields.
    await setPeerPodConfigLimit(kc, String(outside), 'kubectl-patch');
    await expect(summaryValue(page, 'VM limit per node')).toHaveText(String(outside));
    const byOutside = historyRows(page, outsideChange);
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh', exact: true }).click({ timeout: 5_000 });
      await expect(byOutside).toHaveCount(1, { timeout: 2_000 });
    }).toPass({ timeout: 30_000, intervals: [1_000, 2_000] });
    await expect(cell(byOutside, 'Target')).toHaveText(target);
    await expect(cell(byOutside, 'Message')).toContainText('outside the console: kubectl-patch changed the VM limit');
    // Newest first: the outside change is above the console's.
    const rows = historyTable(page).locator('tbody > tr');
    const changes = await rows.locator('td[data-label="Change"]').allInnerTexts();
    expect(changes.indexOf(`${inConsole} → ${outside}`)).toBeLessThan(changes.indexOf(`${original} → ${inConsole}`));
    await screenshot(page, 'operations-history');
  } finally {
    await restoreLimits(kc, found);
  }
});

test('without cluster monitoring the Peer pods page shows no alert banner and no error about it', async ({ page }) => {
  // The alerting rules the banner reads: `<prometheusBaseURL>/api/v1/rules`, which no monitoring answers.
  const rules = page.waitForResponse((response) => new URL(response.url()).pathname.endsWith('/api/v1/rules'));
  await page.goto(CAPACITY_PATH);
  const answer = await rules;
  expect(answer.ok(), `${answer.url()} answered ${answer.status()}: the cluster has monitoring`).toBe(false);

  await expect(summaryValue(page, 'VM limit per node')).toBeVisible();
  await expect(stuckHeading(page)).toBeVisible();
  await expect(historyHeading(page)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Firing peer pod alerts' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'View alert details' })).toHaveCount(0);
  // The console's main area, around the plugin's page (the console's own navigation and masthead aside).
  const main = page.locator('main', { has: page.getByRole('heading', { level: 1, name: 'Peer pods' }) });
  await expect(main).toBeVisible();
  await expect(main.getByText(/monitoring|prometheus|thanos|alertmanager|alerting rules/i)).toHaveCount(0);
  // And it stays so on every tab (the banner sits above them).
  for (const tab of ['Setup', 'Virtual machines', 'Network setup']) {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    await expect(page.getByRole('tab', { name: tab, exact: true })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('region', { name: 'Firing peer pod alerts' })).toHaveCount(0);
    await expect(main.getByText(/monitoring|prometheus|thanos|alertmanager/i)).toHaveCount(0);
  }
});
