// The setup checklist in the user's language. The backend says what a check found as a key of
// SETUP_TEXT plus values; each key has its translation here, written out as a t() call so that
// i18next-parser finds it (useSetupText.test.ts keeps the English identical to the backend's).
import { useTranslation } from 'react-i18next';
import type {
  SetupAction,
  SetupCheckId,
  SetupTextKey,
  SetupTextValues,
} from '@peer-pods-console/contract/setup-checks';

import type { SetupCheck } from '../../../api/backend';

type Translate = (key: string, values?: SetupTextValues) => string;

export const setupTextTranslations = (t: Translate): Record<SetupTextKey, (v: SetupTextValues) => string> => ({
  checkTimedOut: (v) => t('Could not check in time: no answer within {{seconds}} s. Refresh to try again.', v),
  checkFailed: (v) => t('Could not check: {{error}}', v),

  platformMissing: (v) =>
    t(
      'The cluster has no infrastructure/cluster object, so its platform is unknown. Peer pods need OpenShift on AWS or Azure.',
      v,
    ),
  platformUnsupported: (v) => t('The cluster runs on the platform {{platform}}. Peer pods need AWS or Azure.', v),
  platformAwsNoRegion: (v) =>
    t(
      'The cluster runs on AWS, but neither infrastructure/cluster nor the ConfigMap key AWS_REGION gives the region.',
      v,
    ),
  platformAzureNoResourceGroup: (v) =>
    t(
      'The cluster runs on Azure, but neither infrastructure/cluster nor the ConfigMap key AZURE_RESOURCE_GROUP gives the resource group.',
      v,
    ),
  platformAws: (v) => t('AWS, region {{region}}.', v),
  platformAzure: (v) => t('Azure, resource group {{resourceGroup}}.', v),

  workerNodesMatch: (v) => t('Nodes that match the nodeSelector {{selector}}: {{number}} ({{nodes}}).', v),
  workerNodesNone: (v) => t('No node has the labels {{selector}} that the PeerPodConfig nodeSelector asks for.', v),

  peerPodConfigMissing: (v) => t('There is no PeerPodConfig {{name}} in the namespace {{namespace}}.', v),
  peerPodConfigInvalidLimit: (v) =>
    t(
      'PeerPodConfig {{name}} has spec.limit {{limit}}, which is not a non-negative whole number, so no node gets a VM limit from it.',
      v,
    ),
  peerPodConfigOk: (v) => t('PeerPodConfig {{name}}: up to {{limit}} peer pod VMs per node.', v),
  peerPodConfigOthersIgnored: (v) =>
    t(
      'PeerPodConfig {{name}}: up to {{limit}} peer pod VMs per node. PeerPodConfigs outside {{namespace}} set no VM limit and are ignored: {{others}}.',
      v,
    ),

  cloudSecretMissing: (v) => t('There is no Secret {{name}} in the namespace {{namespace}}.', v),
  cloudSecretMissingKeys: (v) => t('The Secret {{name}} has no value for {{keys}}, which {{platform}} needs.', v),
  cloudSecretNoPlatform: (v) =>
    t('The platform is unknown, so the keys the Secret {{name}} must hold cannot be told. It holds: {{keys}}.', v),
  cloudSecretOk: (v) => t('The Secret {{name}} holds {{keys}}.', v),

  cloudConfigMapMissing: (v) => t('There is no ConfigMap {{name}} in the namespace {{namespace}}.', v),
  cloudProviderMissing: (v) => t('The ConfigMap {{name}} has no CLOUD_PROVIDER.', v),
  cloudProviderInvalid: (v) => t('CLOUD_PROVIDER in the ConfigMap {{name}} is {{value}}; it must be aws or azure.', v),
  cloudProviderMismatch: (v) =>
    t('CLOUD_PROVIDER in the ConfigMap {{name}} is {{value}}, but the cluster runs on {{platform}}.', v),
  cloudConfigMapMissingKeys: (v) =>
    t('The ConfigMap {{name}} has no {{keys}}, which the product needs on {{platform}}.', v),
  cloudConfigMapBadVxlanPort: (v) =>
    t('VXLAN_PORT in the ConfigMap {{name}} is {{value}}, not a port number from 1 to 65535.', v),
  cloudConfigMapRecommendedKeys: (v) =>
    t('The ConfigMap {{name}} has no {{keys}}; the cloud-api-adaptor uses them to place peer pod VMs.', v),
  cloudConfigMapOk: (v) => t('The ConfigMap {{name}} sets CLOUD_PROVIDER={{provider}} and {{keys}}.', v),

  runtimeClassMissing: (v) => t('There is no RuntimeClass {{name}}.', v),
  runtimeClassNoOverhead: (v) =>
    t('RuntimeClass {{name}} has no pod overhead, so the worker node resources each peer pod uses are not counted.', v),
  runtimeClassOk: (v) => t('RuntimeClass {{name}}: handler {{handler}}, pod overhead {{overhead}}.', v),

  webhookMissing: (v) => t('No MutatingWebhookConfiguration sends pods to a peer pods webhook ({{path}}).', v),
  webhookNoCaBundle: (v) =>
    t('The MutatingWebhookConfiguration {{name}} has no CA bundle, so the API server cannot trust the webhook.', v),
  webhookNotExcluding: (v) =>
    t(
      'The MutatingWebhookConfiguration {{name}} does not exclude the system namespaces {{namespaces}}; their pods would depend on the webhook.',
      v,
    ),
  webhookNoAnswer: (v) => t('The webhook of {{name}} at {{target}} did not answer: {{error}}', v),
  webhookOk: (v) =>
    t(
      '{{name}}: CA bundle set, {{excluded}} namespaces excluded, and the webhook at {{target}} answered in {{ms}} ms.',
      v,
    ),

  portsOpen: (v) => t('Open: {{rules}}.', v),
  portsMissing: (v) => t('Not open yet: {{rules}}.', v),
  portsConflicting: (v) => t('Rules that exist but do not match: {{rules}}.', v),
  portsUnknown: (v) => t('Could not read the port rules from the cloud: {{error}}', v),

  capacityNotSynced: (v) => t('The backend is still reading the nodes; refresh in a moment.', v),
  capacityNoMatchingNodes: (v) =>
    t('No node is meant to advertise {{resource}}, because no node matches a PeerPodConfig.', v),
  capacityNotAdvertised: (v) =>
    t('{{number}} of {{total}} matching nodes do not advertise {{resource}}: {{nodes}}.', v),
  capacityDrift: (v) => t('Nodes that advertise a different {{resource}} than their limit: {{nodes}}.', v),
  capacityOk: (v) => t('All {{total}} matching nodes advertise {{resource}} ({{capacity}} VMs in all).', v),

  adaptorLimitOk: (v) => t('{{key}} in the ConfigMap {{name}} is {{value}}, the same as the PeerPodConfig limit.', v),
  adaptorLimitUnsetOk: (v) =>
    t(
      'The ConfigMap {{name}} does not set {{key}}, so the cloud-api-adaptor uses {{value}}, the same as the PeerPodConfig limit.',
      v,
    ),
  adaptorLimitDrift: (v) =>
    t(
      '{{key}} in the ConfigMap {{name}} is {{value}}, but the PeerPodConfig limit is {{limit}}: where the cloud-api-adaptor advertises the capacity itself, nodes get {{value}}. Keep the two in step; the cloud-api-adaptor reads it when its pods start.',
      v,
    ),
  adaptorLimitUnsetDrift: (v) =>
    t(
      'The ConfigMap {{name}} does not set {{key}}, so the cloud-api-adaptor uses {{value}}, but the PeerPodConfig limit is {{limit}}: where the cloud-api-adaptor advertises the capacity itself, nodes get {{value}}. Keep the two in step.',
      v,
    ),
  adaptorLimitNoConfigLimit: (v) =>
    t('The PeerPodConfig has no valid limit, so {{key}} in the ConfigMap {{name}} cannot be compared with it.', v),

  quotaRoom: (v) =>
    t(
      'The limits allow {{promised}} peer pod VMs of {{size}} ({{vcpus}} vCPUs each); {{used}} run now, and the quota {{quota}} has {{free}} vCPUs free: at most {{more}} more can start.',
      v,
    ),
  quotaShort: (v) =>
    t(
      'The limits allow {{promised}} peer pod VMs of {{size}} ({{vcpus}} vCPUs each) and {{used}} run now, but the quota {{quota}} has only {{free}} vCPUs free: at most {{more}} more can start, so {{short}} promised VMs would fail in ContainerCreating. Lower the limits or ask the cloud for a higher quota.',
      v,
    ),
  quotaNotPermitted: (v) =>
    t('The backend may not read the vCPU quota {{quota}}: grant its cloud credentials {{permission}}.', v),
  quotaUnknown: (v) => t('The room in the vCPU quota could not be told: {{error}}', v),

  capacityWritersNone: (v) => t('No other field manager writes {{resource}} on the nodes this console manages.', v),
  capacityOtherWriters: (v) =>
    t(
      '{{writers}} also writes {{resource}}, on {{number}} nodes ({{nodes}}), and changed it away from the limit {{flaps}} times since the backend started; the backend set it back each time. Keep the PeerPodConfig limit at the lowest per-node limit and use node overrides only to raise a limit, and give the PeerPodConfig an explicit nodeSelector.',
      v,
    ),

  unaccountedNone: (v) => t('Every peer pod requests {{resource}}, so the VM limits count all of them.', v),
  unaccountedFound: (v) =>
    t(
      'Peer pods without a {{resource}} request, which no VM limit counts: {{number}} ({{pods}}). They were created in a namespace the webhook excludes, or while it was not running.',
      v,
    ),

  policyInstalled: (v) =>
    t('The ValidatingAdmissionPolicy {{name}} allows peer pods only in namespaces labelled {{label}}.', v),
  policyNotInstalled: (v) =>
    t(
      'No policy limits peer pods to chosen namespaces; peer pods created in namespaces the webhook excludes escape the VM limit.',
      v,
    ),
  policyIncomplete: (v) =>
    t('The ValidatingAdmissionPolicy {{name}} or its binding is missing, so the policy is not enforced.', v),
});

