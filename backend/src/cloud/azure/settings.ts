// Azure settings: the subscription (ConfigMap or Secret), the pod-VM and network resource groups
// (AZURE_RESOURCE_GROUP, else infrastructure/cluster), the cluster's Azure cloud and its endpoints,
// and the service principal from the Secret.
import {
  CloudSettingsError,
  SecretValue,
  type CloudSettingsInput,
  type CommonCloudSettings,
  type InfrastructureLike,
  type SettingsReaders,
} from '../settings-reader.ts';

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

/** `.status.platformStatus.azure` of infrastructure/cluster. */
interface AzurePlatformStatus {
  resourceGroupName?: string;
  networkResourceGroupName?: string;
  cloudName?: string;
  armEndpoint?: string;
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
const ARM_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/.+$/i;
const RESOURCE_GROUP = /^[-\w.()]{1,90}$/;

function azureStatus(infrastructure: InfrastructureLike | undefined): AzurePlatformStatus | undefined {
  return infrastructure?.status?.platformStatus?.azure as AzurePlatformStatus | undefined;
}

/** `.status.platformStatus.azure.resourceGroupName` of infrastructure/cluster. */
export function infrastructureResourceGroup(infrastructure: InfrastructureLike | undefined): string | undefined {
  return azureStatus(infrastructure)?.resourceGroupName?.trim() || undefined;
}

export function parseAzureSettings(
  input: CloudSettingsInput,
  { configMap, secret }: SettingsReaders,
  common: CommonCloudSettings,
): AzureCloudSettings {
  const status = azureStatus(input.infrastructure);
  const subscriptionFromMap = configMap.optional('AZURE_SUBSCRIPTION_ID');
  const subscriptionFromSecret = secret.optional('AZURE_SUBSCRIPTION_ID');
  if (subscriptionFromMap && subscriptionFromSecret && subscriptionFromMap !== subscriptionFromSecret) {
    throw new CloudSettingsError(
      'AZURE_SUBSCRIPTION_ID',
      `${configMap.ref} and ${secret.ref}`,
      'differs between the two objects; keep one, or make them equal',
    );
  }
  const subscriptionId = subscriptionFromMap ?? subscriptionFromSecret;
  if (!subscriptionId) {
    throw new CloudSettingsError(
      'AZURE_SUBSCRIPTION_ID',
      `${configMap.ref} (or ${secret.ref})`,
      'is missing; add the subscription id',
    );
  }
  (subscriptionFromMap ? configMap : secret).matching(
    'AZURE_SUBSCRIPTION_ID',
    subscriptionId,
    GUID,
    'a subscription id (a GUID)',
  );

  const clusterResourceGroup = status?.resourceGroupName?.trim();
  const resourceGroup = configMap.orInfrastructure(
    'AZURE_RESOURCE_GROUP',
    clusterResourceGroup,
    '.status.platformStatus.azure.resourceGroupName',
  );
  configMap.matching('AZURE_RESOURCE_GROUP', resourceGroup, RESOURCE_GROUP, 'a resource group name');

  const cloudName = status?.cloudName ?? 'AzurePublicCloud';
  const knownCloud = AZURE_CLOUDS[cloudName];
  const armEndpoint = status?.armEndpoint?.replace(/\/+$/, '') ?? knownCloud?.armEndpoint;
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
    networkResourceGroup: status?.networkResourceGroupName?.trim() || clusterResourceGroup || resourceGroup,
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
