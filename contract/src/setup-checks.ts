// The setup checklist's vocabulary, shared by the backend (which answers GET /api/v1/setup) and
// the plugin (which shows it): the checks, the actions the UI maps to buttons, and every sentence
// a check can say about what it found. A sentence travels as its key plus values, so the plugin
// shows it in the user's language; `message` in the report is the English rendering for logs and
// API clients. Browser-safe on purpose: no imports.

/** In display order. */
export const SETUP_CHECK_IDS = [
  'platform',
  'worker-nodes',
  'peer-pod-config',
  'cloud-secret',
  'cloud-config-map',
  'runtime-class',
  'webhook',
  'ports',
  'advertised-capacity',
  'adaptor-limit',
  'cloud-quota',
  'capacity-writers',
  'unaccounted-pods',
  'namespace-policy',
] as const;
export type SetupCheckId = (typeof SETUP_CHECK_IDS)[number];

/**
 * Fixes the UI turns into a button: the port wizard, the limit editor, the capacity page (where
 * nodes and unaccounted peer pods are listed), the namespace policy section.
 */
export const SETUP_ACTIONS = ['open-port-wizard', 'edit-limit', 'open-capacity', 'install-policy'] as const;
export type SetupAction = (typeof SETUP_ACTIONS)[number];

/** English sentences with {{placeholders}}; the plugin keeps a translation of each (setupText.ts). */
export const SETUP_TEXT = {
  checkTimedOut: 'Could not check in time: no answer within {{seconds}} s. Refresh to try again.',
  checkFailed: 'Could not check: {{error}}',

  platformMissing:
    'The cluster has no infrastructure/cluster object, so its platform is unknown. Peer pods need OpenShift on AWS or Azure.',
  platformUnsupported: 'The cluster runs on the platform {{platform}}. Peer pods need AWS or Azure.',
  platformAwsNoRegion:
    'The cluster runs on AWS, but neither infrastructure/cluster nor the ConfigMap key AWS_REGION gives the region.',
  platformAzureNoResourceGroup:
    'The cluster runs on Azure, but neither infrastructure/cluster nor the ConfigMap key AZURE_RESOURCE_GROUP gives the resource group.',
  platformAws: 'AWS, region {{region}}.',
  platformAzure: 'Azure, resource group {{resourceGroup}}.',

  workerNodesMatch: 'Nodes that match the nodeSelector {{selector}}: {{number}} ({{nodes}}).',
  workerNodesNone: 'No node has the labels {{selector}} that the PeerPodConfig nodeSelector asks for.',

  peerPodConfigMissing: 'There is no PeerPodConfig {{name}} in the namespace {{namespace}}.',
  peerPodConfigInvalidLimit:
    'PeerPodConfig {{name}} has spec.limit {{limit}}, which is not a non-negative whole number, so no node gets a VM limit from it.',
  peerPodConfigOk: 'PeerPodConfig {{name}}: up to {{limit}} peer pod VMs per node.',
  peerPodConfigOthersIgnored:
    'PeerPodConfig {{name}}: up to {{limit}} peer pod VMs per node. PeerPodConfigs outside {{namespace}} set no VM limit and are ignored: {{others}}.',

  cloudSecretMissing: 'There is no Secret {{name}} in the namespace {{namespace}}.',
  cloudSecretMissingKeys: 'The Secret {{name}} has no value for {{keys}}, which {{platform}} needs.',
  cloudSecretNoPlatform:
    'The platform is unknown, so the keys the Secret {{name}} must hold cannot be told. It holds: {{keys}}.',
  cloudSecretOk: 'The Secret {{name}} holds {{keys}}.',

  cloudConfigMapMissing: 'There is no ConfigMap {{name}} in the namespace {{namespace}}.',
  cloudProviderMissing: 'The ConfigMap {{name}} has no CLOUD_PROVIDER.',
  cloudProviderInvalid: 'CLOUD_PROVIDER in the ConfigMap {{name}} is {{value}}; it must be aws or azure.',
  cloudProviderMismatch: 'CLOUD_PROVIDER in the ConfigMap {{name}} is {{value}}, but the cluster runs on {{platform}}.',
  cloudConfigMapMissingKeys: 'The ConfigMap {{name}} has no {{keys}}, which the product needs on {{platform}}.',
  cloudConfigMapBadVxlanPort: 'VXLAN_PORT in the ConfigMap {{name}} is {{value}}, not a port number from 1 to 65535.',
  cloudConfigMapRecommendedKeys:
    'The ConfigMap {{name}} has no {{keys}}; the cloud-api-adaptor uses them to place peer pod VMs.',
  cloudConfigMapOk: 'The ConfigMap {{name}} sets CLOUD_PROVIDER={{provider}} and {{keys}}.',

  runtimeClassMissing: 'There is no RuntimeClass {{name}}.',
  runtimeClassNoOverhead:
    'RuntimeClass {{name}} has no pod overhead, so the worker node resources each peer pod uses are not counted.',
  runtimeClassOk: 'RuntimeClass {{name}}: handler {{handler}}, pod overhead {{overhead}}.',

  webhookMissing: 'No MutatingWebhookConfiguration sends pods to a peer pods webhook ({{path}}).',
  webhookNoCaBundle:
    'The MutatingWebhookConfiguration {{name}} has no CA bundle, so the API server cannot trust the webhook.',
  webhookNotExcluding:
    'The MutatingWebhookConfiguration {{name}} does not exclude the system namespaces {{namespaces}}; their pods would depend on the webhook.',
  webhookNoAnswer: 'The webhook of {{name}} at {{target}} did not answer: {{error}}',
  webhookOk:
    '{{name}}: CA bundle set, {{excluded}} namespaces excluded, and the webhook at {{target}} answered in {{ms}} ms.',

  portsOpen: 'Open: {{rules}}.',
  portsMissing: 'Not open yet: {{rules}}.',
  portsConflicting: 'Rules that exist but do not match: {{rules}}.',
  portsUnknown: 'Could not read the port rules from the cloud: {{error}}',

  capacityNotSynced: 'The backend is still reading the nodes; refresh in a moment.',
  capacityNoMatchingNodes: 'No node is meant to advertise {{resource}}, because no node matches a PeerPodConfig.',
  capacityNotAdvertised: '{{number}} of {{total}} matching nodes do not advertise {{resource}}: {{nodes}}.',
  capacityDrift: 'Nodes that advertise a different {{resource}} than their limit: {{nodes}}.',
  capacityOk: 'All {{total}} matching nodes advertise {{resource}} ({{capacity}} VMs in all).',

  adaptorLimitOk: '{{key}} in the ConfigMap {{name}} is {{value}}, the same as the PeerPodConfig limit.',
  adaptorLimitUnsetOk:
    'The ConfigMap {{name}} does not set {{key}}, so the cloud-api-adaptor uses {{value}}, the same as the PeerPodConfig limit.',
  adaptorLimitDrift:
    '{{key}} in the ConfigMap {{name}} is {{value}}, but the PeerPodConfig limit is {{limit}}: where the cloud-api-adaptor advertises the capacity itself, nodes get {{value}}. Keep the two in step; the cloud-api-adaptor reads it when its pods start.',
  adaptorLimitUnsetDrift:
    'The ConfigMap {{name}} does not set {{key}}, so the cloud-api-adaptor uses {{value}}, but the PeerPodConfig limit is {{limit}}: where the cloud-api-adaptor advertises the capacity itself, nodes get {{value}}. Keep the two in step.',
  adaptorLimitNoConfigLimit:
    'The PeerPodConfig has no valid limit, so {{key}} in the ConfigMap {{name}} cannot be compared with it.',

  quotaRoom:
    'The limits allow {{promised}} peer pod VMs of {{size}} ({{vcpus}} vCPUs each); {{used}} run now, and the quota {{quota}} has {{free}} vCPUs free: at most {{more}} more can start.',
  quotaShort:
    'The limits allow {{promised}} peer pod VMs of {{size}} ({{vcpus}} vCPUs each) and {{used}} run now, but the quota {{quota}} has only {{free}} vCPUs free: at most {{more}} more can start, so {{short}} promised VMs would fail in ContainerCreating. Lower the limits or ask the cloud for a higher quota.',
  quotaNotPermitted: 'The backend may not read the vCPU quota {{quota}}: grant its cloud credentials {{permission}}.',
  quotaUnknown: 'The room in the vCPU quota could not be told: {{error}}',

  capacityWritersNone: 'No other field manager writes {{resource}} on the nodes this console manages.',
  capacityOtherWriters:
    '{{writers}} also writes {{resource}}, on {{number}} nodes ({{nodes}}), and changed it away from the limit {{flaps}} times since the backend started; the backend set it back each time. Keep the PeerPodConfig limit at the lowest per-node limit and use node overrides only to raise a limit, and give the PeerPodConfig an explicit nodeSelector.',

  unaccountedNone: 'Every peer pod requests {{resource}}, so the VM limits count all of them.',
  unaccountedFound:
    'Peer pods without a {{resource}} request, which no VM limit counts: {{number}} ({{pods}}). They were created in a namespace the webhook excludes, or while it was not running.',

  policyInstalled: 'The ValidatingAdmissionPolicy {{name}} allows peer pods only in namespaces labelled {{label}}.',
  policyNotInstalled:
    'No policy limits peer pods to chosen namespaces; peer pods created in namespaces the webhook excludes escape the VM limit.',
  policyIncomplete: 'The ValidatingAdmissionPolicy {{name}} or its binding is missing, so the policy is not enforced.',
} as const;
export type SetupTextKey = keyof typeof SETUP_TEXT;
export type SetupTextValues = Record<string, string | number>;

/** Fills the {{placeholders}} of an English template; a missing value leaves its placeholder. */
export function renderSetupText(template: string, values: SetupTextValues): string {
  return template.replace(/{{\s*(\w+)\s*}}/g, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}
