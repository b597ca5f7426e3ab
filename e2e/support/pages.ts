// What the setup and page specs share: the backend's setup report as the shell proxies it, the
// Setup tab's rows, the namespace policy and test namespaces in the API server (read and changed
// as the admin, never through the product), the plugin's Simplified Chinese strings and axe scans.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import {
  AdmissionregistrationV1Api,
  ApiException,
  CoreV1Api,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { expect, type Locator, type Page } from '@playwright/test';
import { NAMESPACE_POLICY_BINDING_NAME, NAMESPACE_POLICY_NAME } from '@peer-pods-console/contract/namespace-policy';
import type { SetupAction, SetupCheckId } from '@peer-pods-console/contract/setup-checks';
import { RUNTIME_CLASS } from '../../hack/controlplane/fixtures.ts';
import { pluginDistDir } from '../paths.ts';

const manifest = JSON.parse(readFileSync(join(pluginDistDir, 'plugin-manifest.json'), 'utf8')) as { name: string };
export const PLUGIN = manifest.name;

// ---- the setup report ------------------------------------------------------------------------

export type SetupStatus = 'pass' | 'warning' | 'fail';
export interface SetupReport {
  generatedAt: string;
  targetRuntimeClass: string;
  checks: {
    id: SetupCheckId;
    status: SetupStatus;
    found: { key: string; message: string };
    fix: { kind: 'action'; action: SetupAction } | { kind: 'command'; command: string } | null;
  }[];
  peerPodNamespaces: { namespace: string; pods: number }[];
}

/** GET /api/v1/setup through the shell's proxy, as the signed-in user (the page's cookies). */
export async function fetchSetupReport(page: Page): Promise<SetupReport> {
  const response = await page.request.get(`/api/proxy/plugin/${PLUGIN}/backend/api/v1/setup`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as SetupReport;
}

/** The Check column of the Setup tab (console-plugin/src/views/peer-pods/setup/useSetupText.ts). */
export const SETUP_CHECK_TITLES = {
  platform: 'Cluster platform',
  'worker-nodes': 'Nodes for peer pods',
  'peer-pod-config': 'PeerPodConfig and VM limit',
  'cloud-secret': 'Cloud credentials Secret',
  'cloud-config-map': 'Peer pods ConfigMap',
  'runtime-class': 'RuntimeClass',
  webhook: 'Mutating webhook',
  ports: 'Ports 15150 and VXLAN',
  'advertised-capacity': 'Advertised VM capacity',
  'adaptor-limit': "Adaptor's own VM limit",
  'cloud-quota': 'Room in the vCPU quota',
  'capacity-writers': 'Other writers of the VM capacity',
  'unaccounted-pods': 'Unaccounted peer pods',
  'namespace-policy': 'Namespace policy',
} satisfies Record<SetupCheckId, string>;

/** The fix buttons (useSetupText.ts). */
export const SETUP_ACTION_LABELS = {
  'open-port-wizard': 'Open the port wizard',
  'edit-limit': 'Edit the limit',
  'open-capacity': 'Show capacity',
  'install-policy': 'Go to the namespace policy',
} satisfies Record<SetupAction, string>;

/** The word the Status column shows (SetupStatusIcon.tsx). */
export const STATUS_WORDS: Record<SetupStatus, string> = { pass: 'Passed', warning: 'Warning', fail: 'Failed' };

export const setupChecksTable = (page: Page): Locator => page.getByLabel('Setup checks', { exact: true });

/** The Setup tab's row of a check, found by its Check cell. */
export const setupRow = (page: Page, id: SetupCheckId): Locator =>
  setupChecksTable(page)
    .locator('tbody tr')
    .filter({ has: page.locator('td[data-label="Check"]').getByText(SETUP_CHECK_TITLES[id], { exact: true }) });

export const setupRowCell = (row: Locator, column: 'Status' | 'Check' | 'What was found' | 'Fix'): Locator =>
  row.locator(`td[data-label="${column}"]`);

// ---- the namespace policy and test namespaces in the API server ------------------------------

export async function policyObjectsPresent(kc: KubeConfig): Promise<{ policy: boolean; binding: boolean }> {
  const admission = kc.makeApiClient(AdmissionregistrationV1Api);
  const exists = (read: () => Promise<unknown>) =>
    read().then(
      () => true,
      (err: unknown) => {
        if (err instanceof ApiException && err.code === 404) return false;
        throw err;
      },
    );
  const [policy, binding] = await Promise.all([
    exists(() => admission.readValidatingAdmissionPolicy({ name: NAMESPACE_POLICY_NAME })),
    exists(() => admission.readValidatingAdmissionPolicyBinding({ name: NAMESPACE_POLICY_BINDING_NAME })),
  ]);
  return { policy, binding };
}

const ignoreNotFound = (err: unknown) => {
  if (!(err instanceof ApiException && err.code === 404)) throw err;
};

/** Deletes the policy and its binding if they exist, so other tests can create peer pods anywhere. */
export async function removePolicyObjects(kc: KubeConfig): Promise<void> {
  const admission = kc.makeApiClient(AdmissionregistrationV1Api);
  await admission.deleteValidatingAdmissionPolicyBinding({ name: NAMESPACE_POLICY_BINDING_NAME }).catch(ignoreNotFound);
  await admission.deleteValidatingAdmissionPolicy({ name: NAMESPACE_POLICY_NAME }).catch(ignoreNotFound);
}

export async function createNamespace(kc: KubeConfig, name: string): Promise<void> {
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name, labels: { app: 'e2e-setup' } } } });
}

