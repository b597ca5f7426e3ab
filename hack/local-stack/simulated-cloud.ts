// The local stack's cloud: a real EC2 API (moto) for --platform aws, the ARM + Entra ID test
// server for --platform azure. Each holds one VM per worker node in the workers' security group
// or NSG and one peer-pod VM that no pod claims (the orphan), writes the peer-pods Secret and
// ConfigMap into the cluster, and tells the backend where the cloud is. Both sides are spoken to over their real
// HTTP APIs by the backend; only the seeding here goes straight to the servers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { startMotoServer } from '../../backend/test/moto.ts';
import {
  createAwsPeerPodsSettings,
  createWorkerNetwork,
  launchPodVms,
  motoClient,
  motoCredentials,
  MOTO_IMAGE_ID,
  MOTO_REGION,
} from '../../backend/test/moto-seed.ts';
import { startArmServer } from '../../backend/test/arm-server/server.ts';
import {
  ARM_CLIENT_ID,
  ARM_TENANT_ID,
  armClientSecret,
  createAzurePeerPodsSettings,
  createAzureWorkerNetwork,
} from '../../backend/test/arm-server/seed.ts';
import {
  AZURE_RESOURCE_GROUP,
  AZURE_SUBSCRIPTION,
  OPERATOR_NAMESPACE,
  type InfrastructureOptions,
  type Platform,
} from '../controlplane/fixtures.ts';

/** The peer-pod VM nobody claims: the cloud-api-adaptor created it, then its pod went away. */
export const ORPHAN_VM_NAME = 'podvm-forgotten-job-0badc0de';

/** The pod VM sizes the demo's peer-pods-cm names: the default, and the allowed list annotations pick from. */
export const DEMO_SIZES = {
  aws: { default: 't3.medium', allowed: ['t3.medium', 'm6a.large', 'm6a.xlarge'] },
  azure: { default: 'Standard_DC2as_v5', allowed: ['Standard_DC2as_v5', 'Standard_DC4as_v5'] },
} as const;

/** The vCPU quotas of the demo accounts: the Standard On-Demand quota on AWS, the DCasv5 family on Azure. */
export const DEMO_AWS_QUOTA = { code: 'L-1216C47A', vcpus: 64 } as const;
export const DEMO_AZURE_QUOTA = { family: 'standardDCASv5Family', vcpus: 48 } as const;

export interface SimulatedCloud {
  platform: Platform;
  /** spec.providerID of each worker node, in order. */
  workerProviderIds: string[];
  /** Labels the worker nodes get from their cloud (zone). */
  workerLabels: Record<string, string>;
  infrastructure: InfrastructureOptions;
  /** Environment for the backend: cloud endpoints and the trust they need. */
  backendEnv: Record<string, string>;
  /** Writes the Secret `peer-pods-secret` and ConfigMap `peer-pods-cm` that point at this cloud. */
  writePeerPodsSettings(kc: KubeConfig): Promise<void>;
  /** Creates a peer-pod VM as the cloud-api-adaptor does; returns the id a PeerPod records. */
  launchPodVm(name: string): Promise<string>;
  /** One line for the start banner. */
  summary: string;
  /** Addresses tests need to look at the cloud themselves. */
  details: Record<string, string>;
  stop(): Promise<void>;
}

export interface SimulatedCloudOptions {
  platform: Platform;
  workerNames: string[];
  /** Directory for files the backend reads (the ARM server's CA). */
  stateDir: string;
}

export async function startSimulatedCloud(options: SimulatedCloudOptions): Promise<SimulatedCloud> {
  return options.platform === 'aws' ? startSimulatedAws(options) : startSimulatedAzure(options);
}

