// Layout as an admin sees it, measured in the browser at the widths admins work at (1280 and
// 1440 px), in English, French and Spanish (whose words run longest): the Virtual machines table
// and the node table stay inside the page, a VM row stays a few lines tall, an instance id stays on
// one line, the VM filter's placeholder shows whole and the "Orphans only" switch shows its label.
// On AWS (the shared stack) and on Azure (a stack of its own, whose VM ids are long ARM resource ids).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Locator, Page } from '@playwright/test';
import { adminKubeConfig } from './cluster.ts';
import { chooseLanguage, expect, test, type ConsoleUnderTest } from './support/console.ts';
import { pluginDistDir } from './paths.ts';
import { peerPodInstanceIds } from './support/cloud.ts';
import { screenshot, viewportScreenshot } from './support/screenshots.ts';
import { startE2eStack, type E2eStack } from './stack.ts';

const WIDTHS = [1280, 1440] as const;
const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'French' },
  { code: 'es', name: 'Spanish' },
] as const;
type Language = (typeof LANGUAGES)[number];

/** How many text lines a VM row may take: a name over two lines and its id on a third. */
const MAX_VM_ROW_LINES = 3;

// ---- in the page: the e2e config compiles without the DOM's types --------------------------

interface Element {
  scrollWidth: number;
  clientWidth: number;
  parentElement: Element | null;
  getBoundingClientRect(): { width: number; height: number };
  querySelectorAll(selector: string): Iterable<Element>;
}
interface Style {
  lineHeight: string;
  paddingTop: string;
  paddingBottom: string;
  paddingLeft: string;
  paddingRight: string;
  font: string;
}
declare const getComputedStyle: (element: Element) => Style;
declare const document: {
  createElement(tag: 'canvas'): {
    getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } };
  };
};

/**
 * The table against its container (the stack item it sits in): the table's width, the width the
 * container shows, and how wide its content is inside (more than it shows when it overflows).
 */
async function widths(table: Locator): Promise<{ table: number; container: number; content: number }> {
  return table.evaluate((element: Element) => {
    const container = element.parentElement!;
    return {
      table: Math.round(element.getBoundingClientRect().width),
      container: container.clientWidth,
      content: container.scrollWidth,
    };
  });
}

/** Each body row's height, and the most `lines` body text lines of a cell (with its padding) allow. */
async function rowHeights(table: Locator, lines: number): Promise<{ heights: number[]; bound: number }> {
  return table.evaluate((element: Element, maxLines: number) => {
    const rows = [...element.querySelectorAll('tbody > tr')];
    const cell = [...element.querySelectorAll('tbody > tr > td')][1]!;
    const style = getComputedStyle(cell);
    const bound =
      parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + maxLines * parseFloat(style.lineHeight) + 2;
    return { heights: rows.map((row) => Math.round(row.getBoundingClientRect().height)), bound };
  }, lines);
}

/** Each header cell's width, rounded: where the table's width goes. */
async function columnWidths(table: Locator): Promise<number[]> {
  return table.evaluate((element: Element) =>
    [...element.querySelectorAll('thead th')].map((th) => Math.round(th.getBoundingClientRect().width)),
  );
}

/** Each column's width with the table squeezed for a moment to what its content allows: the room to spare. */
async function minColumnWidths(table: Locator): Promise<number[]> {
  return table.evaluate((element: Element) => {
    const squeezed = element as Element & { style: { width: string } };
    squeezed.style.width = '1px';
    const widths = [...element.querySelectorAll('thead th')].map((th) => Math.round(th.getBoundingClientRect().width));
    squeezed.style.width = '';
    return widths;
  });
}

/** What a table measured at each width, in the output and attached to the test's report. */
async function reportLayout(table: string, measured: Record<number, unknown>): Promise<void> {
  console.log(`[layout] ${table} (${test.info().project.name}): ${JSON.stringify(measured)}`);
  await test
    .info()
    .attach(`layout: ${table}`, { body: JSON.stringify(measured, null, 2), contentType: 'application/json' });
}

/** How many lines an element's text takes: its height over its line height. */
async function textLines(element: Locator): Promise<number> {
  return element.evaluate(
    (text: Element) => text.getBoundingClientRect().height / parseFloat(getComputedStyle(text).lineHeight),
  );
}

/** The placeholder's width in the input's font, and the room the input gives its text. */
async function placeholderFit(input: Locator): Promise<{ text: number; room: number }> {
  return input.evaluate((element: Element) => {
    const field = element as Element & { placeholder: string };
    const style = getComputedStyle(field);
    const context = document.createElement('canvas').getContext('2d');
    context.font = style.font;
    return {
      text: Math.ceil(context.measureText(field.placeholder).width),
      room: field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
    };
  });
}

// ---- the plugin's words in the language under test -------------------------------------------

/** The plugin's strings in `language`, as the console loads them; English where none is translated yet. */
function translations(language: Language): (english: string) => string {
  if (language.code === 'en') return (english) => english;
  const file = join(pluginDistDir, 'locales', language.code, 'plugin__peer-pods-console-plugin.json');
  const catalog = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return (english) => catalog[english] || english;
}

