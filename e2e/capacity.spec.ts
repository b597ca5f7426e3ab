// The Capacity tab against the real stack: its numbers are the ones the API server and the cloud
// hold (worked out here, not by the backend), the limit editor changes the PeerPodConfig and the
// nodes follow, peer pods beyond a node's capacity wait and are listed, and a user without
// permissions is told why and offered nothing destructive. Every test sets up what it needs and
// puts the cluster back as it found it.
import { randomBytes } from 'node:crypto';
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import { ALLOWED_NAMESPACE_LABEL, ALLOWED_NAMESPACE_LABEL_VALUE } from '@peer-pods-console/contract/namespace-policy';
import type { Locator, Page } from '@playwright/test';
import { computeNavSectionLocator, expect, signInAs, test } from './support/console.ts';
import { PEERPOD_RESOURCE } from '../hack/controlplane/fixtures.ts';
import { adminKubeConfig, readPeerPodConfig } from './cluster.ts';
import {
  configGovernedNodes,
  createNamespace,
  deleteNamespaceAndPods,
  expectNodesAdvertise,
  type ExpectedNodeRow,
  type ExpectedTotals,
  peerPodManifest,
  readExpectedCapacity,
  vmRequest,
  waitsForCapacity,
  wholeLimit,
} from './support/capacity.ts';
import { seriousAxeViolations } from './support/pages.ts';
import { screenshot, viewportScreenshot } from './support/screenshots.ts';
import { readFoundLimits, restoreLimits } from './support/room.ts';

const CAPACITY_PATH = '/peer-pods/capacity';

const totalsSection = (page: Page) => page.getByRole('region', { name: 'Cluster totals' });
const capacityTable = (page: Page) => page.getByLabel('Peer pod VM capacity per node');
const pendingTable = (page: Page) => page.getByLabel('Peer pods waiting for capacity');
const summaryValue = (page: Page, term: string) =>
  page.getByLabel('PeerPodConfig summary').locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');

const TOTAL_TERMS: Record<keyof ExpectedTotals, string> = {
  capacity: 'Capacity',
  used: 'In use',
  free: 'Free',
  pending: 'Pending',
  vms: 'VMs',
  orphans: 'Orphans',
  unaccounted: 'Unaccounted',
};

