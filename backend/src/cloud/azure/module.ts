// Azure as a cloud module: the keys the cloud-api-adaptor reads on Azure, which VMs are this
// cluster's (the pod-VM resource group, AZURE_SUBNET_ID, TAGS), the ARM provider, and what deleting
// a peer-pod VM removes (the VM, its NIC and its OS disk).
import { CloudConflictError } from '../errors.ts';
import type { CloudModule } from '../module.ts';
import type { PortRuleDiscovery } from '../provider.ts';
import { azureDiscoveryCommands } from './port-rules.ts';
import { AzureCloudProvider } from './provider.ts';
import { podVmResources } from './resources.ts';
import { infrastructureResourceGroup, parseAzureSettings, type AzureCloudSettings } from './settings.ts';

export const azureCloudModule: CloudModule<AzureCloudSettings> = {
  id: 'azure',
  displayName: 'Azure',
  platformType: 'Azure',
  keys: [
    { name: 'AZURE_CLIENT_ID', in: 'secret', need: 'required' },
    { name: 'AZURE_CLIENT_SECRET', in: 'secret', need: 'required' },
    { name: 'AZURE_TENANT_ID', in: 'secret', need: 'required' },
    { name: 'AZURE_SUBSCRIPTION_ID', in: 'either', need: 'required' },
    {
      name: 'AZURE_RESOURCE_GROUP',
      in: 'configMap',
      need: 'required',
      fromInfrastructure: infrastructureResourceGroup,
    },
    { name: 'AZURE_REGION', in: 'configMap', need: 'recommended' },
    { name: 'AZURE_SUBNET_ID', in: 'configMap', need: 'recommended' },
    { name: 'AZURE_NSG_ID', in: 'configMap', need: 'recommended' },
    { name: 'AZURE_INSTANCE_SIZE', in: 'configMap', need: 'optional' },
    { name: 'AZURE_INSTANCE_SIZES', in: 'configMap', need: 'optional' },
  ],
  placement: {
    key: 'AZURE_RESOURCE_GROUP',
    valueName: 'resourceGroup',
    found: 'platformAzure',
    missing: 'platformAzureNoResourceGroup',
    placeholder: '<resource group>',
  },

  parseSettings: parseAzureSettings,

  createProvider(settings, options) {
    return new AzureCloudProvider({
      subscriptionId: settings.subscriptionId,
      resourceGroup: settings.resourceGroup,
      networkResourceGroup: settings.networkResourceGroup,
      tenantId: settings.credentials.tenantId.reveal(),
      clientId: settings.credentials.clientId.reveal(),
      clientSecret: settings.credentials.clientSecret.reveal(),
      // An override only when one is set: otherwise the endpoints of the cluster's own Azure cloud.
      armEndpoint: options.azureArmEndpoint || settings.armEndpoint,
      authorityHost: options.azureAuthorityHost || settings.authorityHost,
      caCertificates: options.azureCaCertificates,
      nsgId: settings.nsgId,
      region: settings.region,
      credentialsSource: settings.secretRef,
      logger: options.logger,
    });
  },

  clusterIdentity(settings) {
    return {
      provider: 'azure',
      tags: settings.tags,
      resourceGroup: settings.resourceGroup,
      subnetId: settings.subnetId,
    };
  },

  // The adaptor creates each VM in AZURE_RESOURCE_GROUP, its NIC in AZURE_SUBNET_ID.
  checkPlacement(vm, identity) {
    if (!identity.resourceGroup || vm.resourceGroup?.toLowerCase() !== identity.resourceGroup.toLowerCase()) {
      return { ok: false, reason: 'The VM is not in the pod-VM resource group of this cluster.' };
    }
    if (identity.subnetId && vm.subnetId?.toLowerCase() !== identity.subnetId.toLowerCase()) {
      return { ok: false, reason: 'The VM’s network interface is not in AZURE_SUBNET_ID of peer-pods-cm.' };
    }
    return { ok: true };
  },

  // A resource group is the cluster's own: the scope is enough.
  checkCleanupScope() {
    return { ok: true };
  },

  describeScope(identity, withTags) {
    const subnet = identity.subnetId ? ` whose network interface is in ${identity.subnetId} (AZURE_SUBNET_ID)` : '';
    return `Peer-pod VMs in resource group ${identity.resourceGroup ?? '(none)'}${subnet}${withTags}.`;
  },

  cleanupResources(vm) {
    return podVmResources(vm.name);
  },

  // The provider answers with the ids (or, when ARM gave none, the names) of what it deleted.
  deletedResources(vm, deletion) {
    const deleted = new Set(deletion.deleted.map((id) => (id.split('/').pop() ?? id).toLowerCase()));
    return podVmResources(vm.name).filter((resource) => deleted.has(resource.name.toLowerCase()));
  },

  portRuleTarget(discovery) {
    const azure = azureDiscovery(discovery);
    return {
      resourceGroup: azure.resourceGroup,
      networkSecurityGroup: azure.nsg.name,
      virtualNetwork: azure.vnet.name,
      subnet: `${azure.subnet.name} (${azure.subnet.addressPrefix})`,
    };
  },

  portRuleDiscoveryCommands(discovery) {
    return azureDiscoveryCommands(azureDiscovery(discovery));
  },

  portRuleName(rule) {
    return { name: rule.azure?.ruleName ?? null, priority: rule.azure?.priority ?? null };
  },
};

function azureDiscovery(discovery: PortRuleDiscovery) {
  if (discovery.provider !== 'azure') {
    throw new CloudConflictError('This needs an Azure discovery.', { provider: 'azure' });
  }
  return discovery;
}
