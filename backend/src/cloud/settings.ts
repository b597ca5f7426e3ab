// Cloud settings, parsed once from the objects the cluster holds: the ConfigMap `peer-pods-cm`,
// the Secret `peer-pods-secret` (base64 data) and `infrastructure/cluster` (platform, region,
// resource group). Pure: the caller reads the objects (and re-parses when they change).
// A missing or bad key is an error that names the key and the object and never shows the value.
// Every value from the Secret is wrapped in SecretValue, which prints as "[redacted]".
import { inspect } from 'node:util';
import { CloudConfigError, type CloudProviderName } from './errors.ts';
import { DEFAULT_VXLAN_PORT } from './port-rules.ts';

export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plain value, for handing to an SDK credential and nowhere else. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'SecretValue([redacted])';
  }
}

/** A ConfigMap or Secret as the Kubernetes API returns it (only the fields used here). */
export interface KeyValueObject {
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string | undefined>;
}

export interface InfrastructureLike {
  status?: {
    platform?: string;
    platformStatus?: {
      type?: string;
      aws?: { region?: string };
      azure?: {
        resourceGroupName?: string;
        networkResourceGroupName?: string;
        cloudName?: string;
        armEndpoint?: string;
      };
    };
  };
}

export interface CloudSettingsInput {
  configMap: KeyValueObject;
  secret: KeyValueObject;
  /** `infrastructure/cluster`; optional, but needed when the ConfigMap leaves region / resource group out. */
  infrastructure?: InfrastructureLike;
}

interface CommonCloudSettings {
  /** e.g. `ConfigMap openshift-sandboxed-containers-operator/peer-pods-cm`, for messages. */
  configMapRef: string;
  secretRef: string;
  vxlanPort: number;
  limitPerNode?: number;
  /** TAGS from the ConfigMap (`k1=v1,k2=v2`): the cloud-api-adaptor puts them on every pod VM. */
  tags: Record<string, string>;
}

export interface AwsCloudSettings extends CommonCloudSettings {
  provider: 'aws';
  region: string;
  subnetId?: string;
  securityGroupIds: string[];
  instanceType?: string;
  amiId?: string;
  credentials: { accessKeyId: SecretValue; secretAccessKey: SecretValue; sessionToken?: SecretValue };
}

export interface AzureCloudSettings extends CommonCloudSettings {
  provider: 'azure';
  subscriptionId: string;
  region?: string;
  /** Where the cloud-api-adaptor creates pod VMs (AZURE_RESOURCE_GROUP, else the cluster's group). */
  resourceGroup: string;
  /** Where the cluster's NSG and VNet live: infrastructure networkResourceGroupName, else resourceGroupName. */
  networkResourceGroup: string;
  subnetId?: string;
  nsgId?: string;
  instanceSize?: string;
  armEndpoint: string;
  authorityHost: string;
  credentials: { tenantId: SecretValue; clientId: SecretValue; clientSecret: SecretValue };
}

export type CloudSettings = AwsCloudSettings | AzureCloudSettings;

/** A key of the ConfigMap, Secret or Infrastructure is missing or malformed. */
export class CloudSettingsError extends CloudConfigError {
  readonly key: string;
  readonly object: string;

  constructor(key: string, object: string, problem: string) {
    super(`${object}: key ${key} ${problem}`);
    this.name = 'CloudSettingsError';
    this.key = key;
    this.object = object;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), key: this.key, object: this.object };
  }
}

const AZURE_CLOUDS: Record<string, { armEndpoint: string; authorityHost: string }> = {
  AzurePublicCloud: { armEndpoint: 'https://management.azure.com', authorityHost: 'https://login.microsoftonline.com' },
  AzureUSGovernmentCloud: {
    armEndpoint: 'https://management.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
  },
  AzureChinaCloud: {
    armEndpoint: 'https://management.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
  },
};

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TENANT =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\.[A-Za-z]{2,})$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ARM_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/.+$/i;
const RESOURCE_GROUP = /^[-\w.()]{1,90}$/;

function objectRef(kind: 'ConfigMap' | 'Secret', object: KeyValueObject, fallbackName: string): string {
  const name = object.metadata?.name ?? fallbackName;
  const namespace = object.metadata?.namespace;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

class KeyReader {
  constructor(
    private readonly values: Record<string, string | undefined>,
    readonly ref: string,
  ) {}

  optional(key: string): string | undefined {
    const value = this.values[key]?.trim();
    return value ? value : undefined;
  }

  required(key: string, hint: string): string {
    const value = this.optional(key);
    if (value === undefined) throw new CloudSettingsError(key, this.ref, `is missing or empty; ${hint}`);
    return value;
  }

  matching(key: string, value: string | undefined, pattern: RegExp, expected: string): string | undefined {
    if (value !== undefined && !pattern.test(value)) {
      throw new CloudSettingsError(key, this.ref, `is not ${expected}`);
    }
    return value;
  }
}

function decodeSecretData(secret: KeyValueObject, ref: string): Record<string, string | undefined> {
  const decoded: Record<string, string | undefined> = {};
  for (const [key, encoded] of Object.entries(secret.data ?? {})) {
    if (encoded === undefined) continue;
    const compact = encoded.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
      throw new CloudSettingsError(key, ref, 'is not valid base64 (Secret data must be base64-encoded)');
    }
    decoded[key] = Buffer.from(compact, 'base64').toString('utf8');
  }
  return decoded;
}

