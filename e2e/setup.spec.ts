// The Setup tab against the real stack: it opens first and shows every check of the backend's
// setup report with its status; a check broken in the API server (an invalid PeerPodConfig limit)
// is fixed through the product and turns green; the namespace policy installed from the UI makes
// the API server itself refuse peer pods outside the allowed namespaces, and a namespace labelled
// from the UI admits them. Each test sets up its own state and puts it back.
import {
  ALLOWED_NAMESPACE_LABEL,
  ALLOWED_NAMESPACE_LABEL_VALUE,
  NAMESPACE_POLICY_BINDING_NAME,
  NAMESPACE_POLICY_NAME,
} from '@peer-pods-console/contract/namespace-policy';
import { SETUP_CHECK_IDS } from '@peer-pods-console/contract/setup-checks';
import { expect, test } from './support/console.ts';
import { PEERPOD_RESOURCE, PEERPODCONFIG_NAME } from '../hack/controlplane/fixtures.ts';
import { adminKubeConfig, readPeerPodConfig, setPeerPodConfigLimit } from './cluster.ts';
import {
  createNamespace,
  createPod,
  deleteNamespace,
  deletePod,
  fetchSetupReport,
  namespaceLabels,
  podManifest,
  policyObjectsPresent,
  removePolicyObjects,
  SETUP_ACTION_LABELS,
  SETUP_CHECK_TITLES,
  setupChecksTable,
  setupRow,
  setupRowCell,
  STATUS_WORDS,
  uniqueName,
  type CreateAnswer,
} from './support/pages.ts';
import { ADMIN_VIEWPORT, expectWholeCode } from './support/code-blocks.ts';
import { motoCloud, revokeRequiredPortRules } from './support/cloud.ts';
import { readFoundLimits, restoreLimits, setAdaptorLimit } from './support/room.ts';
import { screenshot } from './support/screenshots.ts';
import { openStep, stepHeading } from './support/wizard.ts';

const POLICY_LABEL = `${ALLOWED_NAMESPACE_LABEL}=${ALLOWED_NAMESPACE_LABEL_VALUE}`;

