// The PeerPodConfig limit and the cloud-api-adaptor's own per-node limit (PEERPODS_LIMIT_PER_NODE
// in the PeerPodConfig's ConfigMap) kept in step, end to end: the limit editor on the Capacity tab
// says what a new limit promises against the vCPU quota and offers to write the same value into the
// ConfigMap; the API server then holds both, and the Setup tab's "Adaptor's own VM limit" check
// passes. When the two differ — the key edited in the ConfigMap, or a limit saved with the box
// cleared — the check warns, with the `oc patch` that fixes it as its fix. Other specs share the
// stack: every test puts the limit and the key back as it found them.
import type { KubeConfig } from '@kubernetes/client-node';
import { ADAPTOR_DEFAULT_LIMIT, ADAPTOR_LIMIT_KEY } from '@peer-pods-console/contract/sizing';
import type { Locator, Page } from '@playwright/test';
import { OPERATOR_NAMESPACE } from '../hack/controlplane/fixtures.ts';
import { adminKubeConfig, readPeerPodConfig } from './cluster.ts';
import { expectNodesAdvertise, wholeLimit } from './support/capacity.ts';
import { expect, test } from './support/console.ts';
import { fetchSetupReport, SETUP_CHECK_TITLES, setupRow, setupRowCell } from './support/pages.ts';
import {
  fetchCapacityRoom,
  readFoundLimits,
  restoreLimits,
  type FoundLimits,
  patchConfigMapData,
  promisedFromCluster,
  readAdaptorLimit,
  roomVerdictText,
  setAdaptorLimit,
} from './support/room.ts';
import { screenshot, viewportScreenshot } from './support/screenshots.ts';

const CAPACITY_PATH = '/peer-pods/capacity';
const CHECK = 'adaptor-limit';

/** A new limit that differs from the one found and from what the adaptor applies now. */
function newLimitFor(found: FoundLimits): number {
  const adaptor = found.key === undefined ? ADAPTOR_DEFAULT_LIMIT : wholeLimit(found.key);
  return [found.limitValue - 2, found.limitValue + 2, found.limitValue + 3].find(
    (candidate) => candidate > 1 && candidate !== adaptor,
  )!;
}

/** `oc patch` of the key, as the check prints its fix (backend/src/setup/checks/adaptor-limit.ts). */
const fixCommand = (found: FoundLimits, limit: number): string =>
  `oc patch configmap ${found.configMap} -n ${OPERATOR_NAMESPACE} --type merge -p '{"data":{"${ADAPTOR_LIMIT_KEY}":"${limit}"}}'`;

const inStepFinding = (found: FoundLimits, value: number): string =>
  `${ADAPTOR_LIMIT_KEY} in the ConfigMap ${found.configMap} is ${value}, the same as the PeerPodConfig limit.`;

/** What the check finds when the adaptor applies `key` (undefined: unset, its default) and the limit is `limit`. */
const driftFinding = (found: FoundLimits, key: string | undefined, limit: number): string =>
  key === undefined
    ? `The ConfigMap ${found.configMap} does not set ${ADAPTOR_LIMIT_KEY}, so the cloud-api-adaptor uses ${ADAPTOR_DEFAULT_LIMIT}, ` +
      `but the PeerPodConfig limit is ${limit}: where the cloud-api-adaptor advertises the capacity itself, nodes get ` +
      `${ADAPTOR_DEFAULT_LIMIT}. Keep the two in step.`
    : `${ADAPTOR_LIMIT_KEY} in the ConfigMap ${found.configMap} is ${key}, but the PeerPodConfig limit is ${limit}: ` +
      `where the cloud-api-adaptor advertises the capacity itself, nodes get ${key}. Keep the two in step; ` +
      'the cloud-api-adaptor reads it when its pods start.';

const editorDialog = (page: Page): Locator => page.getByRole('dialog', { name: 'Edit the VM limit per node' });