export const setupCheckTitles = (t: Translate): Record<SetupCheckId, string> => ({
  platform: t('Cluster platform'),
  'worker-nodes': t('Nodes for peer pods'),
  'peer-pod-config': t('PeerPodConfig and VM limit'),
  'cloud-secret': t('Cloud credentials Secret'),
  'cloud-config-map': t('Peer pods ConfigMap'),
  'runtime-class': t('RuntimeClass'),
  webhook: t('Mutating webhook'),
  ports: t('Ports 15150 and VXLAN'),
  'advertised-capacity': t('Advertised VM capacity'),
  'adaptor-limit': t("Adaptor's own VM limit"),
  'cloud-quota': t('Room in the vCPU quota'),
  'capacity-writers': t('Other writers of the VM capacity'),
  'unaccounted-pods': t('Unaccounted peer pods'),
  'namespace-policy': t('Namespace policy'),
});

export const setupActionLabels = (t: Translate): Record<SetupAction, string> => ({
  'open-port-wizard': t('Open the port wizard'),
  'edit-limit': t('Edit the limit'),
  'open-capacity': t('Show capacity'),
  'install-policy': t('Go to the namespace policy'),
});

export type SetupText = {
  /** What a check found, in the user's language (the backend's English for a sentence this plugin does not know). */
  found: (check: SetupCheck) => string;
  title: (check: SetupCheck) => string;
  actionLabel: (action: SetupAction) => string;
};

export const useSetupText = (): SetupText => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const translate = t as unknown as Translate;
  const sentences = setupTextTranslations(translate);
  const titles = setupCheckTitles(translate);
  const actions = setupActionLabels(translate);
  return {
    found: (check) => {
      const key = check.found.key as SetupTextKey;
      return Object.hasOwn(sentences, key) ? sentences[key](check.found.values) : check.found.message;
    },
    title: (check) => titles[check.id] ?? check.id,
    actionLabel: (action) => actions[action] ?? action,
  };
};