/** The big number of each totals card (its first line; the second says what it counts). */
async function shownTotals(page: Page): Promise<Record<keyof ExpectedTotals, string>> {
  const section = totalsSection(page);
  const entries = await Promise.all(
    (Object.entries(TOTAL_TERMS) as [keyof ExpectedTotals, string][]).map(async ([key, term]) => {
      const card = section
        .locator('dt', { hasText: new RegExp(`^${term}$`) })
        .locator('xpath=following-sibling::dd[1]');
      const text = await card.innerText({ timeout: 5_000 });
      return [key, text.split('\n')[0]!.trim()] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<keyof ExpectedTotals, string>;
}

/** A cell's text; in link cells only the link's (a ResourceLink also carries the kind's badge). */
const cellText = (row: Locator, label: string, link = false) =>
  row
    .locator(link ? `td[data-label="${label}"] a` : `td[data-label="${label}"]`)
    .innerText({ timeout: 5_000 })
    .then((text) => text.replace(/\s+/g, ' ').trim());

/** Every row of the node table, cell by cell. */
async function shownRows(page: Page): Promise<ExpectedNodeRow[]> {
  const rows = await capacityTable(page).locator('tbody > tr').all();
  return Promise.all(
    rows.map(async (row) => ({
      node: await cellText(row, 'Node', true),
      limitFrom: await cellText(row, 'Limit from'),
      limit: await cellText(row, 'Limit'),
      inUse: await cellText(row, 'In use'),
      free: await cellText(row, 'Free'),
      vms: await cellText(row, 'VMs'),
    })),
  );
}

/** namespace/name of each row of the pending peer pods table (empty when the table is absent). */
async function shownPending(page: Page): Promise<string[]> {
  const rows = await pendingTable(page).locator('tbody > tr').all();
  const keys = await Promise.all(
    rows.map(async (row) => `${await cellText(row, 'Namespace')}/${await cellText(row, 'Pod', true)}`),
  );
  return keys.sort();
}

/** The page and the cluster agree: totals, node rows and pending pods, recomputed on each try. */
async function expectPageMatchesCluster(page: Page, kc: KubeConfig, timeout = 30_000): Promise<void> {
  await expect(async () => {
    const expected = await readExpectedCapacity(kc);
    const numbers = Object.fromEntries(Object.entries(expected.totals).map(([k, v]) => [k, String(v)]));
    expect(await shownTotals(page)).toEqual(numbers);
    expect(await shownRows(page)).toEqual(expected.rows);
    expect(await shownPending(page)).toEqual(expected.pending);
  }).toPass({ timeout, intervals: [500, 1_000, 2_000] });
}

/** The page never reloads while the test watches it: a mark set on window survives only without one. */
const markPage = (page: Page) => page.evaluate(() => Object.assign(globalThis, { capacitySpecMark: true }));
const pageKeptMark = (page: Page) =>
  page.evaluate(() => (globalThis as { capacitySpecMark?: boolean }).capacitySpecMark === true);

test('the capacity totals and every node row equal what the API server and the cloud hold', async ({ page }) => {
  const kc = adminKubeConfig();
  await page.goto(CAPACITY_PATH);
  await expect(capacityTable(page).locator('tbody > tr').first()).toBeVisible();
  await expect(summaryValue(page, 'VM limit per node')).toHaveText((await readPeerPodConfig(kc)).spec.limit!);

  await expectPageMatchesCluster(page, kc);

  // Not an empty page that trivially agrees: the stack's workers take their limits from somewhere.
  const expected = await readExpectedCapacity(kc);
  expect(expected.rows.length).toBeGreaterThan(0);
  expect(expected.totals.capacity).toBeGreaterThan(0);

  await screenshot(page, 'capacity-admin');
});

test('editing the limit in the UI changes the PeerPodConfig, the nodes advertise it and the table follows', async ({
  page,
}) => {
  const kc = adminKubeConfig();
  // The limit and, since the editor keeps it in step by default, PEERPODS_LIMIT_PER_NODE: both put back.
  const found = await readFoundLimits(kc);
  const { limit: original, limitValue: originalLimit, governed } = found;
  const changed = originalLimit + 2;

  await page.goto(CAPACITY_PATH);
  await expect(summaryValue(page, 'VM limit per node')).toHaveText(original!);
  await expect(capacityTable(page).locator('tbody > tr').first()).toBeVisible();
  await markPage(page);

  try {
    await page.getByRole('button', { name: 'Edit limit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit the VM limit per node' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByText(`Current limit: ${original} VMs per node.`)).toBeVisible();
    const input = dialog.getByRole('textbox', { name: 'VM limit per node' });
    const save = dialog.getByRole('button', { name: 'Save' });

    // Bad input is refused in place, saying what is wrong with the limit.
    await input.fill('-1');
    await expect(
      dialog.getByText('The limit cannot be negative. Enter 0 or more; 0 stops new peer pods.'),
    ).toBeVisible();
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(save).toBeDisabled();
    await input.fill('abc');
    await expect(dialog.getByText('Enter digits only, for example 10.')).toBeVisible();
    await expect(save).toBeDisabled();
    expect((await readPeerPodConfig(kc)).spec.limit).toBe(original);

    await input.fill(String(changed));
    await expect(input).toHaveAttribute('aria-invalid', 'false');
    await expect(save).toBeEnabled();
    await viewportScreenshot(page, 'capacity-limit-editor');
    // The axe scan runs over the whole page with the dialog open.
    expect(await seriousAxeViolations(page)).toEqual([]);

    await save.click();

    await expect(dialog.getByText(`The limit is now ${changed}.`, { exact: false })).toBeVisible();
    await expect.poll(async () => (await readPeerPodConfig(kc)).spec.limit).toBe(String(changed));
    // The backend's reconciler writes the new limit into every node the PeerPodConfig governs.
    await expectNodesAdvertise(kc, governed, changed);
    await viewportScreenshot(page, 'capacity-limit-editor-saved');

    await dialog.locator('footer').getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(summaryValue(page, 'VM limit per node')).toHaveText(String(changed));
    for (const name of governed) {
      const row = capacityTable(page)
        .locator('tbody > tr')
        .filter({ has: page.getByRole('link', { name, exact: true }) });
      await expect(row.locator('td[data-label="Limit"]')).toHaveText(String(changed));
    }
    await expectPageMatchesCluster(page, kc);
    expect(await pageKeptMark(page), 'the page reloaded').toBe(true);
  } finally {
    await restoreLimits(kc, found);
  }
});

test('an override set from the node table changes that node alone, and removing it gives the PeerPodConfig limit back', async ({
  page,
}) => {
  const kc = adminKubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const configLimit = wholeLimit((await readPeerPodConfig(kc)).spec.limit)!;
  const governed = await configGovernedNodes(kc);
  expect(governed.length, 'no node takes its limit from the PeerPodConfig').toBeGreaterThan(1);
  const [node, untouched] = governed as [string, string];
  const override = configLimit + 3;
  const annotationOf = async (name: string) =>
    (await core.readNode({ name })).metadata?.annotations?.[VM_LIMIT_OVERRIDE_ANNOTATION];
  const rowOf = (name: string) =>
    capacityTable(page)
      .locator('tbody > tr')
      .filter({ has: page.getByRole('link', { name, exact: true }) });

  await page.goto(CAPACITY_PATH);
  await expect(rowOf(node).locator('td[data-label="Limit"]')).toHaveText(String(configLimit));
  await markPage(page);
  try {
    await rowOf(node)
      .getByRole('button', { name: `Actions for ${node}` })
      .click();
    await page.getByRole('menuitem', { name: 'Set override' }).click();
    const dialog = page.getByRole('dialog', { name: 'VM limit override' });
    await dialog.getByRole('textbox', { name: 'VM limit override' }).fill(String(override));
    await dialog.getByRole('button', { name: 'Save override' }).click();
    await expect(dialog.getByText(`The override is saved: ${node} may run ${override} peer pod VMs.`)).toBeVisible();
    await expect.poll(() => annotationOf(node)).toBe(String(override));
    await expectNodesAdvertise(kc, [node], override);
    await expectNodesAdvertise(kc, [untouched], configLimit);
    await dialog.locator('footer').getByRole('button', { name: 'Close' }).click();
    await expect(rowOf(node).locator('td[data-label="Limit"]')).toHaveText(String(override));
    await expect(rowOf(node).locator('td[data-label="Limit from"]')).toHaveText('Override');

    await rowOf(node)
      .getByRole('button', { name: `Actions for ${node}` })
      .click();
    await page.getByRole('menuitem', { name: 'Remove override' }).click();
    await dialog.getByRole('button', { name: 'Remove override' }).click();
    await expect(
      dialog.getByText(`The override is removed: ${node} takes its limit from its PeerPodConfig again.`),
    ).toBeVisible();
    await expect.poll(() => annotationOf(node)).toBeUndefined();
    await expectNodesAdvertise(kc, [node], configLimit);
    await dialog.locator('footer').getByRole('button', { name: 'Close' }).click();
    await expect(rowOf(node).locator('td[data-label="Limit"]')).toHaveText(String(configLimit));
    expect(await pageKeptMark(page), 'the page reloaded').toBe(true);
  } finally {
    if ((await annotationOf(node)) !== undefined) {
      await core.patchNode(
        { name: node, body: { metadata: { annotations: { [VM_LIMIT_OVERRIDE_ANNOTATION]: null } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    }
    await expectNodesAdvertise(kc, [node], configLimit);
  }
});

test('peer pods created beyond a node’s free capacity wait as pending, and the Capacity tab lists them', async ({
  page,
}) => {
  const kc = adminKubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const namespace = `e2e-capacity-${randomBytes(3).toString('hex')}`;

  // The node with the least free room that still has some: a few pods fill it, two more must wait.
  const before = await readExpectedCapacity(kc);
  const candidates = before.rows
    .map((row) => ({ node: row.node, free: Number(row.free) }))
    .filter((row) => row.free > 0)
    .sort((a, b) => a.free - b.free || a.node.localeCompare(b.node));
  expect(candidates.length, 'no node has a free peer pod VM').toBeGreaterThan(0);
  const target = candidates[0]!;
  const beyond = 2;
  const names = Array.from({ length: target.free + beyond }, (_, i) => `beyond-capacity-${i}`);

  await page.goto(CAPACITY_PATH);
  await expect(capacityTable(page).locator('tbody > tr').first()).toBeVisible();
  await expectPageMatchesCluster(page, kc);
  const pendingBefore = Number((await shownTotals(page)).pending);
  await markPage(page);

  // The namespace policy is not installed by default; labelled, the namespace is allowed either way.
  await createNamespace(kc, namespace, { [ALLOWED_NAMESPACE_LABEL]: ALLOWED_NAMESPACE_LABEL_VALUE });
  try {
    for (const name of names) {
      await core.createNamespacedPod({ namespace, body: peerPodManifest(name, target.node) });
    }

    // The webhook gave each pod its VM request, and the scheduler placed what fits and refused the rest.
    await expect
      .poll(
        async () => {
          const pods = (await core.listNamespacedPod({ namespace })).items;
          return {
            requestingAVm: pods.filter((p) => vmRequest(p).amount === 1).length,
            bound: pods.filter((p) => p.spec?.nodeName === target.node).length,
            waitingForCapacity: pods.filter(waitsForCapacity).length,
          };
        },
        { timeout: 30_000, message: `the scheduler places ${target.free} pods on ${target.node} and leaves ${beyond}` },
      )
      .toEqual({ requestingAVm: names.length, bound: target.free, waitingForCapacity: beyond });
    await expect
      .poll(
        async () =>
          (await core.listNamespacedEvent({ namespace })).items.filter(
            (e) => e.reason === 'FailedScheduling' && (e.message ?? '').includes(`Insufficient ${PEERPOD_RESOURCE}`),
          ).length,
        { timeout: 30_000, message: 'FailedScheduling events for lack of VMs' },
      )
      .toBeGreaterThan(0);
    const waiting = (await core.listNamespacedPod({ namespace })).items
      .filter(waitsForCapacity)
      .map((p) => p.metadata!.name!);

    // Live, without a reload: the pending total rises, the pending list names them, the node is full.
    for (const name of waiting) {
      const row = pendingTable(page)
        .locator('tbody > tr')
        .filter({ has: page.getByRole('link', { name, exact: true }) });
      await expect(row.locator('td[data-label="Namespace"]')).toHaveText(namespace);
      await expect(row.locator('td[data-label="Scheduler message"]')).toContainText(`Insufficient ${PEERPOD_RESOURCE}`);
    }
    await expect(
      totalsSection(page)
        .locator('dt', { hasText: /^Pending$/ })
        .locator('xpath=following-sibling::dd[1]'),
    ).toHaveText(new RegExp(`^${pendingBefore + beyond}(?!\\d)`));
    const targetRow = capacityTable(page)
      .locator('tbody > tr')
      .filter({ has: page.getByRole('link', { name: target.node, exact: true }) });
    await expect(targetRow.locator('td[data-label="Free"]')).toHaveText('0');
    await expectPageMatchesCluster(page, kc);
    expect(await pageKeptMark(page), 'the page reloaded').toBe(true);
    await screenshot(page, 'capacity-pending');
  } finally {
    await deleteNamespaceAndPods(kc, namespace);
  }
  await expect
    .poll(async () => (await core.listNamespace()).items.some((ns) => ns.metadata?.name === namespace))
    .toBe(false);
});

/** No button of this name can be pressed: absent, or disabled with its reason. */
async function expectNoEnabledButton(scope: Page | Locator, name: string | RegExp): Promise<void> {
  const buttons = await scope.getByRole('button', { name }).all();
  for (const button of buttons) await expect(button).toBeDisabled();
}

/**
 * What a user without access is told, told calmly and once: no danger alert, no retry that would be
 * refused again, and no raw refusal (the backend's and the API server's name the user in quotes)
 * under the explanation that already says it.
 */
async function expectCalmExplanations(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
  await expect(page.getByText(/"test-developer"/)).toHaveCount(0);
  await expect(page.getByText(/^Error: /)).toHaveCount(0);
  await expect(page.locator('.pf-v6-c-alert.pf-m-danger')).toHaveCount(0);
}

/** The explanation is shown, once. */
async function expectExplainedOnce(page: Page, explanation: RegExp): Promise<void> {
  await expect(page.getByText(explanation)).toBeVisible();
  await expect(page.getByText(explanation)).toHaveCount(1);
}

test('the non-admin sees no destructive action on any tab and is told why', async ({ page, consoleUnderTest }) => {
  await page.goto(CAPACITY_PATH);
  await signInAs(page, consoleUnderTest, 'developer');

  // Capacity: neither the PeerPodConfig nor capacity may be read, and both say which permission is missing.
  await expect(page.getByText('Could not load the PeerPodConfig')).toBeVisible();
  await expectExplainedOnce(page, /You are not allowed to read PeerPodConfigs in the namespace/);
  await expect(page.getByText('You are not allowed to read peer pod capacity')).toBeVisible();
  await expectExplainedOnce(page, /Reading capacity needs the permission to list nodes/);
  await expectCalmExplanations(page);
  await expectNoEnabledButton(page, 'Edit limit');
  await expectNoEnabledButton(page, /override/i);
  await expect(capacityTable(page)).toHaveCount(0);
  await screenshot(page, 'capacity-developer');

  // The page opens by its address, but the console lists it under Compute, which it hides from a
  // user who may not list nodes: so does the shell.
  await expect(computeNavSectionLocator(page, consoleUnderTest)).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Peer pods', exact: true })).toHaveCount(0);

  await page.getByRole('tab', { name: 'Virtual machines' }).click();
  await expect(page).toHaveURL(/\/peer-pods\/virtual-machines$/);
  await expect(page.getByText('Could not load the virtual machines')).toBeVisible();
  await expectExplainedOnce(page, /Reading the virtual machine inventory needs permission/);
  await expectCalmExplanations(page);
  await expectNoEnabledButton(page, /clean up/i);
  await expect(page.getByRole('checkbox')).toHaveCount(0);
  await screenshot(page, 'virtual-machines-developer');

  await page.getByRole('tab', { name: 'Network setup' }).click();
  await expect(page).toHaveURL(/\/peer-pods\/network-setup$/);
  await expect(page.getByText('Could not detect the platform')).toBeVisible();
  await expectExplainedOnce(page, /Reading the port rules needs permission to list nodes/);
  await expectCalmExplanations(page);
  // The wizard cannot move on from its first step, so its Apply step is out of reach.
  await expectNoEnabledButton(page, /apply/i);
  await expectNoEnabledButton(page, 'Next');
  await screenshot(page, 'network-setup-developer');

  await page.getByRole('tab', { name: 'Setup', exact: true }).click();
  await expect(page).toHaveURL(/\/peer-pods\/setup$/);
  await expect(page.getByText('Could not run the setup checks')).toBeVisible();
  await expectExplainedOnce(page, /Reading the setup checks needs permission to list nodes/);
  await expect(page.getByText('Could not read the namespace policy')).toBeVisible();
  await expectExplainedOnce(page, /Your user may not read ValidatingAdmissionPolicies/);
  await expectExplainedOnce(page, /Your user may not list namespaces/);
  await expectCalmExplanations(page);
  // Checking again would be refused again.
  await expect(page.getByRole('button', { name: 'Check again' })).toHaveCount(0);
  await expectNoEnabledButton(page, /install|remove the policy|complete the installation/i);
  await expectNoEnabledButton(page, /^(Allow|Remove the label from)/);
  await screenshot(page, 'setup-developer');

  // Home → Overview: no Peer pods item in the Status card for a user who may not list nodes, and so
  // no alert of the plugin there.
  // On the developer's own console (a real console's developer has a bridge of its own).
  await page.goto(new URL('/dashboards', page.url()).href);
  const statusCard = page.locator('[data-test-id="status-card"]');
  await expect(statusCard).toBeVisible();
  await expect(statusCard.getByText('Peer pods', { exact: true })).toHaveCount(0);
  await expect(page.locator('.pf-v6-c-alert.pf-m-danger').filter({ hasText: /peer pod/i })).toHaveCount(0);
  await screenshot(page, 'overview-developer');
});
