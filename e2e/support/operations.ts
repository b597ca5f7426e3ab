// What the operations spec and the page spec share about step 14's sections of the Capacity tab
// and the Node tab: the stuck peer pods list, the VM console output dialog and the History, found
// by their accessible names (console-plugin/src/views/peer-pods/stuck|history); the demo's stuck
// and pinned pods as the API server holds them; and the backend's answers through the console's
// plugin proxy, as the signed-in user.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { History, StuckPeerPods, VmConsoleOutput } from '@peer-pods-console/contract';
import { expect, type Locator, type Page } from '@playwright/test';
import { DEMO_NAMESPACE, SMALL_NODE_PODS, STUCK_POD } from '../../hack/local-stack/demo.ts';
import { PLUGIN } from './pages.ts';

export { DEMO_NAMESPACE, SMALL_NODE_PODS, STUCK_POD };

/** The English labels of the stuck list (useStuckText.ts, StuckFixActions.tsx, StuckPeerPodsList.tsx). */
export const STUCK_TEXT = {
  sandboxStage: 'Sandbox not starting',
  pendingStage: 'Pending',
  networkReason: 'VM not reachable',
  capacityReason: 'No free VM',
  pinned: 'Pinned to this node',
  openPorts: 'Open the ports with the Network setup wizard',
  raiseOverride: (node: string) => `Raise the override on ${node}`,
  viewConsoleOutput: (pod: string) => `View the console output of the VM of ${pod}`,
} as const;

/** The stuck list's heading (h2 on the Capacity tab and the Node tab). */
export const stuckHeading = (page: Page): Locator =>
  page.getByRole('heading', { level: 2, name: 'Stuck peer pods', exact: true });

/** PatternFly tables have role "grid"; the aria-label names the table either way. */
export const stuckTable = (page: Page): Locator => page.getByLabel('Stuck peer pods', { exact: true });

/** A table's row of one pod, found by the pod's link. */
export const podRow = (table: Locator, pod: string): Locator =>
  table.locator('tbody > tr').filter({ has: table.page().getByRole('link', { name: pod, exact: true }) });

/** A cell of a row, by its column (the Td's data-label). */
export const cell = (row: Locator, column: string): Locator => row.locator(`td[data-label="${column}"]`);

/** The pod names of a table's rows, sorted (the link text of each row's Pod cell). */
export async function podNamesOf(table: Locator): Promise<string[]> {
  const names = await table.locator('tbody > tr td[data-label="Pod"] a').allInnerTexts();
  return names.map((name) => name.trim()).sort();
}

/** The dialog "Console output of VM <id>". */
export const consoleOutputDialog = (page: Page): Locator =>
  page.getByRole('dialog', { name: /^Console output of VM / });

export const historyHeading = (page: Page): Locator =>
  page.getByRole('heading', { level: 2, name: 'History', exact: true });

export const historyTable = (page: Page): Locator => page.getByLabel('Change history', { exact: true });

/** The History's rows of one change: who made it, what it changed, old → new. */
export const historyRows = (page: Page, change: { who: string; what: string; old: string; new: string }): Locator =>
  historyTable(page)
    .locator('tbody > tr')
    .filter({ has: page.locator('td[data-label="Who"]').getByText(change.who, { exact: true }) })
    .filter({ has: page.locator('td[data-label="What"]').getByText(change.what, { exact: true }) })
    .filter({
      has: page.locator('td[data-label="Change"]').getByText(`${change.old} → ${change.new}`, { exact: true }),
    });

/** The node table's Status labels of one node. */
export const nodeStatusCell = (page: Page, node: string): Locator =>
  cell(
    page
      .getByLabel('Peer pod VM capacity per node')
      .locator('tbody > tr')
      .filter({ has: page.getByRole('link', { name: node, exact: true }) }),
    'Status',
  );

// ---- the demo's pods as the API server holds them ---------------------------------------------

export interface DemoOperations {
  /** The node the stuck pod is bound to. */
  stuckNode: string;
  /** The small node the pinned pods ask for. */
  smallNode: string;
  /** The pinned pods still pending (the scheduler found no free VM on the small node). */
  pinnedPending: string[];
}

/** Where the demo's stuck pod runs and which of its pinned pods wait, read from the API server. */
export async function readDemoOperations(kc: KubeConfig): Promise<DemoOperations> {
  const core = kc.makeApiClient(CoreV1Api);
  const stuck = await core.readNamespacedPod({ namespace: DEMO_NAMESPACE, name: STUCK_POD });
  const stuckNode = stuck.spec?.nodeName;
  expect(stuckNode, `${DEMO_NAMESPACE}/${STUCK_POD} is not bound to a node`).toBeTruthy();
  const pinned = await Promise.all(
    SMALL_NODE_PODS.map((name) => core.readNamespacedPod({ namespace: DEMO_NAMESPACE, name })),
  );
  const smallNode = pinned[0]?.spec?.nodeSelector?.['kubernetes.io/hostname'];
  expect(smallNode, `${SMALL_NODE_PODS[0]} names no node in its nodeSelector`).toBeTruthy();
  const pinnedPending = pinned
    .filter((pod) => !pod.spec?.nodeName)
    .map((pod) => pod.metadata!.name!)
    .sort();
  expect(pinnedPending.length, `no pod pinned to ${smallNode} is pending`).toBeGreaterThan(0);
  return { stuckNode: stuckNode!, smallNode: smallNode!, pinnedPending };
}

// ---- the backend through the console's plugin proxy --------------------------------------------

const backendPath = (path: string) => `/api/proxy/plugin/${PLUGIN}/backend/api/v1${path}`;

async function backendGet<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(backendPath(path));
  expect(response.status(), `GET ${path}: ${await response.text()}`).toBe(200);
  return (await response.json()) as T;
}

/** GET /api/v1/stuck (of one node with `node`), as the signed-in user. */
export const fetchStuck = (page: Page, node?: string): Promise<StuckPeerPods> =>
  backendGet(page, node ? `/stuck?node=${encodeURIComponent(node)}` : '/stuck');

/** GET /api/v1/vms/:id/console-output, as the signed-in user. */
export const fetchConsoleOutput = (page: Page, vmId: string): Promise<VmConsoleOutput> =>
  backendGet(page, `/vms/${encodeURIComponent(vmId)}/console-output`);

/** GET /api/v1/history, as the signed-in user. */
export const fetchHistory = (page: Page): Promise<History> => backendGet(page, '/history');
