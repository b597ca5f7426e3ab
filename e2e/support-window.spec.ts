// The support window as a cluster admin meets it: the console of this version, told it runs on
// the lowest OpenShift version the plugin supports, loads the plugin; told it runs on the version
// just below, it refuses the plugin with its own message and the plugin's page is not there.
// Runs in the real consoles only (playwright.config.ts): each starts bridges of its own with
// another --release-version beside the stack's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBridge } from '../hack/local-stack/real-console.ts';
import { artifactsDir, repoRoot } from './paths.ts';
import { BRIDGE_TARGET_ENV, expect, test } from './support/console.ts';

const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  consolePlugin: { name: string; dependencies: Record<string, string> };
};
const PLUGIN = packageJson.consolePlugin.name;
const RANGE = packageJson.consolePlugin.dependencies['@console/pluginAPI']!;
/** ">=4.20.0-0" → 20: the lowest supported minor release of OpenShift 4. */
const LOWEST_MINOR = Number(/^>=4\.(\d+)\.0-0$/.exec(RANGE)?.[1]);

const target = () =>
  JSON.parse(process.env[BRIDGE_TARGET_ENV] ?? '{}') as { apiServer: string; backendUrl: string; adminToken: string };

for (const [releaseVersion, loads] of [
  [`4.${LOWEST_MINOR}.0`, true],
  [`4.${LOWEST_MINOR - 1}.99`, false],
] as const) {
  test(`a cluster at OpenShift ${releaseVersion} ${loads ? 'loads the plugin' : 'refuses the plugin with the console’s message'}`, async ({
    page,
    consoleUnderTest,
  }) => {
    test.setTimeout(120_000);
    expect(LOWEST_MINOR, `package.json @console/pluginAPI is not ">=4.N.0-0": ${RANGE}`).toBeGreaterThan(0);
    const { apiServer, backendUrl, adminToken } = target();
    const bridge = await startBridge({
      version: consoleUnderTest as Exclude<typeof consoleUnderTest, 'shell'>,
      apiServer,
      backendUrl,
      token: adminToken,
      pluginName: PLUGIN,
      releaseVersion,
      // Its own loopback address: cookies are per host (real-console.ts).
      host: '127.0.0.99',
      logFile: join(artifactsDir, 'logs', `bridge-${consoleUnderTest}-release-${releaseVersion}.log`),
    });
    try {
      const messages: string[] = [];
      page.on('console', (message) => messages.push(message.text()));
      await page.goto(`${bridge.url}/peer-pods`);
      if (loads) {
        await expect(page.getByRole('heading', { level: 1, name: 'Peer pods' })).toBeVisible();
        return;
      }
      await expect(page.getByRole('heading', { name: /404/ })).toBeVisible();
      await expect(page.getByRole('heading', { level: 1, name: 'Peer pods' })).toHaveCount(0);
      // The console's own words, which differ between versions; both name the range and the version.
      const refusal = () => messages.find((text) => text.includes('@console/pluginAPI') && text.includes(RANGE));
      await expect.poll(() => refusal() ?? '').toContain(releaseVersion);
      test.info().annotations.push({ type: 'console message', description: refusal()! });
    } finally {
      await bridge.stop();
    }
  });
}
