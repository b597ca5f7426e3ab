// Every page of the plugin — the four tabs of Peer pods (Capacity with its stuck peer pods and
// History, and with a VM's console output open), the Node details "Peer pods" tab and the Peer
// pods item of the Status card on Home → Overview — in the light and the dark theme: an
// axe-core scan finds no serious or critical violation, and a full-page screenshot lands in
// e2e/artifacts/screenshots/ (a real console's in a folder of its name). Then in Simplified
// Chinese, picked as a user does in that console, every page shows the plugin's zh translations.
import { SETUP_CHECK_IDS } from '@peer-pods-console/contract/setup-checks';
import type { Page } from '@playwright/test';
import { chooseLanguage, expect, test, applyTheme } from './support/console.ts';
import { adminKubeConfig, readPeerPodConfig, selectedNodeNames } from './cluster.ts';
import { chinese, seriousAxeViolations, SETUP_CHECK_TITLES, setupChecksTable } from './support/pages.ts';
import {
  consoleOutputDialog,
  historyHeading,
  historyTable,
  podRow,
  readDemoOperations,
  STUCK_POD,
  STUCK_TEXT,
  stuckHeading,
  stuckTable,
} from './support/operations.ts';
import { screenshot } from './support/screenshots.ts';

type Translate = (english: string) => string;

interface PluginPage {
  /** Screenshot name: `<name>-<theme>.png`. */
  name: string;
  path: (node: string) => string;
  /** Waits until the page shows its data (in English). */
  ready: (page: Page) => Promise<void>;
  /** Asserts strings of the page in the user's language `t`. */
  translated: (page: Page, t: Translate) => Promise<void>;
}

/**
 * Nothing is loading any more: no spinner (LoadingState, a loading button) is left. By class, as
 * spinners and the utilisation bars both have the role progressbar.
 */
const settled = async (page: Page) => expect(page.locator('.pf-v6-c-spinner')).toHaveCount(0);

/** The Status card of the Cluster overview (data-test-id as the console sets it). */
const statusCard = (page: Page) => page.locator('[data-test-id="status-card"]');

/** The Peer pods page's title and selected tab, in the user's language. */
async function peerPodsTab(page: Page, t: Translate, tab: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: t('Peer pods') })).toBeVisible();
  await expect(page.getByRole('tab', { name: t(tab), exact: true })).toHaveAttribute('aria-selected', 'true');
}

/**
 * The Capacity tab with everything the demo makes it show: the summary and node table, the pinned
 * label of the small node, the stuck peer pods and the History (each read on its own).
 */
