// End-to-end tests in Debian's Chromium against the real stack that e2e/global-setup.ts starts
// (control plane, backend, console shell). One worker: the tests share one cluster and the
// machine has two cores.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from './hack/chromium.ts';
import { e2eRealConsoles, type ConsoleUnderTest } from './e2e/support/console.ts';

// These specs test the stand-in shell itself (its bridge, its SDK runtime), not the plugin: in a
// real console there is no stand-in to test, and the console's own SDK is the reference.
const SHELL_ONLY_SPECS = ['console-shell.spec.ts', 'console-sdk.spec.ts'];
// This spec tests the console's check of the plugin's @console/pluginAPI range against the
// cluster's version: the shell has no cluster version to check against.
const REAL_CONSOLE_ONLY_SPECS = ['support-window.spec.ts'];

export default defineConfig<object, { consoleUnderTest: ConsoleUnderTest }>({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'playwright-report' }],
    // hack/test.ts sets PLAYWRIGHT_JSON_OUTPUT_NAME and counts the results from that file.
    ...(process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['json'] as ['json']] : []),
  ],
  // Every product spec runs in the stand-in shell and in each real OpenShift console that
  // ../shared/real-console/ holds (global-setup.ts starts them; absent, the lane says why).
  projects: [
    { name: 'shell', testIgnore: REAL_CONSOLE_ONLY_SPECS, use: { consoleUnderTest: 'shell' } },
    ...e2eRealConsoles().map((version) => ({
      name: `console-${version}`,
      testIgnore: SHELL_ONLY_SPECS,
      use: { consoleUnderTest: version },
    })),
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
});