async function startSimulatedAws(options: SimulatedCloudOptions): Promise<SimulatedCloud> {
  // The account's Standard On-Demand quota as an admin would have raised it once: room for some
  // peer-pod VMs, fewer than the demo's limits promise (the Capacity tab's warning).
  const moto = await startMotoServer({ ec2Quotas: { [DEMO_AWS_QUOTA.code]: DEMO_AWS_QUOTA.vcpus } });
  try {
    const credentials = motoCredentials('local-demo');
    const ec2 = motoClient(moto.endpoint, credentials);
    const network = await createWorkerNetwork(ec2);
    const count = options.workerNames.length;
    const workerProviderIds = [network.workerProviderId];
    if (count > 1) {
      const more = await ec2.send(
        new RunInstancesCommand({
          ImageId: MOTO_IMAGE_ID,
          MinCount: count - 1,
          MaxCount: count - 1,
          InstanceType: 'm6i.xlarge',
          SubnetId: network.subnetId,
          SecurityGroupIds: [network.workerGroupId],
        }),
      );
      for (const instance of more.Instances ?? []) {
        workerProviderIds.push(`aws:///${MOTO_REGION}a/${instance.InstanceId}`);
      }
    }
    await launchPodVms(ec2, { names: [ORPHAN_VM_NAME], subnetId: network.subnetId });
    return {
      platform: 'aws',
      workerProviderIds: workerProviderIds.slice(0, count),
      workerLabels: { 'topology.kubernetes.io/region': MOTO_REGION, 'topology.kubernetes.io/zone': `${MOTO_REGION}a` },
      infrastructure: { platform: 'aws', region: MOTO_REGION },
      backendEnv: { AWS_ENDPOINT_URL: moto.endpoint },
      writePeerPodsSettings: (kc) =>
        createAwsPeerPodsSettings(kc.makeApiClient(CoreV1Api), OPERATOR_NAMESPACE, network, credentials, {
          PEERPODS_LIMIT_PER_NODE: '10',
          PODVM_INSTANCE_TYPE: DEMO_SIZES.aws.default,
          PODVM_INSTANCE_TYPES: DEMO_SIZES.aws.allowed.join(','),
        }),
      async launchPodVm(name) {
        const [vm] = await launchPodVms(ec2, {
          names: [name],
          subnetId: network.subnetId,
          instanceType: DEMO_SIZES.aws.default,
        });
        return vm!.id;
      },
      summary: `moto EC2 ${moto.endpoint} (${MOTO_REGION}): ${count} worker instances in security group ${network.workerGroupId}, orphan VM ${ORPHAN_VM_NAME}`,
      details: {
        endpoint: moto.endpoint,
        region: MOTO_REGION,
        securityGroupId: network.workerGroupId,
        subnetId: network.subnetId,
      },
      stop: () => moto.stop(),
    };
  } catch (err) {
    await moto.stop();
    throw err;
  }
}

async function startSimulatedAzure(options: SimulatedCloudOptions): Promise<SimulatedCloud> {
  const clientSecret = armClientSecret('local-demo');
  const arm = await startArmServer({
    subscriptionId: AZURE_SUBSCRIPTION,
    tenantId: ARM_TENANT_ID,
    clientId: ARM_CLIENT_ID,
    clientSecret,
  });
  try {
    const network = createAzureWorkerNetwork(arm, {
      resourceGroup: AZURE_RESOURCE_GROUP,
      clusterName: 'peerpods-local',
      workerNames: options.workerNames,
    });
    arm.state.setUsageLimit(network.location, DEMO_AZURE_QUOTA.family, DEMO_AZURE_QUOTA.vcpus);
    // Created three hours ago by an adaptor that then lost its pod: past any grace period.
    arm.state.addVirtualMachine(AZURE_RESOURCE_GROUP, {
      name: ORPHAN_VM_NAME,
      vmSize: DEMO_SIZES.azure.default,
      timeCreated: new Date(Date.now() - 3 * 3600_000),
      subnetId: network.workerSubnetId,
    });
    // The backend trusts the test CA through Node's own extra-CA mechanism, as it would trust a
    // corporate proxy's CA; nothing in the backend knows it talks to a test server.
    const caFile = join(options.stateDir, 'arm-test-ca.pem');
    writeFileSync(caFile, arm.caCertificate);
    return {
      platform: 'azure',
      workerProviderIds: network.workerProviderIds,
      workerLabels: { 'topology.kubernetes.io/region': network.location },
      infrastructure: { platform: 'azure', resourceGroupName: AZURE_RESOURCE_GROUP },
      backendEnv: {
        AZURE_ARM_ENDPOINT: arm.endpoint,
        AZURE_AUTHORITY_HOST: arm.authorityHost,
        NODE_EXTRA_CA_CERTS: caFile,
      },
      writePeerPodsSettings: (kc) =>
        createAzurePeerPodsSettings(
          kc.makeApiClient(CoreV1Api),
          OPERATOR_NAMESPACE,
          network,
          { tenantId: ARM_TENANT_ID, clientId: ARM_CLIENT_ID, clientSecret },
          {
            PEERPODS_LIMIT_PER_NODE: '10',
            AZURE_INSTANCE_SIZE: DEMO_SIZES.azure.default,
            AZURE_INSTANCE_SIZES: DEMO_SIZES.azure.allowed.join(','),
          },
        ),
      async launchPodVm(name) {
        return arm.state.addVirtualMachine(AZURE_RESOURCE_GROUP, {
          name,
          vmSize: DEMO_SIZES.azure.default,
          subnetId: network.workerSubnetId,
        }).id;
      },
      summary: `ARM test server ${arm.endpoint}: resource group ${AZURE_RESOURCE_GROUP}, ${options.workerNames.length} worker VMs behind NSG ${network.nsgName}, orphan VM ${ORPHAN_VM_NAME}`,
      details: {
        endpoint: arm.endpoint,
        caFile,
        subscriptionId: network.subscriptionId,
        resourceGroup: network.resourceGroup,
        nsgName: network.nsgName,
        tenantId: ARM_TENANT_ID,
        clientId: ARM_CLIENT_ID,
      },
      stop: () => arm.stop(),
    };
  } catch (err) {
    await arm.stop();
    throw err;
  }
}
