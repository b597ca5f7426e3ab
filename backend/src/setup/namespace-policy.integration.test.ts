// The namespace policy (contract/src/namespace-policy.ts) enforced by a real kube-apiserver
// 1.34 (ValidatingAdmissionPolicy is GA and on by default there), next to the real peer-pods
// webhook: peer pods only in namespaces labelled peerpods.openshift.io/allowed=true, every other
// pod untouched, and only RBAC decides who may install it.
import {
  AdmissionregistrationV1Api,
  ApiException,
  CoreV1Api,
  NodeV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../../hack/controlplane/controlplane.ts';
import {
  ALLOWED_NAMESPACE_LABEL,
  buildNamespacePolicy,
  buildNamespacePolicyBinding,
  NAMESPACE_POLICY_BINDING_NAME,
  NAMESPACE_POLICY_NAME,
} from '@peer-pods-console/contract/namespace-policy';
import { waitFor } from '../kube/test/cluster.ts';
import { startTestWebhook, type TestWebhook } from '../webhook/test/fixtures.ts';
import { renderWebhookConfiguration } from '../webhook/webhook-configuration.ts';

const ALLOWED = 'team-allowed';
const OTHER = 'team-other';
const VM = { requests: { 'kata.peerpods.io/vm': '1' }, limits: { 'kata.peerpods.io/vm': '1' } };
const APP_RESOURCES = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

let cp: ControlPlane;
let kc: KubeConfig;
let core: CoreV1Api;
let admission: AdmissionregistrationV1Api;
let webhook: TestWebhook;
let counter = 0;

function pod(runtimeClassName?: string): V1Pod {
  counter += 1;
  return {
    metadata: { name: `app-${counter}` },
    spec: {
      ...(runtimeClassName ? { runtimeClassName } : {}),
      containers: [{ name: 'app', image: 'registry.example/app:1', resources: APP_RESOURCES }],
    },
  };
}

async function refusal(create: () => Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await create();
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const body = (typeof err.body === 'string' ? JSON.parse(err.body) : err.body) as { message?: string };
    return { code: err.code, message: body.message ?? '' };
  }
  throw new Error('expected the API server to refuse the request');
}

function expectedMessage(podName: string, namespace: string): string {
  return (
    `pods "${podName}" is forbidden: ValidatingAdmissionPolicy '${NAMESPACE_POLICY_NAME}' with binding ` +
    `'${NAMESPACE_POLICY_BINDING_NAME}' denied request: peer pods (runtimeClassName kata-remote) may only be ` +
    `created in namespaces labelled ${ALLOWED_NAMESPACE_LABEL}=true, and namespace ${namespace} is not. ` +
    `Allowed namespaces: oc get namespaces -l ${ALLOWED_NAMESPACE_LABEL}=true. To run peer pods here, ` +
    `ask a cluster administrator to label it: oc label namespace ${namespace} ${ALLOWED_NAMESPACE_LABEL}=true`
  );
}

beforeAll(async () => {
  cp = await startControlPlane({ scheduler: false });
  kc = cp.kubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  admission = kc.makeApiClient(AdmissionregistrationV1Api);
  await core.createNamespace({ body: { metadata: { name: ALLOWED, labels: { [ALLOWED_NAMESPACE_LABEL]: 'true' } } } });
  await core.createNamespace({ body: { metadata: { name: OTHER } } });
  await kc.makeApiClient(NodeV1Api).createRuntimeClass({ body: { metadata: { name: 'kata' }, handler: 'kata' } });

  webhook = await startTestWebhook({}, cp.ca);
  await admission.createMutatingWebhookConfiguration({
    body: renderWebhookConfiguration({ target: { url: webhook.address.url }, caBundlePem: cp.caCertPem }),
  });
  // A peer pod that runs before the policy exists; it must keep running (and stay updatable) afterwards.
  await waitFor('the webhook to mutate peer pods', async () => {
    const dryRun = await core.createNamespacedPod({ namespace: OTHER, body: pod('kata-remote'), dryRun: 'All' });
    return dryRun.spec?.containers[0]?.resources?.requests?.['kata.peerpods.io/vm'] === '1';
  });
  await core.createNamespacedPod({
    namespace: OTHER,
    body: { ...pod('kata-remote'), metadata: { name: 'before-policy' } },
  });
});

afterAll(async () => {
  await webhook?.stop();
  await cp?.stop();
});

