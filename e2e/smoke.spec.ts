// Smoke test of the whole chain: the console shell loads the built plugin from its manifest, the
// plugin's page shows what the API server holds and follows it live, in the user's language, and
// tells a user without access why there is nothing to show.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seriousAxeViolations } from './support/pages.ts';
import type { Page } from '@playwright/test';
import { chooseLanguage, computeNavSection, expect, signInAs, switchToDarkTheme, test } from './support/console.ts';
import { adminKubeConfig, readPeerPodConfig, selectedNodeNames, setPeerPodConfigLimit } from './cluster.ts';
import { artifactsDir, pluginDistDir } from './paths.ts';

const manifest = JSON.parse(readFileSync(join(pluginDistDir, 'plugin-manifest.json'), 'utf8')) as {
  name: string;
  loadScripts: string[];
};
const PLUGIN = manifest.name;
const I18N_NAMESPACE = `plugin__${PLUGIN}`;

const summaryValue = (page: Page, term: string) =>
  page.getByLabel('PeerPodConfig summary').locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');

// PatternFly tables have role "grid"; the aria-label names the table either way.
const capacityTable = (page: Page) => page.getByLabel('Peer pod VM capacity per node');

test('the console loads the plugin from its manifest and lists "Peer pods" under Compute', async ({
  page,
  consoleUnderTest,
}) => {
  const manifestResponse = page.waitForResponse(
    (r) => new URL(r.url()).pathname === `/api/plugins/${PLUGIN}/plugin-manifest.json`,
  );
  const entryResponse = page.waitForResponse(
    (r) => new URL(r.url()).pathname === `/api/plugins/${PLUGIN}/${manifest.loadScripts[0]}`,
  );
  await page.goto('/dashboards');
  expect((await manifestResponse).status()).toBe(200);
  expect((await entryResponse).status()).toBe(200);

  await (await computeNavSection(page, consoleUnderTest)).getByRole('link', { name: 'Peer pods' }).click();

  await expect(page).toHaveURL(/\/peer-pods$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Peer pods' })).toBeVisible();
  await expect(page).toHaveTitle(/^Peer pods · /);
});

test('the Peer pods page shows the PeerPodConfig limit and the selected nodes the API server holds', async ({
  page,
}) => {
  const kc = adminKubeConfig();
  const config = await readPeerPodConfig(kc);
  const nodes = await selectedNodeNames(kc, config.spec.nodeSelector ?? {});
  expect(config.spec.limit).toBe('10');
  expect(nodes).toHaveLength(5);

  await page.goto('/peer-pods/capacity');

  await expect(summaryValue(page, 'VM limit per node')).toHaveText(config.spec.limit!);
  await expect(capacityTable(page).locator('tbody > tr')).toHaveCount(nodes.length);
  const shownNodes = (await capacityTable(page).locator('tbody a').allTextContents()).sort();
  expect(shownNodes).toEqual(nodes);

  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, 'peer-pods-capacity.png'), fullPage: true });

  expect(await seriousAxeViolations(page)).toEqual([]);
});

test('the Peer pods page follows a limit change in the API server without a reload', async ({ page }) => {
  const kc = adminKubeConfig();
  const original = (await readPeerPodConfig(kc)).spec.limit!;
  const watch = page.waitForEvent('websocket', (ws) =>
    /\/api\/kubernetes\/.*peerpodconfigs.*watch=true/.test(ws.url()),
  );
  await page.goto('/peer-pods/capacity');
  await expect(summaryValue(page, 'VM limit per node')).toHaveText(original);
  await watch;
  await page.evaluate(() => Object.assign(globalThis, { loadedBeforeChange: true }));

  const changed = String(Number(original) + 2);
  await setPeerPodConfigLimit(kc, changed);
  try {
    await expect(summaryValue(page, 'VM limit per node')).toHaveText(changed);
    // Still the same page: the change arrived over the watch, not through a reload.
    expect(await page.evaluate(() => (globalThis as { loadedBeforeChange?: boolean }).loadedBeforeChange)).toBe(true);
  } finally {
    await setPeerPodConfigLimit(kc, original);
  }
});

test('the plugin renders Chinese when the user picks Simplified Chinese', async ({ page, consoleUnderTest }) => {
  // The console's i18next uses `load: 'languageOnly'`, so for zh-cn it requests lng=zh, which the
  // bridge serves from the plugin's locales/zh/ (as other console plugins ship it).
  const zhFile = join(pluginDistDir, 'locales', 'zh', `${I18N_NAMESPACE}.json`);
  expect(
    existsSync(zhFile),
    `the console loads Simplified Chinese from locales/zh/, but the plugin build has no ${zhFile}`,
  ).toBe(true);
  const zh = JSON.parse(readFileSync(zhFile, 'utf8')) as Record<string, string>;
  const title = zh['Peer pods'];
  expect(title, `locales/zh/${I18N_NAMESPACE}.json has no translation of "Peer pods"`).toBeTruthy();

  await page.goto('/peer-pods');
  await expect(page.getByRole('heading', { level: 1, name: 'Peer pods' })).toBeVisible();
  await chooseLanguage(page, consoleUnderTest, 'zh-cn');

  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect((await computeNavSection(page, consoleUnderTest)).getByRole('link', { name: title })).toBeVisible();
  await expect(page.getByRole('tab', { name: zh['Capacity'] })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
});

test('a user without access sees why the Peer pods page has no data', async ({ page, consoleUnderTest }) => {
  await page.goto('/peer-pods/capacity');

  await signInAs(page, consoleUnderTest, 'developer');

  await expect(page.getByText('Could not load the PeerPodConfig')).toBeVisible();
  await expect(page.getByText(/You are not allowed to read PeerPodConfigs/)).toBeVisible();
  await expect(capacityTable(page)).toHaveCount(0);
});

test('the dark theme stays on across reloads', async ({ page, consoleUnderTest }) => {
  await page.goto('/dashboards');
  await expect(page.locator('html')).not.toHaveClass(/pf-v6-theme-dark/);

  await switchToDarkTheme(page, consoleUnderTest);

  await expect(page.locator('html')).toHaveClass(/pf-v6-theme-dark/);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/pf-v6-theme-dark/);
});