/** The checkbox that writes the limit into PEERPODS_LIMIT_PER_NODE too. */
const keepInStepBox = (dialog: Locator, found: FoundLimits, limit: number): Locator =>
  dialog.getByRole('checkbox', {
    name: `Also set ${ADAPTOR_LIMIT_KEY} in ConfigMap ${OPERATOR_NAMESPACE}/${found.configMap} to ${limit} (now ${
      found.key ?? `unset, ${ADAPTOR_DEFAULT_LIMIT}`
    })`,
    exact: true,
  });

/** Opens the limit editor from the Capacity tab and types `limit`. */
async function typeNewLimit(page: Page, limit: number): Promise<Locator> {
  await page.goto(CAPACITY_PATH);
  await expect(roomVerdictText(page)).toBeVisible({ timeout: 30_000 });
  const editButton = page.getByRole('button', { name: 'Edit limit', exact: true });
  await expect(editButton).not.toHaveAttribute('aria-disabled', 'true');
  await editButton.click();
  const dialog = editorDialog(page);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'VM limit per node' }).fill(String(limit));
  return dialog;
}

/** The editor's hint says what `limit` promises, in the figures of the room API and the cluster. */
async function expectPromiseHint(page: Page, dialog: Locator, kc: KubeConfig, limit: number): Promise<void> {
  const room = await fetchCapacityRoom(page);
  expect(room.vcpusPerVm, 'the room knows no vCPUs of the default size').not.toBeNull();
  expect(room.freeVcpus, 'the room knows no free vCPUs').not.toBeNull();
  const promised = await promisedFromCluster(kc, limit);
  const hint = dialog.getByText(/^With this limit, the nodes promise /);
  await expect(hint).toContainText(
    `With this limit, the nodes promise ${promised} VMs = ${promised * room.vcpusPerVm!} vCPUs (${room.defaultSize}); ` +
      `the quota has ${room.freeVcpus} vCPUs free: at most ${room.moreVms} more VMs can start.`,
  );
  const over = Math.max(0, promised - room.usedVms) - room.moreVms!;
  const warning = /The limits promise \d+ more VMs than the quota holds/;
  if (over > 0) {
    await expect(hint).toContainText(
      `The limits promise ${over} more VMs than the quota holds; peer pods beyond that will fail in ContainerCreating.`,
    );
  } else {
    await expect(hint).not.toContainText(warning);
  }
}

/** Saves the editor and waits for the PeerPodConfig to hold `limit`. */
async function saveLimit(dialog: Locator, kc: KubeConfig, limit: number): Promise<void> {
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText(`The limit is now ${limit}.`, { exact: false })).toBeVisible();
  await expect.poll(async () => (await readPeerPodConfig(kc)).spec.limit).toBe(String(limit));
}

/** The Setup tab's row of the check reads `status` and `finding`, and the report agrees. */
async function expectAdaptorRow(
  page: Page,
  expected: { status: 'Passed' | 'Warning'; finding: string; command?: string },
): Promise<void> {
  const row = setupRow(page, CHECK);
  await expect(setupRowCell(row, 'Status')).toHaveText(expected.status, { timeout: 30_000 });
  await expect(setupRowCell(row, 'What was found')).toHaveText(expected.finding);
  const fix = setupRowCell(row, 'Fix');
  if (expected.command === undefined) {
    await expect(fix).toHaveText('—');
  } else {
    await expect(
      fix.getByRole('group', { name: `Command that fixes ${SETUP_CHECK_TITLES[CHECK]}`, exact: true }).locator('pre'),
    ).toHaveText(expected.command);
    await expect(
      fix.getByRole('button', { name: `Copy the command that fixes ${SETUP_CHECK_TITLES[CHECK]}`, exact: true }),
    ).toBeVisible();
  }
  const check = (await fetchSetupReport(page)).checks.find((candidate) => candidate.id === CHECK);
  expect(check?.status).toBe(expected.status === 'Passed' ? 'pass' : 'warning');
  expect(check?.fix).toEqual(expected.command === undefined ? null : { kind: 'command', command: expected.command });
}

