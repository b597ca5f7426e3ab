// Which console a spec runs in, and how a person switches user, language and theme there.
//
// Playwright runs the product specs once per console (playwright.config.ts): the stand-in shell
// (console-shell/), and each real OpenShift console in ../shared/real-console/ when it is here.
// Specs import `test` from this file; `baseURL` is the admin's address in the console under test.
// The shell switches user and language in its masthead; a real console signs every browser in as
// the token its bridge was started with (one bridge per user, on its own 127.0.0.x) and keeps
// language, theme and perspective in the user settings it stores in localStorage.
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { availableRealConsoles, type RealConsoleVersion } from '../../hack/local-stack/real-console.ts';

export type ConsoleUnderTest = 'shell' | RealConsoleVersion;
export type ConsoleUser = 'admin' | 'developer';
type ConsoleUrls = Record<ConsoleUser, string>;

/**
 * The real consoles the e2e run starts: those ../shared/real-console/ holds, narrowed by
 * E2E_REAL_CONSOLES (a comma list such as "4.22", or "none") to run one lane alone.
 */
export function e2eRealConsoles(): RealConsoleVersion[] {
  const wanted = process.env.E2E_REAL_CONSOLES?.split(',').map((v) => v.trim());
  return availableRealConsoles().filter((version) => !wanted || wanted.includes(version));
}

/** Set by global-setup.ts: the stack's API server, backend and admin token, for extra bridges. */
export const BRIDGE_TARGET_ENV = 'E2E_BRIDGE_TARGET';

/** Set by global-setup.ts: every console's address per user. */
export const CONSOLES_ENV = 'E2E_CONSOLES';

export function consoleUrls(which: ConsoleUnderTest): ConsoleUrls {
  const all = JSON.parse(process.env[CONSOLES_ENV] ?? '{}') as Partial<Record<ConsoleUnderTest, ConsoleUrls>>;
  const urls = all[which];
  if (!urls) throw new Error(`${CONSOLES_ENV} has no console "${which}": did global-setup.ts start it?`);
  return urls;
}

/** The real console's user settings key with `--user-settings-location=localstorage`. */
const USER_SETTINGS_KEY = 'console-user-settings';

/** Before the console's scripts run: merge settings into what the console stores. */
async function storeUserSettings(page: Page, settings: Record<string, unknown>): Promise<void> {
  await page.addInitScript(
    ({ key, values }) => {
      const stored = JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, unknown>;
      localStorage.setItem(key, JSON.stringify({ ...stored, ...values }));
    },
    { key: USER_SETTINGS_KEY, values: settings },
  );
}

// Worker-scoped: beforeAll hooks (a spec's own stack) need it too.
export const test = base.extend<object, { consoleUnderTest: ConsoleUnderTest }>({
  consoleUnderTest: ['shell', { option: true, scope: 'worker' }],
  baseURL: async ({ consoleUnderTest }, use) => use(consoleUrls(consoleUnderTest).admin),
  page: async ({ page, consoleUnderTest }, use) => {
    if (consoleUnderTest !== 'shell') {
      // A new admin's first visit opens the welcome tour over every page; the Administrator
      // perspective is the one the plugin's page lives in.
      await storeUserSettings(page, {
        'console.lastPerspective': 'admin',
        'console.preferredPerspective': 'admin',
        'console.guidedTour': { admin: { completed: true }, dev: { completed: true } },
      });
    }
    await use(page);
  },
});

export { expect };

/** Signs the browser in as `user` and reloads the page it is on. */
export async function signInAs(page: Page, which: ConsoleUnderTest, user: ConsoleUser): Promise<void> {
  if (which === 'shell') {
    await Promise.all([page.waitForEvent('load'), page.getByLabel('User').selectOption(user)]);
    await expect(page.locator('[data-test="username"]')).toHaveText(`test-${user}`);
    return;
  }
  const here = new URL(page.url());
  await page.goto(new URL(`${here.pathname}${here.search}`, consoleUrls(which)[user]).href);
}

/** Picks the console's language the way a user does there, and waits for the page in it. */
export async function chooseLanguage(page: Page, which: ConsoleUnderTest, language: string): Promise<void> {
  if (which === 'shell') {
    await page.getByLabel('Language').selectOption(language);
    await expect(page.locator('html')).toHaveAttribute('lang', new RegExp(`^${language.split('-')[0]}`, 'i'));
    return;
  }
  await storeUserSettings(page, { 'console.preferredLanguage': language });
  await page.reload();
  // The console leaves <html lang> as it is; it remembers the language it switched to here.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('bridge/last-language'))).toBe(language);
}

/** The theme from the first paint on, as stored by the console's theme switch. */
export async function applyTheme(page: Page, which: ConsoleUnderTest, theme: 'light' | 'dark'): Promise<void> {
  if (which === 'shell') {
    await page.addInitScript((stored) => localStorage.setItem('console-shell/theme', stored), theme);
  } else {
    await storeUserSettings(page, { 'console.theme': theme });
  }
}

/** Switches to the dark theme with the console's own control, as a user does. */
export async function switchToDarkTheme(page: Page, which: ConsoleUnderTest): Promise<void> {
  if (which === 'shell') {
    await page.getByText('Dark theme').click();
    return;
  }
  // User Preferences → General in 4.20, → Appearance in 4.22.
  await page.goto(which === '4.20' ? '/user-preferences/general' : '/user-preferences/appearance');
  await page.locator('[data-test="console.theme field"] button').click();
  await page.getByRole('option', { name: 'Dark' }).click();
}

/**
 * The Compute section of the admin navigation, where the console lists "Peer pods", opened. The
 * real console marks it data-quickstart-id="qs-nav-compute" (in every language) and keeps it
 * collapsed until a user opens it or one of its pages is shown.
 */
export async function computeNavSection(page: Page, which: ConsoleUnderTest): Promise<Locator> {
  const section = computeNavSectionLocator(page, which);
  if (which === 'shell') return section;
  const toggle = section.locator('button[aria-expanded]').first();
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  return section;
}

/** The Compute section of the admin navigation, as it is (collapsed or not, present or not). */
export function computeNavSectionLocator(page: Page, which: ConsoleUnderTest): Locator {
  if (which === 'shell') {
    return page.getByRole('navigation', { name: 'Main navigation' }).getByRole('region', { name: 'Compute' });
  }
  return page.locator('li:has(> [data-quickstart-id="qs-nav-compute"]), li[data-quickstart-id="qs-nav-compute"]');
}
