// A cloud, as the rest of the backend knows it: one CloudModule per folder (aws/, azure/), each
// listed by one line in registry.ts (the pattern of cloud-api-adaptor's provider table). Whatever
// differs between clouds sits behind it — the keys of peer-pods-cm and peer-pods-secret and how to
// parse them, which VMs are this cluster's, the provider that talks to the cloud, what deleting one
// VM removes — so settings, inventory, the cloud service and the setup checks never branch on a
// cloud. Look a module up with modules.ts.
import type { CloudResource } from '@peer-pods-console/contract';
import type { SetupTextKey } from '@peer-pods-console/contract/setup-checks';
import type { Logger } from 'pino';
import type { CloudProviderName } from './errors.ts';
import type { ClusterIdentity } from './inventory.ts';
import type { CloudProvider, PeerPodVm, PlannedPortRule, PortRuleDiscovery, VmDeletionResult } from './provider.ts';
import type {
  CloudSettingsInput,
  CommonCloudSettings,
  InfrastructureLike,
  SettingsReaders,
} from './settings-reader.ts';

export type { CloudResource };

/** Whether a VM belongs to this cluster, and if not, why (one sentence for people). */
export type MembershipCheck = { ok: true } | { ok: false; reason: string };

/**
 * A key of peer-pods-cm or peer-pods-secret that a cloud reads. Names only: the setup checks see
 * which keys have a value, never a value.
 */
export interface CloudKey {
  name: string;
  /** Where it is set: the Secret, the ConfigMap, or either of them (the product reads both). */
  in: 'secret' | 'configMap' | 'either';
  /**
   * required: the product cannot manage the cloud without it (a failed check); recommended: the
   * cloud-api-adaptor places VMs with it (a warning when unset); optional: read when set.
   */
  need: 'required' | 'recommended' | 'optional';
  /** The value infrastructure/cluster gives instead, which makes the key unnecessary. */
  fromInfrastructure?: (infrastructure: InfrastructureLike | undefined) => string | undefined;
}

/**
 * What the platform check says of a cluster in this cloud: where its pod VMs go (a region, a
 * resource group), from infrastructure/cluster or else the ConfigMap key `key`.
 */
export interface PlatformPlacement {
  /** A key of `keys` with `fromInfrastructure`. */
  key: string;
  /** The value's name in the found sentence, e.g. `region`. */
  valueName: string;
  /** The sentence when it is known, and when it is not. */
  found: SetupTextKey;
  missing: SetupTextKey;
  /** What the fix command puts in the key, e.g. `<region>`. */
  placeholder: string;
}

/** Options of the backend's configuration for a provider: endpoints that replace a cloud's own. */
export interface CreateCloudProviderOptions {
  logger: Logger;
  /** AWS: a different EC2 endpoint (e.g. a VPC endpoint, or moto in tests). */
  awsEndpoint?: string;
  /** Azure: a different ARM endpoint / authority host (test servers), and the CA they use. */
  azureArmEndpoint?: string;
  azureAuthorityHost?: string;
  azureCaCertificates?: string;
}

/**
 * One cloud. Methods (not function properties) on purpose: a module typed with its own settings
 * is a CloudModule of any settings, and the registry only ever hands a module its own.
 */
export interface CloudModule<S extends CommonCloudSettings = CommonCloudSettings> {
  /** CLOUD_PROVIDER in peer-pods-cm, a PeerPod's spec.cloudProvider, the API's `provider`. */
  readonly id: CloudProviderName;
  /** The name people know, in messages: `AWS`. */
  readonly displayName: string;
  /** infrastructure/cluster `.status.platformStatus.type` of a cluster in this cloud. */
  readonly platformType: string;
  /** Every key this cloud reads from peer-pods-cm and peer-pods-secret, besides the shared ones. */
  readonly keys: readonly CloudKey[];
  readonly placement: PlatformPlacement;

  /** This cloud's settings, from the shared ones and the objects; throws CloudSettingsError. */
  parseSettings(input: CloudSettingsInput, readers: SettingsReaders, common: CommonCloudSettings): S;
  createProvider(settings: S, options: CreateCloudProviderOptions): CloudProvider;

  /** This cluster's identity in the cloud as far as the settings tell (the provider may complete it). */
  clusterIdentity(settings: S): ClusterIdentity;
  /** The cloud's part of "in this cluster's scope" (name, provider and TAGS are checked before). */
  checkPlacement(vm: PeerPodVm, identity: ClusterIdentity): MembershipCheck;
  /** Whether the identity tells this cluster's VMs apart well enough for cleanup to delete any. */
  checkCleanupScope(identity: ClusterIdentity): MembershipCheck;
  /** One sentence: which VMs count as this cluster's; `withTags` is ` carrying the tags … (TAGS)` or ''. */
  describeScope(identity: ClusterIdentity, withTags: string): string;

  /** What deleting this VM removes in the cloud, by the names the provider deletes: the VM first. */
  cleanupResources(vm: PeerPodVm): CloudResource[];
  /** What one deletion removed, from the provider's answer. */
  deletedResources(vm: PeerPodVm, deletion: VmDeletionResult): CloudResource[];

  /** The port-rule report's facts about where the rules go (region and groups, or NSG and subnet). */
  portRuleTarget(discovery: PortRuleDiscovery): Record<string, string>;
  /** The procedure's look-ups that found that target, as commands with the values found. */
  portRuleDiscoveryCommands(discovery: PortRuleDiscovery): string[];
  /** A rule's own name and priority, where the cloud has them. */
  portRuleName(rule: PlannedPortRule): { name: string | null; priority: number | null };
}
