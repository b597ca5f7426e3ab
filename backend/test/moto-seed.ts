// Builds an AWS world in moto through the real EC2 API: a VPC with a worker subnet and security
// group, a worker instance, and peer-pod instances named like the cloud-api-adaptor names them.
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  EC2Client,
  RunInstancesCommand,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import type { CoreV1Api } from '@kubernetes/client-node';

export const MOTO_REGION = 'us-east-2';
export const MOTO_IMAGE_ID = 'ami-0123456789abcdef0';

/** Any non-empty values work with moto; tests use them to prove secrets never leak. */
export function motoCredentials(secretSuffix = 'x') {
  return {
    accessKeyId: 'AKIATESTPEERPODS0001',
    secretAccessKey: `peerpods-test-secret-key-do-not-leak-${secretSuffix}`,
  };
}

export function motoClient(endpoint: string, credentials = motoCredentials()): EC2Client {
  return new EC2Client({ region: MOTO_REGION, endpoint, credentials, maxAttempts: 1 });
}

export interface MotoNetwork {
  vpcId: string;
  subnetId: string;
  workerGroupId: string;
  workerInstanceId: string;
  /** As the worker Node's spec.providerID would carry it. */
  workerProviderId: string;
}

export async function createWorkerNetwork(client: EC2Client): Promise<MotoNetwork> {
  const vpc = await client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const vpcId = vpc.Vpc?.VpcId ?? '';
  const subnet = await client.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.32.0/19', AvailabilityZone: `${MOTO_REGION}a` }),
  );
  const subnetId = subnet.Subnet?.SubnetId ?? '';
  const group = await client.send(
    new CreateSecurityGroupCommand({ GroupName: 'test-cluster-worker-sg', Description: 'workers', VpcId: vpcId }),
  );
  const workerGroupId = group.GroupId ?? '';
  const worker = await client.send(
    new RunInstancesCommand({
      ImageId: MOTO_IMAGE_ID,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 'm6i.xlarge',
      SubnetId: subnetId,
      SecurityGroupIds: [workerGroupId],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'test-cluster-worker-a' }] }],
    }),
  );
  const workerInstanceId = worker.Instances?.[0]?.InstanceId ?? '';
  return {
    vpcId,
    subnetId,
    workerGroupId,
    workerInstanceId,
    workerProviderId: `aws:///${MOTO_REGION}a/${workerInstanceId}`,
  };
}

export interface LaunchPodVmsOptions {
  /** VM names, one instance each. */
  names: string[];
  subnetId: string;
  /** Extra tags on every instance (TAGS of peer-pods-cm). */
  tags?: Record<string, string>;
  /** Instances per RunInstances call; default 100. */
  batchSize?: number;
  /** CreateTags calls in flight at once; default 8. */
  concurrency?: number;
  instanceType?: _InstanceType;
}

/** Launches one instance per name (RunInstances in batches), then gives each its Name tag. */
export async function launchPodVms(
  client: EC2Client,
  options: LaunchPodVmsOptions,
): Promise<{ id: string; name: string }[]> {
  const batchSize = options.batchSize ?? 100;
  const sharedTags = Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const launched: { id: string; name: string }[] = [];
  for (let start = 0; start < options.names.length; start += batchSize) {
    const names = options.names.slice(start, start + batchSize);
    const output = await client.send(
      new RunInstancesCommand({
        ImageId: MOTO_IMAGE_ID,
        MinCount: names.length,
        MaxCount: names.length,
        InstanceType: options.instanceType ?? 't3.medium',
        SubnetId: options.subnetId,
        TagSpecifications: sharedTags.length > 0 ? [{ ResourceType: 'instance', Tags: sharedTags }] : undefined,
      }),
    );
    const instances = output.Instances ?? [];
    if (instances.length !== names.length)
      throw new Error(`RunInstances returned ${instances.length} of ${names.length} instances`);
    instances.forEach((instance, index) => launched.push({ id: instance.InstanceId ?? '', name: names[index] ?? '' }));
  }
  // Each instance needs its own Name, and CreateTags gives the same tags to all its resources.
  const queue = launched.slice();
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await client.send(new CreateTagsCommand({ Resources: [next.id], Tags: [{ Key: 'Name', Value: next.name }] }));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return launched;
}

/**
 * The Secret `peer-pods-secret` and ConfigMap `peer-pods-cm` that the OpenShift sandboxed
 * containers operator expects for AWS, pointing at a moto network.
 */
export async function createAwsPeerPodsSettings(
  core: CoreV1Api,
  namespace: string,
  network: MotoNetwork,
  credentials: { accessKeyId: string; secretAccessKey: string },
  extraData: Record<string, string> = {},
): Promise<void> {
  await core.createNamespacedSecret({
    namespace,
    body: {
      metadata: { name: 'peer-pods-secret' },
      stringData: { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    },
  });
  await core.createNamespacedConfigMap({
    namespace,
    body: {
      metadata: { name: 'peer-pods-cm' },
      data: {
        CLOUD_PROVIDER: 'aws',
        AWS_REGION: MOTO_REGION,
        AWS_SUBNET_ID: network.subnetId,
        AWS_SG_IDS: network.workerGroupId,
        VXLAN_PORT: '9000',
        ...extraData,
      },
    },
  });
}
