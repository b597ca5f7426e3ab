// What the room specs share: the Capacity tab's "Room in the cloud account" card (its terms and the
// lines under them), GET /api/v1/capacity/room through the console's plugin proxy as the signed-in
// user, and the cloud-api-adaptor's own per-node limit (PEERPODS_LIMIT_PER_NODE in the
// PeerPodConfig's ConfigMap), read and changed as the admin, never through the product.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { CapacityRoom } from '@peer-pods-console/contract';
import { ADAPTOR_LIMIT_KEY } from '@peer-pods-console/contract/sizing';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { OPERATOR_NAMESPACE } from '../../hack/controlplane/fixtures.ts';
import { readPeerPodConfig, setPeerPodConfigLimit } from '../cluster.ts';
import { configGovernedNodes, expectNodesAdvertise, nodeLimit, readClusterState, wholeLimit } from './capacity.ts';
import { PLUGIN } from './pages.ts';

// ---- the card ------------------------------------------------------------------------------

export const roomCard = (page: Page): Locator => page.getByRole('region', { name: 'Room in the cloud account' });

/** The card's verdict, once the room is read. */
export const roomVerdictText = (page: Page): Locator =>
  roomCard(page).getByText(/^At most [\d,]+ more peer pod VMs can start$/);

/** The lines of the card's <dd> under this term: the value first, then where it comes from. */
export async function factLines(page: Page, term: string): Promise<string[]> {
  const text = await roomCard(page)
    .locator('dt', { hasText: new RegExp(`^${term}$`) })
    .locator('xpath=following-sibling::dd[1]')
    .innerText({ timeout: 5_000 });
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** A whole number as the card writes it in English (1,000). */
export const parseCount = (text: string): number => Number(text.replace(/,/g, ''));

/** A whole number as the card writes it in English. */
export const englishCount = (value: number): string => value.toLocaleString('en-US');

// ---- the promise, from the API server ------------------------------------------------------------

/**
 * The VMs the limits promise, summed from the nodes: each one's override, else its PeerPodConfig's
 * limit — or `configLimit` for the nodes that take it from a PeerPodConfig (a limit not yet saved).
 */
export async function promisedFromCluster(kc: KubeConfig, configLimit?: number): Promise<number> {
  const state = await readClusterState(kc);
  return state.nodes.reduce((sum, node) => {
    const limit = nodeLimit(state, node);
    if (limit.source === 'none') return sum;
    if (limit.source === 'config' && configLimit !== undefined) return sum + configLimit;
    return sum + (limit.desired ?? 0);
  }, 0);
}

// ---- the room API ----------------------------------------------------------------------------

/**
 * GET /api/v1/capacity/room through the console's plugin proxy, as the signed-in user; `consoleUrl`
 * for a console other than the test's baseURL (a spec's own stack).
 */
export async function fetchCapacityRoom(page: Page, consoleUrl?: string): Promise<CapacityRoom> {
  const path = `/api/proxy/plugin/${PLUGIN}/backend/api/v1/capacity/room`;
  const response = await page.request.get(consoleUrl ? new URL(path, consoleUrl).href : path);
  expect(response.status(), `GET /capacity/room: ${await response.text()}`).toBe(200);
  return (await response.json()) as CapacityRoom;
}

/** The figures of a room that a reader of the numbers wants, and nothing else. */
export function roomFigures(room: CapacityRoom) {
  return {
    provider: room.provider,
    region: room.region,
    defaultSize: room.defaultSize,
    promisedVms: room.promisedVms,
    usedVms: room.usedVms,
    vcpusPerVm: room.vcpusPerVm,
    promisedVcpus: room.promisedVcpus,
    stillPromisedVms: room.stillPromisedVms,
    quotas: room.quotas.map(({ code, name, state, limit, used, free }) => ({ code, name, state, limit, used, free })),
    freeVcpus: room.freeVcpus,
    moreVms: room.moreVms,
    exceeds: room.exceeds,
    adaptorLimit: room.adaptorLimit?.text ?? null,
  };
}

/** Prints the room's figures and attaches them to the test's report, under `label`. */
export async function reportRoomFigures(label: string, room: CapacityRoom): Promise<void> {
  const figures = roomFigures(room);
  console.log(`[room] ${label} (${test.info().project.name}): ${JSON.stringify(figures)}`);
  await test.info().attach(`room figures: ${label}`, {
    body: JSON.stringify(figures, null, 2),
    contentType: 'application/json',
  });
}

// ---- the adaptor's own limit in the API server ------------------------------------------------

/** The ConfigMap the PeerPodConfig names (the adaptor reads PEERPODS_LIMIT_PER_NODE there). */
export async function peerPodsConfigMapName(kc: KubeConfig): Promise<string> {
  const ppc = (await readPeerPodConfig(kc)) as { spec: { configMapName?: string } };
  return ppc.spec.configMapName || 'peer-pods-cm';
}

/** PEERPODS_LIMIT_PER_NODE as the ConfigMap holds it; undefined when the key is not set. */
export async function readAdaptorLimit(kc: KubeConfig): Promise<string | undefined> {
  const name = await peerPodsConfigMapName(kc);
  const configMap = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace: OPERATOR_NAMESPACE, name });
  return configMap.data?.[ADAPTOR_LIMIT_KEY];
}

/**
 * Sets PEERPODS_LIMIT_PER_NODE (undefined removes it) with a merge patch of the ConfigMap's data,
 * as `oc patch configmap --type merge` sends it: the other keys stay.
 */
export async function setAdaptorLimit(kc: KubeConfig, value: string | undefined): Promise<void> {
  await patchConfigMapData(kc, { [ADAPTOR_LIMIT_KEY]: value ?? null });
}

/** A merge patch of the ConfigMap's data (null removes a key). */
export async function patchConfigMapData(kc: KubeConfig, data: Record<string, string | null>): Promise<void> {
  const name = await peerPodsConfigMapName(kc);
  await kc
    .makeApiClient(CoreV1Api)
    .patchNamespacedConfigMap(
      { namespace: OPERATOR_NAMESPACE, name, body: { data } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
}

/** The limit and the key as a test found them, and the nodes that take the limit from the PeerPodConfig. */
export interface FoundLimits {
  limit: string;
  limitValue: number;
  /** PEERPODS_LIMIT_PER_NODE as written; undefined: not set. */
  key: string | undefined;
  configMap: string;
  governed: string[];
}

export async function readFoundLimits(kc: KubeConfig): Promise<FoundLimits> {
  const limit = (await readPeerPodConfig(kc)).spec.limit;
  const limitValue = wholeLimit(limit);
  expect(limitValue, `PeerPodConfig spec.limit is "${limit}", not a whole number`).toBeDefined();
  const governed = await configGovernedNodes(kc);
  expect(governed.length, 'no node takes its limit from the PeerPodConfig').toBeGreaterThan(0);
  return {
    limit: limit!,
    limitValue: limitValue!,
    key: await readAdaptorLimit(kc),
    configMap: await peerPodsConfigMapName(kc),
    governed,
  };
}

/** Puts the limit and the key back, and waits for the nodes to advertise the limit again. */
export async function restoreLimits(kc: KubeConfig, found: FoundLimits): Promise<void> {
  if ((await readPeerPodConfig(kc)).spec.limit !== found.limit) await setPeerPodConfigLimit(kc, found.limit);
  if ((await readAdaptorLimit(kc)) !== found.key) await setAdaptorLimit(kc, found.key);
  await expectNodesAdvertise(kc, found.governed, found.limitValue);
}