function parsePort(reader: KeyReader, key: string, fallback: number): number {
  const raw = reader.optional(key);
  if (raw === undefined) return fallback;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw new CloudSettingsError(key, reader.ref, 'is not a port number from 1 to 65535');
  return port;
}

/**
 * Ports of the worker nodes that VXLAN_PORT must not take: the cluster network's own VXLAN
 * (4789, OpenShift SDN) and Geneve (6081, OVN-Kubernetes) ports, and the kata-agent port 15150
 * that peer pods need beside it.
 */
const TAKEN_VXLAN_PORTS = new Map([
  [4789, "the cluster network's VXLAN port"],
  [6081, "OVN-Kubernetes' Geneve port"],
  [15150, 'the kata-agent port peer pods also need'],
]);

function parseVxlanPort(reader: KeyReader, fallback: number): number {
  const port = parsePort(reader, 'VXLAN_PORT', fallback);
  const taken = TAKEN_VXLAN_PORTS.get(port);
  if (taken) {
    throw new CloudSettingsError(
      'VXLAN_PORT',
      reader.ref,
      `is ${port}, ${taken}; peer pods need a port of their own, e.g. ${fallback} (the default)`,
    );
  }
  return port;
}

function parseCount(reader: KeyReader, key: string): number | undefined {
  const raw = reader.optional(key);
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw new CloudSettingsError(key, reader.ref, 'is not a non-negative whole number');
  return Number(raw);
}

/** TAGS: `key1=value1,key2=value2`, as the cloud-api-adaptor reads it. */
export function parseTags(raw: string | undefined, ref = 'ConfigMap peer-pods-cm'): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!raw) return tags;
  for (const pair of raw.split(',')) {
    if (!pair.trim()) continue;
    const equals = pair.indexOf('=');
    const key = (equals < 0 ? '' : pair.slice(0, equals)).trim();
    if (!key) throw new CloudSettingsError('TAGS', ref, 'is not a comma-separated list of key=value pairs');
    tags[key] = pair.slice(equals + 1).trim();
  }
  return tags;
}

function infrastructurePlatform(
  infrastructure: InfrastructureLike | undefined,
): CloudProviderName | 'other' | undefined {
  const type = infrastructure?.status?.platformStatus?.type ?? infrastructure?.status?.platform;
  if (!type) return undefined;
  if (type === 'AWS') return 'aws';
  if (type === 'Azure') return 'azure';
  return 'other';
}

