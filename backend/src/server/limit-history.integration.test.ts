// "Who changed the limit?" against a real API server: the limit and override writes go through
// the API as the signed-in user (the user's own token; the backend's client here holds the
// admin's client certificate, which must not lend its privileges), each accepted change leaves an
// Event naming the user, a refused one leaves none, and a change made with `oc patch` (a merge
// patch with field manager kubectl-patch, as oc sends it) shows in the History as made outside
// the console, recorded by the leader of the capacity controller.
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { HistoryEntry, LimitChangeResult } from '@peer-pods-console/contract';
import { VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NON_ADMIN_USER, startControlPlane, type ControlPlane } from '../../../hack/controlplane/controlplane.ts';
import {
  createPeerPodConfig,
  createWorkerNodes,
  OPERATOR_NAMESPACE,
  PEERPODCONFIG_NAME,
} from '../../../hack/controlplane/fixtures.ts';
import { createCapacityController, type CapacityController } from '../capacity/controller.ts';
import { KubeClient } from '../kube/client.ts';
import { EventRecorder } from '../kube/events.ts';
import { eventsAbout, waitFor } from '../kube/test/cluster.ts';
import { createLogger } from '../logging.ts';
import { EventHistoryService } from '../services/history-service.ts';
import { LimitService } from '../services/limit-service.ts';
import { createApiRouter, type ApiServices } from './api.ts';
import { AccessReviewer } from './auth.ts';
import { errorHandler, type ErrorBody } from './errors.ts';

const SCOPE = 'history-test';
const NODE = 'history-0';
const logger = pino({ level: 'silent' });
const CONFIG_PATH = `/apis/confidentialcontainers.org/v1alpha1/namespaces/${OPERATOR_NAMESPACE}/peerpodconfigs/${PEERPODCONFIG_NAME}`;

let cp: ControlPlane;
let client: KubeClient;
let recorder: EventRecorder;
let controller: CapacityController;
let base: string;
let closeServer: () => void;

beforeAll(async () => {
  cp = await startControlPlane({ scheduler: false });
  const kc = cp.kubeConfig();
  client = await KubeClient.create(kc);
  await createPeerPodConfig(kc, { limit: '10' });
  await createWorkerNodes(kc, { count: 1, namePrefix: 'history-', labels: { [SCOPE]: 'yes' } });
  // The developer may read PeerPodConfigs and nodes, not change them: the refusal is the write's.
  await grantRead(client, NON_ADMIN_USER);

  controller = await createCapacityController({
    kubeConfig: kc,
    logger,
    nodeLabelSelector: `${SCOPE}=yes`,
    leaderElection: { identity: 'history-replica', namespace: 'default', name: 'capacity-history' },
    resyncPeriodMs: 0,
  });
  await controller.start();
  await waitFor('leadership', () => controller.isLeader());

  recorder = new EventRecorder({ client, logger, component: 'peer-pods-console' });
  const services = {
    peerPodConfigNamespace: OPERATOR_NAMESPACE,
    cloudCredential: async () => ({ namespace: OPERATOR_NAMESPACE, name: 'peer-pods-secret' }),
    limits: new LimitService({ client, recorder, logger }),
    history: new EventHistoryService({
      client,
      peerPodConfigNamespace: OPERATOR_NAMESPACE,
      component: 'peer-pods-console',
    }),
  } as unknown as ApiServices;
  const app = express();
  app.use('/api/v1', createApiRouter({ reviewer: new AccessReviewer({ client }), services }));
  app.use(errorHandler(createLogger('silent')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  closeServer = () => server.close();
});

afterAll(async () => {
  closeServer?.();
  await controller?.stop();
  await recorder?.flush();
  client?.close();
  await cp?.stop();
});

async function grantRead(admin: KubeClient, user: string): Promise<void> {
  await admin.request({
    method: 'POST',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'history-test-reader' },
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] },
        { apiGroups: ['confidentialcontainers.org'], resources: ['peerpodconfigs'], verbs: ['get', 'list'] },
      ],
    },
  });
  await admin.request({
    method: 'POST',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'history-test-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'history-test-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    },
  });
}

const put = (path: string, token: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

async function historyAs(token: string): Promise<HistoryEntry[]> {
  const res = await fetch(`${base}/history`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: HistoryEntry[] }).entries;
}

const configLimit = async () =>
  (await client.request<{ spec: { limit?: string } }>({ method: 'GET', path: CONFIG_PATH })).spec.limit;