/** Picks `language` as a user does in the console under test (English is every console's default). */
async function openInLanguage(page: Page, which: ConsoleUnderTest, baseUrl: string, language: Language) {
  if (language.code === 'en') return;
  await page.goto(`${baseUrl}/dashboards`);
  await chooseLanguage(page, which, language.code);
}

// ---- the Virtual machines table ---------------------------------------------------------------

/** The cloud ids under the VM names, in a table or in one of its rows. */
const vmIds = (scope: Locator) => scope.locator('.peer-pods-console-plugin__vm-id');

/**
 * The VM table at each width: inside its container, every row at most three lines tall, each id
 * on one line (whole on AWS; shortened on Azure, whole in its tooltip), the filter's placeholder
 * whole and the switch's label shown.
 */
async function expectVmTableFits(page: Page, kc: KubeConfig, t: (english: string) => string, shotName: string) {
  const table = page.getByRole('grid', { name: t('Peer pod virtual machines') });
  // Every peer pod's VM is listed (by its name, the end of an ARM resource id, which the table
  // shortens): the backend lists the cloud every few seconds, Refresh reads its latest listing.
  const vms = (await peerPodInstanceIds(kc)).map((id) => id.split('/').at(-1)!);
  expect(vms.length, 'the stack runs peer pods').toBeGreaterThan(0);
  await expect(async () => {
    await page.getByRole('button', { name: t('Refresh'), exact: true }).click();
    for (const vm of vms) {
      await expect(table.locator('tbody > tr').filter({ hasText: vm })).toHaveCount(1, { timeout: 2_000 });
    }
  }).toPass({ timeout: 60_000 });
  const measured: Record<number, unknown> = {};
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    // Layout settles after the resize.
    await expect.poll(async () => (await widths(table)).table).toBeGreaterThan(0);

    const size = await widths(table);
    const rows = await rowHeights(table, MAX_VM_ROW_LINES);
    measured[width] = {
      ...size,
      columns: await columnWidths(table),
      minColumns: await minColumnWidths(table),
      rowHeights: rows.heights,
      rowBound: rows.bound,
    };
    expect.soft(size.content, `the VM table's container at ${width} px`).toBeLessThanOrEqual(size.container);
    expect.soft(size.table, `the VM table at ${width} px`).toBeLessThanOrEqual(size.container);
    for (const height of rows.heights) expect.soft(height, `a VM row at ${width} px`).toBeLessThanOrEqual(rows.bound);

    // Each VM's id, with its copy button.
    for (const id of await vmIds(table).all()) {
      expect.soft(await textLines(id), `${await id.textContent()} at ${width} px`).toBeLessThan(1.5);
    }

    const filter = page.getByRole('textbox', { name: t('Filter virtual machines') });
    const placeholder = await placeholderFit(filter);
    expect.soft(placeholder.text, `the filter's placeholder at ${width} px`).toBeLessThanOrEqual(placeholder.room);

    const switchLabel = page.getByText(
      new RegExp(`^${t('Orphans only ({{number}})').replace(/[()]/g, '\\$&').replace('{{number}}', '\\d+')}$`),
    );
    await expect(switchLabel).toBeVisible();
    const labelBox = (await switchLabel.boundingBox())!;
    expect.soft(labelBox.width, `the switch's label at ${width} px`).toBeGreaterThan(40);
    expect.soft(labelBox.x + labelBox.width, `the switch's label at ${width} px`).toBeLessThanOrEqual(width);

    Object.assign(measured[width] as object, { placeholder });
    await screenshot(page, `${shotName}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await reportLayout(`VM table, ${shotName}`, measured);
}

// ---- the node table ---------------------------------------------------------------------------

/** The node table at each width: inside its container, each row's kebab inside the table. */
async function expectNodeTableFits(page: Page, t: (english: string) => string, shotName: string) {
  const table = page.getByRole('grid', { name: t('Peer pod VM capacity per node') });
  await expect(table.locator('tbody > tr').first()).toBeVisible({ timeout: 30_000 });
  const measured: Record<number, unknown> = {};
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await expect.poll(async () => (await widths(table)).table).toBeGreaterThan(0);
    const size = await widths(table);
    measured[width] = { ...size, columns: await columnWidths(table), minColumns: await minColumnWidths(table) };
    expect.soft(size.content, `the node table's container at ${width} px`).toBeLessThanOrEqual(size.container);
    expect.soft(size.table, `the node table at ${width} px`).toBeLessThanOrEqual(size.container);
    // Each row's actions are one kebab, inside the table.
    const kebabs = table
      .locator('tbody > tr')
      .getByRole('button', { name: new RegExp(`^${t('Actions for {{node}}').replace('{{node}}', '')}`) });
    const tableBox = (await table.boundingBox())!;
    for (const kebab of await kebabs.all()) {
      const box = (await kebab.boundingBox())!;
      expect.soft(box.x + box.width, `a row's actions at ${width} px`).toBeLessThanOrEqual(tableBox.x + tableBox.width);
    }
    await table.scrollIntoViewIfNeeded();
    await viewportScreenshot(page, `${shotName}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await reportLayout(`node table, ${shotName}`, measured);
}

// ---- resource links in the real consoles -------------------------------------------------------

/**
 * The lines each resource link's name takes, as the browser broke it: one string a line. A string
 * evaluated in the page (this file compiles without the DOM's types).
 */
const RESOURCE_LINK_LINES = `Array.from(document.querySelectorAll('.peer-pods-console-plugin__resource-link')).map((link) => {
  // The name alone: the kind's badge beside it holds its own text.
  const name = link.querySelector('.co-resource-item__resource-name') ?? link;
  const walker = document.createTreeWalker(name, NodeFilter.SHOW_TEXT);
  const lines = [];
  let top;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (rect.width === 0) continue;
      if (top === undefined || Math.abs(rect.top - top) > rect.height / 2) lines.push('');
      top = rect.top;
      lines[lines.length - 1] += node.data[i];
    }
  }
  return lines.map((line) => line.trim()).filter(Boolean);
})`;

test('at 1280 px every resource link on the Capacity tab breaks only after a hyphen or slash, never inside a word', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/peer-pods/capacity');
  // The demo's pinned pods wait for worker-4: their "Pinned to" links are in a narrow column.
  await expect(page.getByRole('columnheader', { name: 'Pinned to' })).toBeVisible({ timeout: 30_000 });
  const links = await page.evaluate<string[][]>(RESOURCE_LINK_LINES);
  expect(links.length).toBeGreaterThan(5);
  for (const lines of links) {
    for (const line of lines.slice(0, -1)) expect(line, `a line of "${lines.join('')}"`).toMatch(/[-/]$/);
  }
});

// ---- AWS: the shared stack --------------------------------------------------------------------

for (const language of LANGUAGES) {
  test(`on AWS in ${language.name}, the Virtual machines table fits the page at 1280 and 1440 px, each VM in at most three lines`, async ({
    page,
    consoleUnderTest,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    await openInLanguage(page, consoleUnderTest, baseURL!, language);
    await page.goto('/peer-pods/virtual-machines');
    await expectVmTableFits(page, adminKubeConfig(), translations(language), `layout-vms-aws-${language.code}`);
  });

  test(`in ${language.name}, the node table with its row actions fits the page at 1280 and 1440 px`, async ({
    page,
    consoleUnderTest,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    await openInLanguage(page, consoleUnderTest, baseURL!, language);
    await page.goto('/peer-pods/capacity');
    await expectNodeTableFits(page, translations(language), `layout-nodes-${language.code}`);
  });
}

// ---- Azure: a stack of its own, with the demo's peer pods and their VMs ------------------------

test.describe('on Azure', () => {
  let stack: E2eStack;

  test.beforeAll(async ({ consoleUnderTest }) => {
    test.setTimeout(300_000);
    stack = await startE2eStack({
      platform: 'azure',
      nodes: 3,
      backendLogName: `backend-azure-layout-${consoleUnderTest}.log`,
      realConsoles: consoleUnderTest === 'shell' ? [] : [consoleUnderTest],
      log: () => {},
    });
  });

  test.afterAll(async () => {
    test.setTimeout(60_000);
    await stack?.stop();
  });

  const azureConsoleUrl = (consoleUnderTest: ConsoleUnderTest): string =>
    consoleUnderTest === 'shell' ? stack.shellUrl : stack.realConsoles[consoleUnderTest]!.admin;

  for (const language of LANGUAGES) {
    test(`in ${language.name}, the Virtual machines table fits the page at 1280 and 1440 px, the ARM resource ids shortened`, async ({
      page,
      context,
      consoleUnderTest,
    }) => {
      test.setTimeout(120_000);
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const url = azureConsoleUrl(consoleUnderTest);
      await openInLanguage(page, consoleUnderTest, url, language);
      await page.goto(`${url}/peer-pods/virtual-machines`);
      const t = translations(language);
      const kc = new KubeConfig();
      kc.loadFromFile(stack.kubeconfigPath);
      await expectVmTableFits(page, kc, t, `layout-vms-azure-${language.code}`);

      // The whole resource id is a hover away, and copied by its button.
      const [fullId] = await peerPodInstanceIds(kc);
      const vmName = fullId!.split('/').at(-1)!;
      const id = vmIds(
        page
          .getByRole('grid', { name: t('Peer pod virtual machines') })
          .locator('tbody > tr')
          .filter({ hasText: vmName }),
      );
      // Hovered on the shortened text itself: the copy button beside it has a tooltip of its own.
      await id.locator('.pf-v6-c-truncate').hover();
      await expect(page.getByRole('tooltip')).toHaveText(fullId!);
      await id.getByRole('button', { name: t('Copy the ID of {{name}}').replace('{{name}}', vmName) }).click();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(fullId);
    });
  }
});