/** The finding as the page shows it, but any "<n> ms" (a timing that differs from run to run). */
const sameFinding = (message: string): RegExp =>
  new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+ ms\b/g, '\\d+ ms')}$`);

test('the Peer pods page opens on the Setup tab, which shows every check of the setup report with its status', async ({
  page,
}) => {
  await page.goto('/peer-pods');

  await expect(page.getByRole('tab', { name: 'Setup', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { level: 2, name: 'Setup checklist' })).toBeVisible();
  await expect(setupChecksTable(page).locator('tbody tr')).toHaveCount(SETUP_CHECK_IDS.length);

  // The page's report and the API's are two runs of the checks: ask again until both are of the
  // same cluster state (a check may change between them while other parts of the stack settle).
  let attempt = 0;
  await expect(async () => {
    if (attempt++ > 0) {
      await page.getByRole('button', { name: 'Check again' }).click();
      await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled();
    }
    const report = await fetchSetupReport(page);
    expect(report.checks.map((c) => c.id).sort()).toEqual([...SETUP_CHECK_IDS].sort());
    for (const check of report.checks) {
      const row = setupRow(page, check.id);
      await expect(row, `row of ${check.id}`).toHaveCount(1, { timeout: 1_000 });
      await expect(setupRowCell(row, 'Status')).toHaveText(STATUS_WORDS[check.status], { timeout: 1_000 });
      await expect(setupRowCell(row, 'What was found')).toHaveText(sameFinding(check.found.message), {
        timeout: 1_000,
      });
      const fixCell = setupRowCell(row, 'Fix');
      if (check.status === 'pass' || !check.fix) {
        await expect(fixCell).toHaveText('—', { timeout: 1_000 });
      } else if (check.fix.kind === 'action') {
        await expect(fixCell.getByRole('button', { name: SETUP_ACTION_LABELS[check.fix.action] })).toBeVisible({
          timeout: 1_000,
        });
      } else {
        await expect(
          fixCell.getByRole('button', { name: `Copy the command that fixes ${SETUP_CHECK_TITLES[check.id]}` }),
        ).toBeVisible({ timeout: 1_000 });
      }
    }
    const count = (status: string) => report.checks.filter((c) => c.status === status).length;
    const results = page.getByLabel('Setup check results');
    await expect(results).toContainText(`Passed: ${count('pass')}`, { timeout: 1_000 });
    await expect(results).toContainText(`Warnings: ${count('warning')}`, { timeout: 1_000 });
    await expect(results).toContainText(`Failed: ${count('fail')}`, { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });

  await screenshot(page, 'setup-checklist');
});

test('an invalid PeerPodConfig limit fails its check, and fixing it through the limit editor turns the check green', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const kc = adminKubeConfig();
  const original = (await readPeerPodConfig(kc)).spec.limit!;
  expect(original).toMatch(/^\d+$/);
  await setPeerPodConfigLimit(kc, 'ten');
  try {
    await page.goto('/peer-pods');
    const row = setupRow(page, 'peer-pod-config');
    await expect(setupRowCell(row, 'Status')).toHaveText('Failed');
    await expect(setupRowCell(row, 'What was found')).toHaveText(
      `PeerPodConfig ${PEERPODCONFIG_NAME} has spec.limit "ten", which is not a non-negative whole number, so no node gets a VM limit from it.`,
    );
    const failing = (await fetchSetupReport(page)).checks.find((c) => c.id === 'peer-pod-config');
    expect(failing?.status).toBe('fail');
    expect(failing?.fix).toEqual({ kind: 'action', action: 'edit-limit' });
    await screenshot(page, 'setup-limit-failing');
    // A mark on this page: it must survive the fix (no reload on the way back to the checklist).
    await page.evaluate(() => Object.assign(globalThis, { loadedBeforeFix: true }));

    // The row's fix leads to the limit editor's page.
    await setupRowCell(row, 'Fix').getByRole('button', { name: 'Edit the limit' }).click();
    await expect(page).toHaveURL(/\/peer-pods\/capacity$/);
    const editButton = page.getByRole('button', { name: 'Edit limit', exact: true });
    await expect(editButton).not.toHaveAttribute('aria-disabled', 'true');
    await editButton.click();

    const dialog = page.getByRole('dialog', { name: 'Edit the VM limit per node' });
    await expect(dialog.getByText('The current limit is not valid')).toBeVisible();
    await dialog.getByRole('textbox', { name: 'VM limit per node' }).fill(original);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByText(`The limit is now ${original}.`)).toBeVisible();
    expect((await readPeerPodConfig(kc)).spec.limit).toBe(original);
    await dialog.getByRole('contentinfo').getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // Back on the Setup tab the checklist runs again and the check passes.
    await page.getByRole('tab', { name: 'Setup', exact: true }).click();
    await expect(setupRowCell(row, 'Status')).toHaveText('Passed');
    await expect(setupRowCell(row, 'What was found')).toHaveText(
      `PeerPodConfig ${PEERPODCONFIG_NAME}: up to ${original} peer pod VMs per node.`,
    );
    await expect(setupRowCell(row, 'Fix')).toHaveText('—');
    expect(await page.evaluate(() => (globalThis as { loadedBeforeFix?: boolean }).loadedBeforeFix)).toBe(true);
    expect((await fetchSetupReport(page)).checks.find((c) => c.id === 'peer-pod-config')?.status).toBe('pass');
    await screenshot(page, 'setup-limit-fixed');
  } finally {
    if ((await readPeerPodConfig(kc)).spec.limit !== original) await setPeerPodConfigLimit(kc, original);
  }
});

test('the namespace policy installed from the UI makes the API server refuse peer pods outside the allowed namespaces', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const kc = adminKubeConfig();
  const deniedNs = uniqueName('e2e-policy-denied');
  const allowedNs = uniqueName('e2e-policy-allowed');
  await removePolicyObjects(kc);
  await createNamespace(kc, deniedNs);
  await createNamespace(kc, allowedNs);
  try {
    await page.goto('/peer-pods');

    // Not installed: the checklist warns and its fix leads to the policy section.
    const policyRow = setupRow(page, 'namespace-policy');
    await expect(setupRowCell(policyRow, 'Status')).toHaveText('Warning');
    await setupRowCell(policyRow, 'Fix').getByRole('button', { name: 'Go to the namespace policy' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Namespace policy' })).toBeFocused();
    await expect(page.getByText('Not installed', { exact: true })).toBeVisible();

    // The modal warns about the running peer pods the policy would not allow.
    const report = await fetchSetupReport(page);
    const outside = report.peerPodNamespaces.filter((entry) => entry.namespace !== allowedNs);
    expect(outside.length, 'the stack seeds running peer pods in an unlabelled namespace').toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Install the policy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install the namespace policy?' });
    await expect(dialog).toContainText(
      `From now on the API server refuses new pods with runtimeClassName ${report.targetRuntimeClass} in every namespace that is not labelled ${POLICY_LABEL}.`,
    );
    await expect(dialog.getByText('Peer pods run in namespaces that would not be allowed')).toBeVisible();
    const wouldNotBeAllowed = dialog.getByRole('list', { name: 'Namespaces with peer pods that would not be allowed' });
    for (const entry of outside) {
      await expect(wouldNotBeAllowed).toContainText(`${entry.namespace}: ${entry.pods} peer pods`);
    }
    await screenshot(page, 'setup-policy-install');
    await dialog.getByRole('button', { name: 'Install', exact: true }).click();
    await expect(dialog).toBeHidden();

    // Installed in the API server, shown as such, and the checklist follows without a reload.
    await expect(page.getByText('Installed', { exact: true })).toBeVisible();
    expect(await policyObjectsPresent(kc)).toEqual({ policy: true, binding: true });
    await expect(setupRowCell(policyRow, 'Status')).toHaveText('Passed');
    await expect(page.getByText('Peer pods run in namespaces that are not allowed')).toBeVisible();

    // A peer pod in an unlabelled namespace: refused by the API server with the policy's message.
    // (The API server enforces a new policy once its informer has it: ask until it does.)
    let refusal: CreateAnswer | undefined;
    await expect(async () => {
      const answer = await createPod(kc, deniedNs, podManifest(uniqueName('peer'), true));
      if (answer.admitted) await deletePod(kc, deniedNs, answer.pod.metadata!.name!);
      expect(answer.admitted).toBe(false);
      refusal = answer;
    }).toPass({ timeout: 30_000 });
    if (!refusal || refusal.admitted) throw new Error('unreachable');
    expect(refusal.code).toBe(403);
    expect(refusal.message).toContain(
      `ValidatingAdmissionPolicy '${NAMESPACE_POLICY_NAME}' with binding '${NAMESPACE_POLICY_BINDING_NAME}' denied request`,
    );
    expect(refusal.message).toContain(
      `may only be created in namespaces labelled ${POLICY_LABEL}, and namespace ${deniedNs} is not`,
    );
    expect(refusal.message).toContain(`Allowed namespaces: oc get namespaces -l ${POLICY_LABEL}`);
    expect(refusal.message).toContain(`oc label namespace ${deniedNs} ${POLICY_LABEL}`);

    // An ordinary pod there is not the policy's business.
    const ordinary = await createPod(kc, deniedNs, podManifest('ordinary', false));
    expect(ordinary.admitted, JSON.stringify(ordinary)).toBe(true);

    // Allow a namespace from the UI: it is labelled in the API server and admits peer pods, which
    // the webhook still mutates.
    await page.getByLabel('Namespace to allow').selectOption(allowedNs);
    await page.getByRole('button', { name: 'Allow peer pods' }).click();
    const allowedTable = page.getByLabel('Allowed namespaces', { exact: true });
    await expect(allowedTable.locator('tbody tr').filter({ hasText: allowedNs })).toHaveCount(1);
    expect((await namespaceLabels(kc, allowedNs))[ALLOWED_NAMESPACE_LABEL]).toBe(ALLOWED_NAMESPACE_LABEL_VALUE);
    expect((await namespaceLabels(kc, deniedNs))[ALLOWED_NAMESPACE_LABEL]).toBeUndefined();
    await screenshot(page, 'setup-policy-installed');

    let admitted: CreateAnswer | undefined;
    await expect(async () => {
      admitted = await createPod(kc, allowedNs, podManifest(uniqueName('peer'), true));
      expect(admitted.admitted, JSON.stringify(admitted)).toBe(true);
    }).toPass({ timeout: 30_000 });
    if (!admitted?.admitted) throw new Error('unreachable');
    expect(admitted.pod.spec?.runtimeClassName).toBe(report.targetRuntimeClass);
    expect(admitted.pod.spec?.containers[0]?.resources?.requests?.[PEERPOD_RESOURCE]).toBe('1');

    // Unlabel and remove through the UI: the policy is gone from the API server.
    await page.getByRole('button', { name: `Remove the label from ${allowedNs}` }).click();
    await expect(allowedTable.locator('tbody tr').filter({ hasText: allowedNs })).toHaveCount(0);
    await expect.poll(async () => (await namespaceLabels(kc, allowedNs))[ALLOWED_NAMESPACE_LABEL]).toBeUndefined();
    await page.getByRole('button', { name: 'Remove the policy' }).click();
    const removeDialog = page.getByRole('dialog', { name: 'Remove the namespace policy?' });
    await removeDialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(removeDialog).toBeHidden();
    await expect(page.getByText('Not installed', { exact: true })).toBeVisible();
    expect(await policyObjectsPresent(kc)).toEqual({ policy: false, binding: false });
    await expect(setupRowCell(policyRow, 'Status')).toHaveText('Warning');
  } finally {
    // Other spec files create peer pods anywhere: the policy must never outlive this test.
    await removePolicyObjects(kc);
    await deleteNamespace(kc, deniedNs);
    await deleteNamespace(kc, allowedNs);
  }
});

test('a command fix shows whole in the Fix column at 1280 px: wrapped, monospace, copied as one', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  const kc = adminKubeConfig();
  const found = await readFoundLimits(kc);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize(ADMIN_VIEWPORT);
  // The adaptor's own limit out of step: its fix is a one-line `oc patch` far wider than the column.
  await setAdaptorLimit(kc, String(found.limitValue + 1));
  try {
    await page.goto('/peer-pods');
    const fix = setupRowCell(setupRow(page, 'adaptor-limit'), 'Fix');
    const block = fix.getByRole('group', { name: `Command that fixes ${SETUP_CHECK_TITLES['adaptor-limit']}` });
    await expect(block).toBeVisible({ timeout: 30_000 });
    const check = (await fetchSetupReport(page)).checks.find((candidate) => candidate.id === 'adaptor-limit');
    const command = check?.fix?.kind === 'command' ? check.fix.command : '';
    expect(command).toMatch(/^oc patch configmap .* --type merge -p '.*PEERPODS_LIMIT_PER_NODE.*'$/);
    await expectWholeCode(block, command);
    await block
      .getByRole('button', { name: `Copy the command that fixes ${SETUP_CHECK_TITLES['adaptor-limit']}` })
      .click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(command);
    await screenshot(page, 'setup-command-fix-whole');
  } finally {
    await restoreLimits(kc, found);
  }
});

test('the failed Ports check opens the port wizard on the planned changes, with the missing rules', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const cloud = await motoCloud(adminKubeConfig());
  await revokeRequiredPortRules(cloud);

  await page.goto('/peer-pods');
  const ports = setupRow(page, 'ports');
  // The backend reads the rules at most every 15 s: ask again until it has read them revoked.
  await expect(async () => {
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled();
    await expect(setupRowCell(ports, 'Status')).toHaveText('Failed', { timeout: 2_000 });
  }).toPass({ timeout: 45_000 });

  await setupRowCell(ports, 'Fix').getByRole('button', { name: SETUP_ACTION_LABELS['open-port-wizard'] }).click();

  await expect(page).toHaveURL(/\/peer-pods\/network-setup$/);
  await expect(stepHeading(page, 'Planned changes')).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Port setup steps' }).getByRole('button', { name: 'Planned changes' }),
  ).toHaveAttribute('aria-current', 'step');
  const planned = page.getByLabel('Planned rule changes').getByRole('listitem');
  await expect(planned).toHaveCount(cloud.ports.length);
  for (const [index, port] of cloud.ports.entries()) {
    await expect(planned.nth(index)).toContainText(
      `Allow TCP port ${port} between the instances of the security group ${cloud.groupId}`,
    );
  }
  await screenshot(page, 'setup-ports-to-wizard');

  // Open them again, through the wizard, for the tests that follow.
  await openStep(page, 'Apply');
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await expect(page.getByText('The changes are applied')).toBeVisible({ timeout: 30_000 });
});