describe('changing the limit through the API, as the signed-in user', () => {
  it("writes the limit with the user's token and records an Event naming test-admin, old → new", async () => {
    const res = await put(`/configs/${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME}/limit`, cp.adminToken, { limit: 12 });

    expect(res.status).toBe(200);
    const result = (await res.json()) as LimitChangeResult;
    expect(result).toMatchObject({ target: `${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME}`, old: '10', new: '12' });
    expect(result.event?.namespace).toBe(OPERATOR_NAMESPACE);
    expect(await configLimit()).toBe('12');

    const events = await waitFor('the limit change Event', async () => {
      const found = await eventsAbout(client, {
        kind: 'PeerPodConfig',
        name: PEERPODCONFIG_NAME,
        namespace: OPERATOR_NAMESPACE,
      });
      const changes = found.filter((e) => e.reason === 'PeerPodLimitChanged');
      return changes.length > 0 && changes;
    });
    expect(events.map((e) => e.message)).toEqual([
      `test-admin changed the VM limit of PeerPodConfig ${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME}: 10 → 12`,
    ]);

    const owners = await client.request<{
      metadata: { managedFields: { manager: string; fieldsV1?: { 'f:spec'?: object } }[] };
    }>({ method: 'GET', path: CONFIG_PATH });
    const limitOwner = owners.metadata.managedFields.find(
      (f) => f.fieldsV1?.['f:spec'] && 'f:limit' in f.fieldsV1['f:spec'],
    );
    expect(limitOwner?.manager).toBe('peer-pods-console');
  });

  it('shows the change in the History, via the console', async () => {
    const entry = await waitFor('the History entry', async () =>
      (await historyAs(cp.adminToken)).find((e) => e.kind === 'limit' && e.via === 'console'),
    );
    expect(entry).toMatchObject({
      actor: 'test-admin',
      target: `${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME}`,
      old: '10',
      new: '12',
    });
  });

  it("refuses the non-admin's attempt in the API server's words, and records no Event", async () => {
    const res = await put(`/configs/${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME}/limit`, cp.userToken, { limit: 13 });

    expect(res.status).toBe(403);
    const text = await res.text();
    const body = JSON.parse(text) as ErrorBody;
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toContain(`User "${NON_ADMIN_USER}" cannot patch resource "peerpodconfigs"`);
    expect(text).not.toContain(cp.userToken);
    expect(await configLimit()).toBe('12');

    await recorder.flush();
    const events = await eventsAbout(client, {
      kind: 'PeerPodConfig',
      name: PEERPODCONFIG_NAME,
      namespace: OPERATOR_NAMESPACE,
    });
    expect(events.filter((e) => e.message.includes(NON_ADMIN_USER))).toEqual([]);
    expect(events.filter((e) => e.reason === 'PeerPodLimitChanged')).toHaveLength(1);
  });

  it("refuses the non-admin's override too: nodes are not theirs to patch", async () => {
    const res = await put(`/nodes/${NODE}/override`, cp.userToken, { override: 3 });

    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.message).toContain(
      `User "${NON_ADMIN_USER}" cannot patch resource "nodes"`,
    );
  });

  it('keeps the History from who may not list the Events it comes from', async () => {
    const res = await fetch(`${base}/history`, { headers: { Authorization: `Bearer ${cp.userToken}` } });
    expect(res.status).toBe(403);
  });

  it("sets an override through the API, keeping the node's other annotations, and records it on the Node", async () => {
    const res = await put(`/nodes/${NODE}/override`, cp.adminToken, { override: 4 });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ target: NODE, old: null, new: '4' });
    const node = await client.request<{ metadata: { annotations: Record<string, string> } }>({
      method: 'GET',
      path: `/api/v1/nodes/${NODE}`,
    });
    expect(node.metadata.annotations[VM_LIMIT_OVERRIDE_ANNOTATION]).toBe('4');
    const entry = await waitFor('the override History entry', async () =>
      (await historyAs(cp.adminToken)).find((e) => e.kind === 'override' && e.via === 'console'),
    );
    expect(entry).toMatchObject({ actor: 'test-admin', target: NODE, old: null, new: '4' });
  });
});

describe('changes made outside the console', () => {
  it('an `oc patch` of the limit appears in the History as outside the console, by its field manager', async () => {
    await client.request({
      method: 'PATCH',
      path: CONFIG_PATH,
      query: { fieldManager: 'kubectl-patch' },
      contentType: 'application/merge-patch+json',
      body: { spec: { limit: '15' } },
    });

    const entry = await waitFor('the outside change in the History', async () =>
      (await historyAs(cp.adminToken)).find((e) => e.kind === 'limit' && e.via === 'outside'),
    );
    expect(entry).toMatchObject({
      actor: 'kubectl-patch',
      target: `${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME}`,
      old: '12',
      new: '15',
      message: `outside the console: kubectl-patch changed the VM limit of PeerPodConfig ${OPERATOR_NAMESPACE}/${PEERPODCONFIG_NAME}: 12 → 15`,
    });
    // The console's own change (10 → 12), seen by the same leader before this one, was not taken for an outside one.
    const limits = (await historyAs(cp.adminToken)).filter((e) => e.kind === 'limit');
    expect(limits.map((e) => [e.via, e.actor, e.old, e.new])).toEqual([
      ['outside', 'kubectl-patch', '12', '15'],
      ['console', 'test-admin', '10', '12'],
    ]);
  });

  it('an override written with a JSON patch by kubectl-patch appears as outside the console too', async () => {
    await client.request({
      method: 'PATCH',
      path: `/api/v1/nodes/${NODE}`,
      query: { fieldManager: 'kubectl-patch' },
      contentType: 'application/json-patch+json',
      body: [{ op: 'replace', path: '/metadata/annotations/peerpods.openshift.io~1vm-limit', value: '6' }],
    });

    const entry = await waitFor('the outside override in the History', async () =>
      (await historyAs(cp.adminToken)).find((e) => e.kind === 'override' && e.via === 'outside'),
    );
    expect(entry).toMatchObject({ actor: 'kubectl-patch', target: NODE, old: '4', new: '6' });
  });
});
