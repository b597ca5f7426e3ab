import { describe, expect, it } from 'vitest';
import { renderWebhookConfiguration, SYSTEM_NAMESPACES } from './webhook-configuration.ts';

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('renderWebhookConfiguration', () => {
  it('renders the upstream policies for an in-cluster Service', () => {
    const configuration = renderWebhookConfiguration({
      target: { service: { namespace: 'peer-pods-console', name: 'peer-pods-webhook' } },
      caBundlePem: CA_PEM,
      additionalExcludedNamespaces: ['peer-pods-console'],
    });
    expect(configuration).toEqual({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'peer-pods-console-pod-mutator' },
      webhooks: [
        {
          name: 'mutate-pod.peerpods-console.io',
          admissionReviewVersions: ['v1'],
          clientConfig: {
            service: { namespace: 'peer-pods-console', name: 'peer-pods-webhook', path: '/mutate-v1-pod', port: 443 },
            caBundle: Buffer.from(CA_PEM).toString('base64'),
          },
          rules: [
            { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' },
          ],
          failurePolicy: 'Fail',
          matchPolicy: 'Equivalent',
          sideEffects: 'None',
          reinvocationPolicy: 'IfNeeded',
          timeoutSeconds: 10,
          namespaceSelector: {
            matchExpressions: [
              {
                key: 'kubernetes.io/metadata.name',
                operator: 'NotIn',
                values: [...SYSTEM_NAMESPACES, 'peer-pods-console'],
              },
            ],
          },
          matchConditions: [
            {
              name: 'peer-pod-runtime-class',
              expression: "has(object.spec.runtimeClassName) && object.spec.runtimeClassName == 'kata-remote'",
            },
          ],
        },
      ],
    });
  });

  it('excludes the SPEC system namespaces by default', () => {
    expect(SYSTEM_NAMESPACES).toEqual(
      expect.arrayContaining(['kube-system', 'kube-node-lease', 'openshift-etcd', 'openshift-kube-apiserver']),
    );
    expect(SYSTEM_NAMESPACES.filter((ns) => !ns.startsWith('openshift'))).toEqual(['kube-system', 'kube-node-lease']);
    expect(new Set(SYSTEM_NAMESPACES).size).toBe(SYSTEM_NAMESPACES.length);
  });

  it('targets a URL, with a configurable failure policy, timeout, object selector and runtime class', () => {
    const [webhook] = renderWebhookConfiguration({
      target: { url: 'https://127.0.0.1:9443/' },
      caBundlePem: CA_PEM,
      failurePolicy: 'Ignore',
      timeoutSeconds: 5,
      excludedNamespaces: ['kube-system'],
      objectSelector: { matchLabels: { 'peerpods.io/mutate': 'true' } },
      matchRuntimeClass: 'kata-remote-cc',
    }).webhooks!;
    expect(webhook).toMatchObject({
      clientConfig: { url: 'https://127.0.0.1:9443/mutate-v1-pod' },
      failurePolicy: 'Ignore',
      timeoutSeconds: 5,
      namespaceSelector: {
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }],
      },
      objectSelector: { matchLabels: { 'peerpods.io/mutate': 'true' } },
      matchConditions: [
        { expression: "has(object.spec.runtimeClassName) && object.spec.runtimeClassName == 'kata-remote-cc'" },
      ],
    });
  });

  it('can send every pod, without a match condition', () => {
    const [webhook] = renderWebhookConfiguration({
      target: { url: 'https://x' },
      caBundlePem: CA_PEM,
      matchRuntimeClass: false,
    }).webhooks!;
    expect(webhook).not.toHaveProperty('matchConditions');
  });

  it.each([
    [{ target: { url: 'http://127.0.0.1:9443' } }, 'url must start with https://'],
    [{ timeoutSeconds: 31 }, 'timeoutSeconds must be a whole number from 1 to 30, got 31'],
    [{ caBundlePem: 'not a certificate' }, 'caBundlePem must hold a PEM certificate'],
    [{ webhookName: 'pod-mutator' }, 'must be a fully qualified name with at least three segments'],
    [{ matchRuntimeClass: "kata' || true" }, 'is not a RuntimeClass name'],
  ])('refuses %j', (override, message) => {
    expect(() =>
      renderWebhookConfiguration({ target: { url: 'https://127.0.0.1:9443' }, caBundlePem: CA_PEM, ...override }),
    ).toThrow(message);
  });
});