async function capacityReady(page: Page): Promise<void> {
  await expect(page.getByLabel('PeerPodConfig summary')).toBeVisible();
  const nodes = page.getByLabel('Peer pod VM capacity per node');
  await expect(nodes.locator('tbody > tr').first()).toBeVisible();
  await expect(nodes.getByText(/^\d+ pinned pending$/)).toBeVisible();
  await expect(stuckHeading(page)).toBeVisible();
  await expect(podRow(stuckTable(page), STUCK_POD)).toBeVisible();
  await expect(historyHeading(page)).toBeVisible();
  await expect(historyTable(page).or(page.getByText('No changes recorded yet', { exact: true }))).toBeVisible();
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The heading of the step the port wizard opened on, in the page's language. */
const wizardStepHeading = (page: Page, t: (text: string) => string) =>
  page.getByRole('heading', {
    level: 2,
    name: new RegExp(
      `^(${['Platform', 'Rule status', 'Planned changes', 'Verification'].map((step) => escapeRegExp(t(step))).join('|')})$`,
    ),
  });

const PAGES: PluginPage[] = [
  {
    name: 'peer-pods-setup',
    path: () => '/peer-pods/setup',
    ready: async (page) => {
      await expect(setupChecksTable(page).locator('tbody tr')).toHaveCount(SETUP_CHECK_IDS.length);
      await expect(page.getByText(/^(Installed|Not installed|Partly installed: not enforced)$/)).toBeVisible();
      await expect(page.getByLabel('Namespace to allow')).toBeVisible();
    },
    translated: async (page, t) => {
      await peerPodsTab(page, t, 'Setup');
      await expect(page.getByRole('heading', { level: 2, name: t('Setup checklist') })).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: t('Namespace policy') })).toBeVisible();
      await expect(page.getByRole('button', { name: t('Check again') })).toBeVisible();
      const table = page.getByLabel(t('Setup checks'), { exact: true });
      for (const id of SETUP_CHECK_IDS) {
        await expect(table.getByText(t(SETUP_CHECK_TITLES[id]), { exact: true })).toBeVisible();
      }
    },
  },
  {
    name: 'peer-pods-capacity',
    path: () => '/peer-pods/capacity',
    ready: capacityReady,
    translated: async (page, t) => {
      await peerPodsTab(page, t, 'Capacity');
      await expect(page.getByLabel(t('PeerPodConfig summary'))).toContainText(t('VM limit per node'));
      await expect(page.getByRole('button', { name: t('Edit limit') })).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: t('Nodes'), exact: true })).toBeVisible();
      await expect(page.getByLabel(t('Peer pod VM capacity per node')).locator('tbody > tr').first()).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: t('Stuck peer pods'), exact: true })).toBeVisible();
      await expect(
        podRow(page.getByLabel(t('Stuck peer pods'), { exact: true }), STUCK_POD).getByText(t('VM not reachable')),
      ).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: t('History'), exact: true })).toBeVisible();
    },
  },
  {
    // The Capacity tab with the stuck pod's VM console output open.
    name: 'peer-pods-console-output',
    path: () => '/peer-pods/capacity',
    ready: async (page) => {
      await capacityReady(page);
      await podRow(stuckTable(page), STUCK_POD)
        .getByRole('button', { name: STUCK_TEXT.viewConsoleOutput(STUCK_POD) })
        .click();
      await expect(consoleOutputDialog(page).getByRole('region', { name: /^Console output of VM / })).not.toBeEmpty();
    },
    translated: async (page, t) => {
      await peerPodsTab(page, t, 'Capacity');
      await podRow(page.getByLabel(t('Stuck peer pods'), { exact: true }), STUCK_POD)
        .getByRole('button', { name: t('View the console output of the VM of {{pod}}').replace('{{pod}}', STUCK_POD) })
        .click();
      const [before, after] = t('Console output of VM {{vm}}').split('{{vm}}') as [string, string];
      const dialog = page.getByRole('dialog', {
        name: new RegExp(`^${escapeRegExp(before)}i-.+${escapeRegExp(after)}$`),
      });
      await expect(dialog.getByRole('button', { name: t('Read again') })).toBeVisible();
      await expect(dialog.getByRole('button', { name: t('Close'), exact: true })).toBeVisible();
      await expect(dialog.getByRole('region')).not.toBeEmpty();
    },
  },
  {
    name: 'peer-pods-virtual-machines',
    path: () => '/peer-pods/virtual-machines',
    ready: async (page) => {
      await expect(page.getByLabel('Peer pod virtual machines').locator('tbody > tr').first()).toBeVisible();
    },
    translated: async (page, t) => {
      await peerPodsTab(page, t, 'Virtual machines');
      await expect(page.getByLabel(t('Peer pod virtual machines')).locator('tbody > tr').first()).toBeVisible();
      await expect(page.getByRole('button', { name: t('Refresh'), exact: true })).toBeVisible();
      await expect(page.getByLabel(t('Filter virtual machines'))).toBeVisible();
    },
  },
  {
    name: 'peer-pods-network-setup',
    path: () => '/peer-pods/network-setup',
    // The wizard opens where the cluster stands: on the missing rules, or on "Everything is
    // already open" (the earlier specs may have opened them); at the platform only while unknown.
    ready: async (page) => {
      await expect(page.getByRole('navigation', { name: 'Port setup steps' })).toBeVisible();
      await expect(wizardStepHeading(page, (text) => text)).toBeVisible();
    },
    translated: async (page, t) => {
      await peerPodsTab(page, t, 'Network setup');
      await expect(page.getByRole('navigation', { name: t('Port setup steps') })).toBeVisible();
      await expect(wizardStepHeading(page, t)).toBeVisible();
    },
  },
  {
    name: 'node-peer-pods',
    path: (node) => `/k8s/cluster/nodes/${node}/peer-pods`,
    ready: async (page) => {
      await expect(page.getByRole('heading', { level: 2, name: 'Peer pod capacity' })).toBeVisible();
      await expect(page.getByLabel('Peer pod capacity of the node')).toBeVisible();
      await expect(podRow(stuckTable(page), STUCK_POD)).toBeVisible();
    },
    translated: async (page, t) => {
      // The Node page's tabs: links of a horizontal nav in the shell, tabs in the console 4.22.
      await expect(
        page
          .getByRole('navigation', { name: 'Node pages' })
          .getByRole('link', { name: t('Peer pods') })
          .or(page.getByRole('tab', { name: t('Peer pods'), exact: true })),
      ).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: t('Peer pod capacity') })).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: t('Virtual machines'), exact: true })).toBeVisible();
      await expect(page.getByLabel(t('Peer pod capacity of the node'))).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: t('Stuck peer pods'), exact: true })).toBeVisible();
      await expect(
        podRow(page.getByLabel(t('Stuck peer pods'), { exact: true }), STUCK_POD).getByText(t('Sandbox not starting')),
      ).toBeVisible();
    },
  },
  {
    // Home → Overview: the "Peer pods" item of the Status card, its popover open.
    name: 'overview-status',
    path: () => '/dashboards',
    ready: async (page) => {
      await statusCard(page).getByRole('button', { name: 'Peer pods' }).click();
      await expect(page.getByRole('dialog', { name: 'Peer pod VMs' })).toBeVisible();
      await expect(page.getByLabel('Peer pod totals')).toBeVisible();
    },
    translated: async (page, t) => {
      await statusCard(page)
        .getByRole('button', { name: t('Peer pods') })
        .click();
      await expect(page.getByRole('dialog', { name: t('Peer pod VMs') })).toBeVisible();
      const totals = page.getByLabel(t('Peer pod totals'));
      await expect(totals).toContainText(t('Capacity'));
      await expect(totals).toContainText(t('In use'));
      await expect(page.getByRole('link', { name: t('View peer pod capacity') })).toBeVisible();
    },
  },
];

