// Builds an Azure world in the ARM test server the way the OpenShift installer leaves it: a
// resource group with the cluster's network security group, a VNet with master and worker
// subnets (both behind that NSG), one VM per worker node spread over the zones, and the vCPU
// quotas raised as installing OpenShift needs; and the peer-pods Secret and ConfigMap that point
// the cloud-api-adaptor (and the backend) at it. Pod VMs the tests add get the pod-VM gallery
// image (state.ts) and no zone, as the adaptor creates them.
import type { CoreV1Api } from '@kubernetes/client-node';
import { RHCOS_WORKER_IMAGE, type ArmServer, type ArmResource } from './server.ts';

/** Test identities; any GUIDs work with the ARM test server. */
export const ARM_TENANT_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const ARM_CLIENT_ID = '99999999-8888-4777-8666-555555555555';

/** A client secret that tests search for to prove it never leaks. */
export function armClientSecret(suffix = 'x'): string {
  return `Q8~peerpods-azure-client-secret-do-not-leak-${suffix}`;
}

export interface AzureWorkerNetwork {
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  nsgId: string;
  nsgName: string;
  vnetName: string;
  workerSubnetId: string;
  workerSubnetPrefix: string;
  /** spec.providerID of each worker node, in order (azure:///subscriptions/…/virtualMachines/<node>). */
  workerProviderIds: string[];
}

export interface AzureWorkerNetworkOptions {
  resourceGroup: string;
  /** Prefix of the NSG / VNet / subnet names, as the installer names them after the cluster. */
  clusterName: string;
  /** Worker node names; one VM each, its NIC in the worker subnet. */
  workerNames: string[];
}

export function createAzureWorkerNetwork(arm: ArmServer, options: AzureWorkerNetworkOptions): AzureWorkerNetwork {
  const { state } = arm;
  const { resourceGroup: rg, clusterName } = options;
  const nsgName = `${clusterName}-nsg`;
  const vnetName = `${clusterName}-vnet`;
  const workerSubnetPrefix = '10.0.128.0/17';
  // The installer's own rules; priorities 111 and 112 stay free for the peer-pods rules.
  const nsg = state.addNetworkSecurityGroup(rg, nsgName, [
    { name: 'apiserver_in', priority: 101, destinationPortRange: '6443' },
    { name: 'allow-ssh-from-bastion', priority: 120, sourceAddressPrefix: '10.0.0.4', destinationPortRange: '22' },
  ]);
  const vnet: ArmResource = state.addVirtualNetwork(rg, vnetName, {
    addressPrefixes: ['10.0.0.0/16'],
    subnets: [
      { name: `${clusterName}-master-subnet`, addressPrefix: '10.0.0.0/17', nsgName },
      { name: `${clusterName}-worker-subnet`, addressPrefix: workerSubnetPrefix, nsgName },
    ],
  });
  const workerSubnetId = `${vnet.id}/subnets/${clusterName}-worker-subnet`;
  // OpenShift's installation guide asks for at least 40 regional vCPUs; an admin who installed a
  // cluster asked for room: 100 in all, 100 for the nodes' Dsv5 family. Pod-VM families keep the
  // subscription's defaults (state.ts).
  state.setUsageLimit(state.location, 'cores', 100);
  state.setUsageLimit(state.location, 'standardDSv5Family', 100);
  const workerProviderIds = options.workerNames.map((name, index) => {
    const vm = state.addVirtualMachine(rg, {
      name,
      vmSize: 'Standard_D4s_v5',
      withDisk: false,
      subnetId: workerSubnetId,
      zones: [String((index % 3) + 1)],
      image: RHCOS_WORKER_IMAGE,
    });
    return `azure://${vm.id}`;
  });
  return {
    subscriptionId: state.subscriptionId,
    resourceGroup: rg,
    location: state.location,
    nsgId: nsg.id,
    nsgName,
    vnetName,
    workerSubnetId,
    workerSubnetPrefix,
    workerProviderIds,
  };
}

/**
 * The Secret `peer-pods-secret` and ConfigMap `peer-pods-cm` that the OpenShift sandboxed
 * containers operator expects for Azure, pointing at the ARM test server's network.
 */
export async function createAzurePeerPodsSettings(
  core: CoreV1Api,
  namespace: string,
  network: AzureWorkerNetwork,
  credentials: { tenantId: string; clientId: string; clientSecret: string },
  extraData: Record<string, string> = {},
): Promise<void> {
  await core.createNamespacedSecret({
    namespace,
    body: {
      metadata: { name: 'peer-pods-secret' },
      stringData: {
        AZURE_CLIENT_ID: credentials.clientId,
        AZURE_CLIENT_SECRET: credentials.clientSecret,
        AZURE_TENANT_ID: credentials.tenantId,
        AZURE_SUBSCRIPTION_ID: network.subscriptionId,
      },
    },
  });
  await core.createNamespacedConfigMap({
    namespace,
    body: {
      metadata: { name: 'peer-pods-cm' },
      data: {
        CLOUD_PROVIDER: 'azure',
        AZURE_SUBSCRIPTION_ID: network.subscriptionId,
        AZURE_REGION: network.location,
        AZURE_RESOURCE_GROUP: network.resourceGroup,
        AZURE_SUBNET_ID: network.workerSubnetId,
        AZURE_NSG_ID: network.nsgId,
        AZURE_INSTANCE_SIZE: 'Standard_B2als_v2',
        VXLAN_PORT: '9000',
        ...extraData,
      },
    },
  });
}