test('a limit saved with "Also set PEERPODS_LIMIT_PER_NODE" checked lands in the PeerPodConfig and its ConfigMap, and the Setup check passes', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const kc = adminKubeConfig();
  const found = await readFoundLimits(kc);
  const limit = newLimitFor(found);
  try {
    const dialog = await typeNewLimit(page, limit);
    await expectPromiseHint(page, dialog, kc, limit);
    const keepInStep = keepInStepBox(dialog, found, limit);
    await expect(keepInStep).toBeChecked();
    await viewportScreenshot(page, 'limits-sync-editor');

    await saveLimit(dialog, kc, limit);
    await expect(
      dialog.getByText(
        `${ADAPTOR_LIMIT_KEY} in ConfigMap ${OPERATOR_NAMESPACE}/${found.configMap} is now ${limit} (was ${found.key ?? 'unset'}).`,
        { exact: false },
      ),
    ).toBeVisible();
    await expect.poll(() => readAdaptorLimit(kc)).toBe(String(limit));
    await expectNodesAdvertise(kc, found.governed, limit);
    await viewportScreenshot(page, 'limits-sync-editor-saved');
    await dialog.locator('footer').getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    await page.getByRole('tab', { name: 'Setup', exact: true }).click();
    await expectAdaptorRow(page, { status: 'Passed', finding: inStepFinding(found, limit) });
    await screenshot(page, 'limits-sync-setup-in-step');
  } finally {
    await restoreLimits(kc, found);
  }
});

test('PEERPODS_LIMIT_PER_NODE edited in the ConfigMap to differ from the limit makes the Setup check warn, and its oc patch fixes it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const kc = adminKubeConfig();
  const found = await readFoundLimits(kc);
  const differing = String(newLimitFor(found));
  try {
    await setAdaptorLimit(kc, differing);
    await page.goto('/peer-pods');
    const command = fixCommand(found, found.limitValue);
    await expectAdaptorRow(page, {
      status: 'Warning',
      finding: driftFinding(found, differing, found.limitValue),
      command,
    });
    await screenshot(page, 'limits-sync-setup-drift');

    // Run what the fix says (its merge patch, as `oc patch` sends it), and check again.
    const patch = JSON.parse(/ -p '(.*)'$/.exec(command)![1]!) as { data: Record<string, string> };
    await patchConfigMapData(kc, patch.data);
    await page.getByRole('button', { name: 'Check again' }).click();
    await expectAdaptorRow(page, { status: 'Passed', finding: inStepFinding(found, found.limitValue) });
  } finally {
    await restoreLimits(kc, found);
  }
});

test('a limit saved with the box cleared leaves PEERPODS_LIMIT_PER_NODE alone, and the Setup check warns with the oc patch that sets it', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const kc = adminKubeConfig();
  const found = await readFoundLimits(kc);
  const limit = newLimitFor(found);
  try {
    const dialog = await typeNewLimit(page, limit);
    const keepInStep = keepInStepBox(dialog, found, limit);
    await expect(keepInStep).toBeChecked();
    await keepInStep.uncheck();
    await expect(keepInStep).not.toBeChecked();

    await saveLimit(dialog, kc, limit);
    await expect(dialog.getByText(new RegExp(`${ADAPTOR_LIMIT_KEY} in ConfigMap .* is now`))).toHaveCount(0);
    expect(await readAdaptorLimit(kc)).toBe(found.key);
    await dialog.locator('footer').getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    await page.getByRole('tab', { name: 'Setup', exact: true }).click();
    await expectAdaptorRow(page, {
      status: 'Warning',
      finding: driftFinding(found, found.key, limit),
      command: fixCommand(found, limit),
    });
  } finally {
    await restoreLimits(kc, found);
  }
});