/** The node of the demo's stuck pod, which the PeerPodConfig selects: its "Peer pods" tab has capacity and a stuck pod to show. */
async function peerPodNode(): Promise<string> {
  const kc = adminKubeConfig();
  const config = await readPeerPodConfig(kc);
  const nodes = await selectedNodeNames(kc, config.spec.nodeSelector ?? {});
  const { stuckNode } = await readDemoOperations(kc);
  expect(nodes, 'the PeerPodConfig does not select the stuck pod’s node').toContain(stuckNode);
  return stuckNode;
}

for (const theme of ['light', 'dark'] as const) {
  for (const pluginPage of PAGES) {
    test(`${pluginPage.name} in the ${theme} theme: no serious axe violation, and a screenshot`, async ({
      page,
      consoleUnderTest,
    }) => {
      // The console applies the stored theme before the first paint, as it does after the switch.
      await applyTheme(page, consoleUnderTest, theme);
      await page.goto(pluginPage.path(await peerPodNode()));
      if (theme === 'dark') await expect(page.locator('html')).toHaveClass(/pf-v6-theme-dark/);
      else await expect(page.locator('html')).not.toHaveClass(/pf-v6-theme-dark/);

      await pluginPage.ready(page);
      await settled(page);
      await screenshot(page, `${pluginPage.name}-${theme}`);
      expect(await seriousAxeViolations(page)).toEqual([]);
    });
  }
}

test('in Simplified Chinese every page of the plugin renders Chinese', async ({ page, consoleUnderTest }) => {
  test.setTimeout(120_000);
  const zh = chinese();
  const node = await peerPodNode();
  await page.goto('/dashboards');
  await chooseLanguage(page, consoleUnderTest, 'zh-cn');

  // The choice is stored where the console stores it: each page below opens in Chinese.
  for (const pluginPage of PAGES) {
    await page.goto(pluginPage.path(node));
    await pluginPage.translated(page, zh);
    await settled(page);
    await screenshot(page, `${pluginPage.name}-zh-cn`);
  }
});