export function parseCloudSettings(input: CloudSettingsInput): CloudSettings {
  const configMap = new KeyReader(input.configMap.data ?? {}, objectRef('ConfigMap', input.configMap, 'peer-pods-cm'));
  const secretRef = objectRef('Secret', input.secret, 'peer-pods-secret');
  const secret = new KeyReader(decodeSecretData(input.secret, secretRef), secretRef);

  const providerValue = configMap.required('CLOUD_PROVIDER', 'set it to aws or azure').toLowerCase();
  if (providerValue !== 'aws' && providerValue !== 'azure') {
    throw new CloudSettingsError('CLOUD_PROVIDER', configMap.ref, 'must be aws or azure');
  }
  const platform = infrastructurePlatform(input.infrastructure);
  // Another platform (None, BareMetal…) is left to the setup checklist; the other cloud is a mistake.
  if ((platform === 'aws' || platform === 'azure') && platform !== providerValue) {
    throw new CloudSettingsError(
      'CLOUD_PROVIDER',
      configMap.ref,
      'names a different cloud than infrastructure/cluster .status.platformStatus.type; peer pods run in the cluster’s own cloud',
    );
  }

  const common: CommonCloudSettings = {
    configMapRef: configMap.ref,
    secretRef,
    vxlanPort: parseVxlanPort(configMap, DEFAULT_VXLAN_PORT),
    limitPerNode: parseCount(configMap, 'PEERPODS_LIMIT_PER_NODE'),
    tags: parseTags(configMap.optional('TAGS'), configMap.ref),
  };

  if (providerValue === 'aws') {
    const region =
      configMap.optional('AWS_REGION') ?? input.infrastructure?.status?.platformStatus?.aws?.region?.trim();
    if (!region) {
      throw new CloudSettingsError(
        'AWS_REGION',
        configMap.ref,
        'is missing and infrastructure/cluster has no .status.platformStatus.aws.region; set AWS_REGION',
      );
    }
    configMap.matching('AWS_REGION', region, AWS_REGION, 'an AWS region name such as us-east-2');
    const securityGroupIds = (configMap.optional('AWS_SG_IDS') ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    for (const id of securityGroupIds) {
      configMap.matching('AWS_SG_IDS', id, /^sg-[0-9a-zA-Z]+$/, 'a comma-separated list of security group ids (sg-…)');
    }
    const sessionToken = secret.optional('AWS_SESSION_TOKEN');
    return {
      ...common,
      provider: 'aws',
      region,
      subnetId: configMap.matching(
        'AWS_SUBNET_ID',
        configMap.optional('AWS_SUBNET_ID'),
        /^subnet-[0-9a-zA-Z]+$/,
        'a subnet id (subnet-…)',
      ),
      securityGroupIds,
      instanceType: configMap.optional('PODVM_INSTANCE_TYPE'),
      amiId: configMap.matching(
        'PODVM_AMI_ID',
        configMap.optional('PODVM_AMI_ID'),
        /^ami-[0-9a-zA-Z]+$/,
        'an AMI id (ami-…)',
      ),
      credentials: {
        accessKeyId: new SecretValue(secret.required('AWS_ACCESS_KEY_ID', 'add the access key id of the IAM user')),
        secretAccessKey: new SecretValue(
          secret.required('AWS_SECRET_ACCESS_KEY', 'add the secret access key of the IAM user'),
        ),
        sessionToken: sessionToken === undefined ? undefined : new SecretValue(sessionToken),
      },
    };
  }

  const azureStatus = input.infrastructure?.status?.platformStatus?.azure;
  const subscriptionFromMap = configMap.optional('AZURE_SUBSCRIPTION_ID');
  const subscriptionFromSecret = secret.optional('AZURE_SUBSCRIPTION_ID');
  if (subscriptionFromMap && subscriptionFromSecret && subscriptionFromMap !== subscriptionFromSecret) {
    throw new CloudSettingsError(
      'AZURE_SUBSCRIPTION_ID',
      `${configMap.ref} and ${secretRef}`,
      'differs between the two objects; keep one, or make them equal',
    );
  }
  const subscriptionId = subscriptionFromMap ?? subscriptionFromSecret;
  if (!subscriptionId) {
    throw new CloudSettingsError(
      'AZURE_SUBSCRIPTION_ID',
      `${configMap.ref} (or ${secretRef})`,
      'is missing; add the subscription id',
    );
  }
  (subscriptionFromMap ? configMap : secret).matching(
    'AZURE_SUBSCRIPTION_ID',
    subscriptionId,
    GUID,
    'a subscription id (a GUID)',
  );

  const clusterResourceGroup = azureStatus?.resourceGroupName?.trim();
  const resourceGroup = configMap.optional('AZURE_RESOURCE_GROUP') ?? clusterResourceGroup;
  if (!resourceGroup) {
    throw new CloudSettingsError(
      'AZURE_RESOURCE_GROUP',
      configMap.ref,
      'is missing and infrastructure/cluster has no .status.platformStatus.azure.resourceGroupName; set AZURE_RESOURCE_GROUP',
    );
  }
  configMap.matching('AZURE_RESOURCE_GROUP', resourceGroup, RESOURCE_GROUP, 'a resource group name');

  const cloudName = azureStatus?.cloudName ?? 'AzurePublicCloud';
  const knownCloud = AZURE_CLOUDS[cloudName];
  const armEndpoint = azureStatus?.armEndpoint?.replace(/\/+$/, '') ?? knownCloud?.armEndpoint;
  const authorityHost = knownCloud?.authorityHost;
  if (!armEndpoint || !authorityHost) {
    throw new CloudSettingsError(
      'status.platformStatus.azure.cloudName',
      'infrastructure/cluster',
      'names an Azure cloud this console does not support (supported: AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud)',
    );
  }

  const tenantId = secret.required('AZURE_TENANT_ID', 'add the Microsoft Entra tenant id');
  secret.matching('AZURE_TENANT_ID', tenantId, TENANT, 'a tenant id (a GUID or a domain name)');
  const clientId = secret.required('AZURE_CLIENT_ID', 'add the application (client) id of the service principal');
  secret.matching('AZURE_CLIENT_ID', clientId, GUID, 'an application (client) id (a GUID)');

  return {
    ...common,
    provider: 'azure',
    subscriptionId,
    region: configMap.optional('AZURE_REGION'),
    resourceGroup,
    networkResourceGroup: azureStatus?.networkResourceGroupName?.trim() || clusterResourceGroup || resourceGroup,
    subnetId: configMap.matching(
      'AZURE_SUBNET_ID',
      configMap.optional('AZURE_SUBNET_ID'),
      ARM_ID,
      'a subnet resource id',
    ),
    nsgId: configMap.matching(
      'AZURE_NSG_ID',
      configMap.optional('AZURE_NSG_ID'),
      ARM_ID,
      'a network security group resource id',
    ),
    instanceSize: configMap.optional('AZURE_INSTANCE_SIZE'),
    armEndpoint,
    authorityHost,
    credentials: {
      tenantId: new SecretValue(tenantId),
      clientId: new SecretValue(clientId),
      clientSecret: new SecretValue(
        secret.required('AZURE_CLIENT_SECRET', 'add a client secret of the service principal'),
      ),
    },
  };
}
