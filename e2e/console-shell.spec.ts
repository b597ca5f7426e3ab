// The console shell behaves like the console's bridge where a plugin depends on it: the plugin's
// backend is reached through the plugin proxy, unsafe requests need the CSRF token, and the
// browser never holds a bearer token.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { pluginDistDir } from './paths.ts';

const PLUGIN = (JSON.parse(readFileSync(join(pluginDistDir, 'plugin-manifest.json'), 'utf8')) as { name: string }).name;
const SSAR_URL = '/api/kubernetes/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const ssar = {
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  spec: { resourceAttributes: { verb: 'list', resource: 'nodes' } },
};

test.use({ baseURL: process.env.CONSOLE_SHELL_URL });

test('the plugin proxy path reaches the plugin backend', async ({ page }) => {
  await page.goto('/dashboards');
  const response = await page.request.get(`/api/proxy/plugin/${PLUGIN}/backend/healthz`);
  expect(response.status()).toBe(200);
  expect(await response.text()).toBe('ok');
});

test('an unsafe API request without the CSRF token is refused, and accepted with it', async ({ page, context }) => {
  await page.goto('/dashboards');
  const refused = await page.request.post(SSAR_URL, { data: ssar });
  expect(refused.status()).toBe(403);

  const csrf = (await context.cookies()).find((c) => c.name === 'csrf-token')?.value;
  expect(csrf).toBeTruthy();
  const accepted = await page.request.post(SSAR_URL, { data: ssar, headers: { 'X-CSRFToken': csrf! } });
  expect(accepted.status()).toBe(201);
  expect(((await accepted.json()) as { status: { allowed: boolean } }).status.allowed).toBe(true);
});

test('the browser holds no bearer token, only the name of the signed-in user', async ({ page, context }) => {
  // The control plane writes its token file next to the admin kubeconfig.
  const tokens = readFileSync(join(dirname(process.env.E2E_KUBECONFIG!), 'tokens.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(',')[0]!);
  expect(tokens).toHaveLength(2);

  await page.goto('/peer-pods');
  await Promise.all([page.waitForEvent('load'), page.getByLabel('User').selectOption('developer')]);
  await expect(page.locator('[data-test="username"]')).toHaveText('test-developer');

  const cookies = await context.cookies();
  expect(cookies.map((c) => c.name).sort()).toEqual(['console-shell-user', 'csrf-token']);
  const storage = await page.evaluate(() => JSON.stringify({ ...globalThis.localStorage }));
  const html = await page.content();
  for (const token of tokens) {
    expect(cookies.some((c) => c.value.includes(token))).toBe(false);
    expect(storage.includes(token)).toBe(false);
    expect(html.includes(token)).toBe(false);
  }
});

test("a plugin's ResourceLink to its PeerPodConfig opens that object", async ({ page }) => {
  await page.goto('/peer-pods/capacity');
  await page.getByLabel('PeerPodConfig summary').getByRole('link', { name: 'peerpodconfig-openshift' }).click();

  await expect(page).toHaveURL(
    /\/k8s\/ns\/openshift-sandboxed-containers-operator\/confidentialcontainers\.org~v1alpha1~PeerPodConfig\/peerpodconfig-openshift$/,
  );
  await expect(page.getByRole('heading', { level: 1, name: /peerpodconfig-openshift/ })).toBeVisible();
  await expect(page.getByText('"limit": "10"')).toBeVisible();
});