describe('the namespace policy on a real API server', () => {
  it('cannot be installed by a user without RBAC: the API server answers 403', async () => {
    const asUser = cp.kubeConfigForToken(cp.userToken).makeApiClient(AdmissionregistrationV1Api);
    const policy = await refusal(() => asUser.createValidatingAdmissionPolicy({ body: buildNamespacePolicy() }));
    expect(policy.code).toBe(403);
    expect(policy.message).toContain(
      'validatingadmissionpolicies.admissionregistration.k8s.io is forbidden: User "test-developer" cannot create resource "validatingadmissionpolicies"',
    );
    const binding = await refusal(() =>
      asUser.createValidatingAdmissionPolicyBinding({ body: buildNamespacePolicyBinding() }),
    );
    expect(binding.code).toBe(403);
  });

  it('is accepted by the API server as built (it compiles the CEL on create) and enforced', async () => {
    await admission.createValidatingAdmissionPolicy({ body: buildNamespacePolicy() });
    await admission.createValidatingAdmissionPolicyBinding({ body: buildNamespacePolicyBinding() });
    // Enforcement starts asynchronously: wait for the first refusal (a dry run stores nothing).
    await waitFor('the policy to be enforced', async () => {
      try {
        await core.createNamespacedPod({ namespace: OTHER, body: pod('kata-remote'), dryRun: 'All' });
        return false;
      } catch (err) {
        return err instanceof ApiException && err.code === 403;
      }
    });
  });

  it('refuses a peer pod in a namespace without the label, with a message that says how to get one allowed', async () => {
    const body = pod('kata-remote');
    const refused = await refusal(() => core.createNamespacedPod({ namespace: OTHER, body }));
    expect(refused).toEqual({ code: 403, message: expectedMessage(body.metadata!.name!, OTHER) });
  });

  it('admits a peer pod in a labelled namespace, and the webhook still mutates it', async () => {
    const body = pod('kata-remote');
    await core.createNamespacedPod({ namespace: ALLOWED, body });
    const stored = await core.readNamespacedPod({ namespace: ALLOWED, name: body.metadata!.name! });
    expect(stored.spec!.containers[0]!.resources).toEqual(VM);
  });

  it.each([
    ['no runtime class', undefined],
    ['another runtime class', 'kata'],
  ])('leaves a pod with %s alone in any namespace', async (_name, runtimeClassName) => {
    for (const namespace of [OTHER, ALLOWED]) {
      const body = pod(runtimeClassName);
      await core.createNamespacedPod({ namespace, body });
      const stored = await core.readNamespacedPod({ namespace, name: body.metadata!.name! });
      expect(stored.spec!.containers[0]!.resources).toEqual(APP_RESOURCES);
    }
  });

  it('keeps a peer pod that ran before the policy: it still exists and can be updated', async () => {
    const updated = await core.patchNamespacedPod(
      { namespace: OTHER, name: 'before-policy', body: { metadata: { labels: { touched: 'yes' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(updated.metadata?.labels).toEqual({ touched: 'yes' });
  });

  it('admits peer pods in a namespace as soon as it is labelled, and refuses them again when unlabelled', async () => {
    const label = (value: string | null) =>
      core.patchNamespace(
        { name: OTHER, body: { metadata: { labels: { [ALLOWED_NAMESPACE_LABEL]: value } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    await label('true');
    await waitFor('peer pods to be admitted in the labelled namespace', async () => {
      await core.createNamespacedPod({ namespace: OTHER, body: pod('kata-remote'), dryRun: 'All' });
      return true;
    });
    await label(null);
    await waitFor('peer pods to be refused again', async () => {
      try {
        await core.createNamespacedPod({ namespace: OTHER, body: pod('kata-remote'), dryRun: 'All' });
        return false;
      } catch (err) {
        return err instanceof ApiException && err.code === 403;
      }
    });
  });

  it('stops refusing once removed (the non-admin cannot remove it either)', async () => {
    const asUser = cp.kubeConfigForToken(cp.userToken).makeApiClient(AdmissionregistrationV1Api);
    expect(
      (await refusal(() => asUser.deleteValidatingAdmissionPolicyBinding({ name: NAMESPACE_POLICY_BINDING_NAME })))
        .code,
    ).toBe(403);
    await admission.deleteValidatingAdmissionPolicyBinding({ name: NAMESPACE_POLICY_BINDING_NAME });
    await admission.deleteValidatingAdmissionPolicy({ name: NAMESPACE_POLICY_NAME });
    await waitFor('peer pods to be admitted everywhere again', async () => {
      await core.createNamespacedPod({ namespace: OTHER, body: pod('kata-remote'), dryRun: 'All' });
      return true;
    });
  });
});
