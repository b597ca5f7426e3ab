// The shell's console SDK runtime, called in the page through the share scope exactly as a
// plugin gets it, checked against what the API server then holds.
import { CoreV1Api } from '@kubernetes/client-node';
import { expect, test, type Page } from '@playwright/test';
import { adminKubeConfig } from './cluster.ts';

test.use({ baseURL: process.env.CONSOLE_SHELL_URL });

const NAMESPACE = 'default';

/** Runs `body` in the page with the SDK module a plugin would receive; returns its JSON result. */
async function withSdk<T>(page: Page, body: string, arg: unknown = null): Promise<T> {
  return page.evaluate(
    async ([source, argument]) => {
      type Scope = Record<string, Record<string, { get(): Promise<() => unknown> }>>;
      const scope = (globalThis as unknown as { webpackSharedScope: Scope }).webpackSharedScope;
      const entry = Object.values(scope['@openshift-console/dynamic-plugin-sdk']!)[0]!;
      const sdk = (await entry.get())();
      const run = new Function('sdk', 'arg', `return (async () => { ${source} })();`) as (
        s: unknown,
        a: unknown,
      ) => Promise<unknown>;
      return JSON.parse(JSON.stringify(await run(sdk, argument))) as unknown;
    },
    [body, arg] as const,
  ) as Promise<T>;
}

const configMapModel = `const model = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true,
  abbr: 'CM', label: 'ConfigMap', labelPlural: 'ConfigMaps' };`;

test('k8sCreate, k8sGet, k8sPatch, k8sUpdate, k8sList and k8sDelete change what the API server holds', async ({
  page,
}) => {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  const name = `sdk-e2e-${Date.now()}`;
  await page.goto('/dashboards');

  await test.step('k8sCreate and k8sGet', async () => {
    const created = await withSdk<{ metadata: { uid: string } }>(
      page,
      `${configMapModel}
       const created = await sdk.k8sCreate({ model, data: { apiVersion: 'v1', kind: 'ConfigMap',
         metadata: { name: arg, namespace: '${NAMESPACE}', labels: { e2e: 'sdk' } }, data: { a: '1' } } });
       const read = await sdk.k8sGet({ model, name: arg, ns: '${NAMESPACE}' });
       return read.metadata.uid === created.metadata.uid ? read : null;`,
      name,
    );
    const stored = await core.readNamespacedConfigMap({ name, namespace: NAMESPACE });
    expect(created.metadata.uid).toBe(stored.metadata!.uid);
    expect(stored.data).toEqual({ a: '1' });
  });

  await test.step('k8sPatch sends a JSON patch', async () => {
    await withSdk(
      page,
      `${configMapModel}
       const resource = await sdk.k8sGet({ model, name: arg, ns: '${NAMESPACE}' });
       return sdk.k8sPatch({ model, resource, data: [{ op: 'add', path: '/data/b', value: '2' }] });`,
      name,
    );
    expect((await core.readNamespacedConfigMap({ name, namespace: NAMESPACE })).data).toEqual({ a: '1', b: '2' });
  });

  await test.step('k8sUpdate replaces the object', async () => {
    await withSdk(
      page,
      `${configMapModel}
       const resource = await sdk.k8sGet({ model, name: arg, ns: '${NAMESPACE}' });
       return sdk.k8sUpdate({ model, data: { ...resource, data: { c: '3' } } });`,
      name,
    );
    expect((await core.readNamespacedConfigMap({ name, namespace: NAMESPACE })).data).toEqual({ c: '3' });
  });

  await test.step('k8sList filters by label selector and types the items', async () => {
    const items = await withSdk<{ kind: string; apiVersion: string; metadata: { name: string } }[]>(
      page,
      `${configMapModel}
       return sdk.k8sList({ model, queryParams: { ns: '${NAMESPACE}', labelSelector: { matchLabels: { e2e: 'sdk' } } } });`,
    );
    expect(items.map((i) => i.metadata.name)).toEqual([name]);
    expect(items[0]).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
  });

  await test.step('k8sDelete removes it', async () => {
    await withSdk(
      page,
      `${configMapModel}
       const resource = await sdk.k8sGet({ model, name: arg, ns: '${NAMESPACE}' });
       return sdk.k8sDelete({ model, resource });`,
      name,
    );
    await expect
      .poll(() =>
        core.readNamespacedConfigMap({ name, namespace: NAMESPACE }).then(
          () => 'present',
          () => 'gone',
        ),
      )
      .toBe('gone');
  });
});

test('consoleFetchJSON rejects with an HttpError carrying the status code and the Status body', async ({ page }) => {
  await page.goto('/dashboards');
  const error = await withSdk<{ isHttpError: boolean; code: number; reason: string; message: string }>(
    page,
    `try {
       await sdk.consoleFetchJSON('/api/kubernetes/api/v1/namespaces/${NAMESPACE}/configmaps/does-not-exist');
       return null;
     } catch (e) {
       return { isHttpError: e instanceof sdk.HttpError, code: e.code, reason: e.json?.reason, message: e.message };
     }`,
  );
  expect(error).toEqual({
    isHttpError: true,
    code: 404,
    reason: 'NotFound',
    message: 'configmaps "does-not-exist" not found',
  });
});

test('checkAccess reviews access as the signed-in user', async ({ page }) => {
  const canListNodes = `return (await sdk.checkAccess({ group: '', resource: 'nodes', verb: 'list' })).status.allowed;`;
  await page.goto('/dashboards');
  expect(await withSdk<boolean>(page, canListNodes)).toBe(true);

  await Promise.all([page.waitForEvent('load'), page.getByLabel('User').selectOption('developer')]);
  await expect(page.locator('[data-test="username"]')).toHaveText('test-developer');
  expect(await withSdk<boolean>(page, canListNodes)).toBe(false);
});

test('useK8sWatchResources feeds the overview its node count', async ({ page }) => {
  const nodes = await adminKubeConfig().makeApiClient(CoreV1Api).listNode();
  await page.goto('/dashboards');
  await expect(
    page.getByLabel('Cluster details').locator('dt', { hasText: 'Nodes' }).locator('xpath=following-sibling::dd[1]'),
  ).toHaveText(String(nodes.items.length));
});

test('an SDK export the shell lacks fails with a clear error and is named in the page', async ({ page }) => {
  await page.goto('/dashboards');
  const message = await withSdk<string>(
    page,
    `try { sdk.useActivePerspective(); return 'no error'; } catch (e) { return e.message; }`,
  );
  expect(message).toContain('The console shell does not implement "useActivePerspective"');
  await expect(page.getByText('The plugin used console SDK APIs the shell does not implement')).toBeVisible();
  await expect(page.getByText('useActivePerspective', { exact: true })).toBeVisible();
});