export async function namespaceLabels(kc: KubeConfig, name: string): Promise<Record<string, string>> {
  return (await kc.makeApiClient(CoreV1Api).readNamespace({ name })).metadata?.labels ?? {};
}

/**
 * Removes a test namespace and its pods. No kubelet confirms a bound pod's end and no namespace
 * controller empties namespaces on this control plane: the pods go with grace period 0 (as
 * `kubectl delete --force`) and the namespace is finalized by hand once they are gone.
 */
export async function deleteNamespace(kc: KubeConfig, name: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace: name }).catch(() => undefined);
  for (const pod of pods?.items ?? []) {
    await core
      .deleteNamespacedPod({ namespace: name, name: pod.metadata!.name!, gracePeriodSeconds: 0 })
      .catch(ignoreNotFound);
  }
  await core.deleteNamespace({ name }).catch(ignoreNotFound);
  const terminating = await core.readNamespace({ name }).catch(() => undefined);
  if (terminating && (terminating.spec?.finalizers ?? []).length > 0) {
    await core.replaceNamespaceFinalize({
      name,
      body: { ...terminating, spec: { ...terminating.spec, finalizers: [] } },
    });
  }
}

/** A pod as a user writes it; with `peer`, runtimeClassName kata-remote (the webhook adds the VM request). */
export function podManifest(name: string, peer: boolean): V1Pod {
  return {
    metadata: { name, labels: { app: 'e2e-setup' } },
    spec: {
      ...(peer ? { runtimeClassName: RUNTIME_CLASS } : {}),
      containers: [
        {
          name: 'app',
          image: 'registry.access.redhat.com/ubi9/ubi-minimal',
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
        },
      ],
    },
  };
}

export type CreateAnswer = { admitted: true; pod: V1Pod } | { admitted: false; code: number; message: string };

/** Creates a pod as the admin and says whether the API server admitted it, and why not. */
export async function createPod(kc: KubeConfig, namespace: string, pod: V1Pod): Promise<CreateAnswer> {
  try {
    return { admitted: true, pod: await kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace, body: pod }) };
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const body = (typeof err.body === 'string' ? JSON.parse(err.body) : err.body) as { message?: string };
    return { admitted: false, code: err.code, message: body?.message ?? String(err.body) };
  }
}

export async function deletePod(kc: KubeConfig, namespace: string, name: string): Promise<void> {
  await kc
    .makeApiClient(CoreV1Api)
    .deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 })
    .catch(ignoreNotFound);
}

// ---- languages, accessibility, screenshots ---------------------------------------------------

/**
 * The plugin's Simplified Chinese, as the console loads it for zh-cn (i18next `load:
 * 'languageOnly'` asks for lng=zh). Missing or empty translations fail the lookup loudly.
 */
export function chinese(): (english: string) => string {
  const file = join(pluginDistDir, 'locales', 'zh', `plugin__${PLUGIN}.json`);
  const zh = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return (english) => {
    const text = zh[english];
    if (!text) throw new Error(`${file} has no translation of "${english}"`);
    return text;
  };
}

/**
 * Serious and critical axe violations of the page as it is now, one line each (empty when none).
 * The real console's resource badges (`co-m-resource-icon`, e.g. "PPC" before a custom resource's
 * link) are the console's own, white on its blue as on every custom resource in the console: axe
 * scans around them.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).exclude('.co-m-resource-icon').analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A name no other test (or earlier run on a reused cluster) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296)
    .toString(36)
    .padStart(2, '0')}`;
}
