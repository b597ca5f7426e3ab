import { describe, expect, it } from 'vitest';
import { renderWebhookConfiguration } from '../../webhook/webhook-configuration.ts';
import { checkWebhook, findPeerPodWebhooks, type WebhookConfigurationFacts } from './webhook.ts';

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function configuration(
  overrides: { caBundlePem?: string; excludedNamespaces?: string[] } = {},
): WebhookConfigurationFacts {
  return renderWebhookConfiguration({
    target: { service: { namespace: 'peer-pods-console', name: 'peer-pods-console' } },
    caBundlePem: CA_PEM,
    excludedNamespaces: overrides.excludedNamespaces,
  }) as WebhookConfigurationFacts;
}

describe('findPeerPodWebhooks', () => {
  it('finds the webhook that receives pod creations on /mutate-v1-pod, and where the API server calls it', () => {
    const [webhook, ...rest] = findPeerPodWebhooks([configuration()]);
    expect(rest).toEqual([]);
    expect(webhook).toMatchObject({
      configurationName: 'peer-pods-console-pod-mutator',
      index: 0,
      caBundlePem: CA_PEM,
      url: 'https://peer-pods-console.peer-pods-console.svc:443/mutate-v1-pod',
      target: 'service peer-pods-console/peer-pods-console:443',
    });
  });

  it('ignores webhooks on other paths', () => {
    const other = configuration();
    other.webhooks![0]!.clientConfig = { url: 'https://example.test/validate' };
    expect(findPeerPodWebhooks([other])).toEqual([]);
  });
});

describe('checkWebhook', () => {
  it('passes with a CA bundle, the system namespaces excluded and an answer', () => {
    const result = checkWebhook({ webhooks: findPeerPodWebhooks([configuration()]), probe: { ok: true, ms: 4 } });
    expect(result.status).toBe('pass');
    expect(result.found.message).toMatch(
      /^peer-pods-console-pod-mutator: CA bundle set, \d+ namespaces excluded, and the webhook at service peer-pods-console\/peer-pods-console:443 answered in 4 ms\.$/,
    );
  });

  it('fails when no configuration calls a peer-pods webhook', () => {
    expect(checkWebhook({ webhooks: [], probe: undefined })).toMatchObject({
      status: 'fail',
      found: { key: 'webhookMissing' },
      fix: { kind: 'command' },
    });
  });

  it('fails without a CA bundle, with the annotation that makes the service CA inject one', () => {
    const bare = configuration();
    delete bare.webhooks![0]!.clientConfig!.caBundle;
    expect(checkWebhook({ webhooks: findPeerPodWebhooks([bare]), probe: undefined })).toEqual({
      status: 'fail',
      found: expect.objectContaining({ key: 'webhookNoCaBundle' }),
      fix: {
        kind: 'command',
        command:
          'oc annotate mutatingwebhookconfiguration peer-pods-console-pod-mutator service.beta.openshift.io/inject-cabundle=true',
      },
    });
  });

  it('fails when the webhook does not answer, saying why', () => {
    const result = checkWebhook({
      webhooks: findPeerPodWebhooks([configuration()]),
      probe: { ok: false, error: 'connect ECONNREFUSED 10.0.0.1:443' },
    });
    expect(result.status).toBe('fail');
    expect(result.found.message).toBe(
      'The webhook of peer-pods-console-pod-mutator at service peer-pods-console/peer-pods-console:443 did not answer: connect ECONNREFUSED 10.0.0.1:443',
    );
  });

  it('warns when the system namespaces are not excluded, with a patch that keeps the other exclusions', () => {
    const result = checkWebhook({
      webhooks: findPeerPodWebhooks([configuration({ excludedNamespaces: ['openshift-monitoring'] })]),
      probe: { ok: true, ms: 2 },
    });
    expect(result).toMatchObject({
      status: 'warning',
      found: { values: { namespaces: 'kube-system, kube-node-lease' } },
    });
    expect(result.fix).toEqual({
      kind: 'command',
      command: `oc patch mutatingwebhookconfiguration peer-pods-console-pod-mutator --type json -p '[{"op":"add","path":"/webhooks/0/namespaceSelector","value":{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"NotIn","values":["openshift-monitoring","kube-system","kube-node-lease"]}]}}]'`,
    });
  });
});
