// The MutatingWebhookConfiguration that sends peer pods to the webhook must exist, carry a CA
// bundle (or the API server cannot trust the webhook), keep the system namespaces out (their pods
// must never wait on it), and the webhook behind it must answer.
import { MUTATE_PATH } from '../../webhook/review.ts';
import { DEFAULT_WEBHOOK_NAME } from '../../webhook/webhook-configuration.ts';
import { command, fail, pass, shellQuoteJson, warning, type CheckOutcome } from '../outcome.ts';

/** Namespaces a peer-pods webhook must never be called for. */
export const REQUIRED_EXCLUSIONS: readonly string[] = ['kube-system', 'kube-node-lease'];
const NAME_KEY = 'kubernetes.io/metadata.name';

interface SelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: SelectorRequirement[];
}

/** The part of a MutatingWebhookConfiguration this check reads. */
export interface WebhookConfigurationFacts {
  metadata?: { name?: string };
  webhooks?: {
    name?: string;
    clientConfig?: {
      url?: string;
      caBundle?: string;
      service?: { namespace?: string; name?: string; path?: string; port?: number };
    };
    rules?: { operations?: string[]; apiGroups?: string[]; resources?: string[] }[];
    namespaceSelector?: LabelSelector;
  }[];
}

/** One webhook that receives pod creations on the peer-pods path. */
export interface PeerPodWebhook {
  configurationName: string;
  webhookName: string;
  /** Index in the configuration's `webhooks` (for JSON patches). */
  index: number;
  caBundlePem: string | undefined;
  /** Where the API server calls it: an https URL (a Service is spelled https://<name>.<namespace>.svc:<port><path>). */
  url: string;
  /** How the UI names it: the URL, or `service <namespace>/<name>:<port>`. */
  target: string;
  service?: { namespace: string; name: string; port: number };
  namespaceSelector: LabelSelector;
}

export type WebhookProbe = { ok: true; ms: number } | { ok: false; error: string };

export interface WebhookInput {
  webhooks: readonly PeerPodWebhook[];
  /** The answer of the webhook `chooseWebhook` picks; undefined when it was not called. */
  probe: WebhookProbe | undefined;
}

function coversPodCreate(rules: NonNullable<WebhookConfigurationFacts['webhooks']>[number]['rules']): boolean {
  return (rules ?? []).some(
    (rule) =>
      (rule.apiGroups ?? []).some((g) => g === '' || g === '*') &&
      (rule.resources ?? []).some((r) => r === 'pods' || r === '*') &&
      (rule.operations ?? []).some((o) => o === 'CREATE' || o === '*'),
  );
}

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function decodeCaBundle(caBundle: string | undefined): string | undefined {
  if (!caBundle) return undefined;
  const pem = Buffer.from(caBundle, 'base64').toString('utf8');
  return pem.includes('-----BEGIN CERTIFICATE-----') ? pem : undefined;
}

/** Every webhook (of any configuration) that the API server calls for pod creation on MUTATE_PATH. */
export function findPeerPodWebhooks(configurations: readonly WebhookConfigurationFacts[]): PeerPodWebhook[] {
  const found: PeerPodWebhook[] = [];
  for (const configuration of configurations) {
    (configuration.webhooks ?? []).forEach((webhook, index) => {
      const client = webhook.clientConfig ?? {};
      const service = client.service;
      let url: string;
      let target: string;
      let serviceRef: PeerPodWebhook['service'];
      if (client.url) {
        if (pathOf(client.url) !== MUTATE_PATH) return;
        url = client.url;
        target = client.url;
      } else if (service?.name && service.namespace) {
        if ((service.path ?? '/') !== MUTATE_PATH) return;
        const port = service.port ?? 443;
        serviceRef = { namespace: service.namespace, name: service.name, port };
        url = `https://${service.name}.${service.namespace}.svc:${port}${MUTATE_PATH}`;
        target = `service ${service.namespace}/${service.name}:${port}`;
      } else {
        return;
      }
      if (!coversPodCreate(webhook.rules)) return;
      found.push({
        configurationName: configuration.metadata?.name ?? '',
        webhookName: webhook.name ?? '',
        index,
        caBundlePem: decodeCaBundle(client.caBundle),
        url,
        target,
        service: serviceRef,
        namespaceSelector: webhook.namespaceSelector ?? {},
      });
    });
  }
  return found;
}

/** The webhook to report on: this product's when present, else the first one found. */
export function chooseWebhook(webhooks: readonly PeerPodWebhook[]): PeerPodWebhook | undefined {
  return webhooks.find((w) => w.webhookName === DEFAULT_WEBHOOK_NAME) ?? webhooks[0];
}

/** Namespaces the selector keeps away from the webhook by name (`kubernetes.io/metadata.name NotIn`). */
export function excludedNamespaces(selector: LabelSelector): string[] {
  return (selector.matchExpressions ?? [])
    .filter((e) => e.key === NAME_KEY && e.operator === 'NotIn')
    .flatMap((e) => e.values ?? []);
}

/** A JSON patch command that adds `missing` to the name exclusions, keeping the rest of the selector. */
function excludeCommand(webhook: PeerPodWebhook, missing: readonly string[]): string {
  const expressions = webhook.namespaceSelector.matchExpressions ?? [];
  const notIn = expressions.find((e) => e.key === NAME_KEY && e.operator === 'NotIn');
  const merged = notIn
    ? expressions.map((e) => (e === notIn ? { ...e, values: [...(e.values ?? []), ...missing] } : e))
    : [...expressions, { key: NAME_KEY, operator: 'NotIn', values: [...missing] }];
  const selector = { ...webhook.namespaceSelector, matchExpressions: merged };
  // JSON patch "add" on an existing member replaces it, and creates it when absent.
  const patch = [{ op: 'add', path: `/webhooks/${webhook.index}/namespaceSelector`, value: selector }];
  return `oc patch mutatingwebhookconfiguration ${webhook.configurationName} --type json -p ${shellQuoteJson(patch)}`;
}

export function checkWebhook(input: WebhookInput): CheckOutcome {
  const webhook = chooseWebhook(input.webhooks);
  if (!webhook) {
    return fail(
      'webhookMissing',
      { path: MUTATE_PATH },
      command(
        'helm upgrade peer-pods-console charts/peer-pods-console -n peer-pods-console --reuse-values --set webhook.enabled=true',
      ),
    );
  }
  const name = webhook.configurationName;
  if (!webhook.caBundlePem) {
    return fail(
      'webhookNoCaBundle',
      { name },
      command(`oc annotate mutatingwebhookconfiguration ${name} service.beta.openshift.io/inject-cabundle=true`),
    );
  }
  const probe: WebhookProbe = input.probe ?? { ok: false, error: 'the webhook was not called' };
  if (!probe.ok) {
    const diagnose = webhook.service
      ? command(
          `oc get endpointslices -n ${webhook.service.namespace} -l kubernetes.io/service-name=${webhook.service.name}`,
        )
      : null;
    return fail('webhookNoAnswer', { name, target: webhook.target, error: probe.error }, diagnose);
  }
  const excluded = excludedNamespaces(webhook.namespaceSelector);
  const missing = REQUIRED_EXCLUSIONS.filter((ns) => !excluded.includes(ns));
  if (missing.length > 0) {
    return warning(
      'webhookNotExcluding',
      { name, namespaces: missing.join(', ') },
      command(excludeCommand(webhook, missing)),
    );
  }
  return pass('webhookOk', {
    name,
    excluded: excluded.length,
    target: webhook.target,
    ms: probe.ms,
  });
}
