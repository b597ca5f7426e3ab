// The AWS side of "how many more peer-pod VMs can the account start", against a real moto_server
// (Service Quotas taught EC2's On-Demand quotas by backend/test/moto.ts) reached through the fault
// proxy: sizes from DescribeInstanceTypes, the quota's limit (applied or AWS default), the vCPUs the
// region's On-Demand instances hold, and a refused read named as the permission to grant.
import { RunInstancesCommand, StopInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsAction, ec2Error, type FaultProxy, type ProxiedRequest } from '../../../test/fault-proxy.ts';
import { memoryLogger } from '../../../test/memory-logger.ts';
import {
  launchPodVms,
  motoCredentials,
  MOTO_IMAGE_ID,
  MOTO_REGION,
  type MotoNetwork,
} from '../../../test/moto-seed.ts';
import { motoTestProvider, startMotoBehindProxy, type MotoBehindProxy } from '../test/aws-provider.ts';
import { M6A_LARGE } from '../test/vm-sizes.ts';
import type { AwsCloudProvider } from './provider.ts';

const STANDARD = 'L-1216C47A';
const G_AND_VT = 'L-DB2E81BA';
/** The account raised its Standard quota; G and VT keeps the AWS default (moto's stand-in: 0). */
const APPLIED_STANDARD = 64;

let moto: MotoBehindProxy;
let proxy: FaultProxy;
let seedClient: EC2Client;
let network: MotoNetwork;
let provider: AwsCloudProvider;
const logs = memoryLogger();
const credentials = motoCredentials('room-test');

/** Matches a Service Quotas (JSON protocol) request by its X-Amz-Target. */
const quotasAction =
  (action: string) =>
  (request: ProxiedRequest): boolean =>
    request.headers['x-amz-target'] === `ServiceQuotasV20190624.${action}`;

/** Records the Service Quotas actions that pass the proxy (a fault that never matches). */
function quotaActionsSeen(): string[] {
  const seen: string[] = [];
  proxy.inject({
    match: (request) => {
      const target = request.headers['x-amz-target'];
      const prefix = 'ServiceQuotasV20190624.';
      if (typeof target === 'string' && target.startsWith(prefix)) seen.push(target.slice(prefix.length));
      return false;
    },
    respond: 'drop',
  });
  return seen;
}

beforeAll(async () => {
  // With the worker's network: the worker, an m6i.xlarge, 4 Standard vCPUs.
  moto = await startMotoBehindProxy(credentials, { ec2Quotas: { [STANDARD]: APPLIED_STANDARD } });
  ({ proxy, seedClient, network } = moto);
  // Two m6a.large and a t3.medium peer-pod VMs running: 3 × 2 Standard vCPUs.
  await launchPodVms(seedClient, {
    names: ['podvm-web-0-1a2b3c4d', 'podvm-web-1-2b3c4d5e'],
    subnetId: network.subnetId,
    instanceType: 'm6a.large',
  });
  await launchPodVms(seedClient, { names: ['podvm-db-0-3c4d5e6f'], subnetId: network.subnetId });
  // Not counted: a stopped m6a.large and a Spot t3.large.
  const [stopped] = await launchPodVms(seedClient, {
    names: ['podvm-stopped-0-4d5e6f7a'],
    subnetId: network.subnetId,
    instanceType: 'm6a.large',
  });
  await seedClient.send(new StopInstancesCommand({ InstanceIds: [stopped?.id ?? ''] }));
  await seedClient.send(
    new RunInstancesCommand({
      ImageId: MOTO_IMAGE_ID,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.large',
      SubnetId: network.subnetId,
      InstanceMarketOptions: { MarketType: 'spot' },
    }),
  );
  // Another quota's: a g5.xlarge, 4 G and VT vCPUs.
  await seedClient.send(
    new RunInstancesCommand({
      ImageId: MOTO_IMAGE_ID,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 'g5.xlarge',
      SubnetId: network.subnetId,
    }),
  );
  provider = motoTestProvider(proxy, {
    credentials,
    credentialsSource: 'Secret openshift-sandboxed-containers-operator/peer-pods-secret',
    logger: logs.logger,
    maxAttempts: 2,
  });
});

afterAll(async () => {
  provider?.destroy();
  await moto?.stop();
});

beforeEach(() => {
  proxy.clearFaults();
  proxy.clearRequests();
});

describe('sizes', () => {
  it('describes the named instance types once each and leaves out a type EC2 does not know', async () => {
    const sizes = await provider.describeSizes(['m6a.large', 'g5.xlarge', 'm6a.large', 'nope.large']);
    expect(sizes).toEqual([M6A_LARGE, { name: 'g5.xlarge', vcpus: 4, memoryMiB: 16384, gpus: 1, quota: G_AND_VT }]);
    // The batch failed on the unknown name (InvalidInstanceType), then each name was asked alone.
    expect(proxy.requests.filter((request) => request.action === 'DescribeInstanceTypes')).toHaveLength(4);
  });

  it('is the configured region', async () => {
    await expect(provider.region()).resolves.toBe(MOTO_REGION);
  });
});

describe('vCPU quotas', () => {
  it('reads the account’s applied limit and the vCPUs of running On-Demand instances, Spot and stopped ones left out', async () => {
    const seen = quotaActionsSeen();
    await expect(provider.readVcpuQuotas(M6A_LARGE)).resolves.toEqual([
      {
        code: STANDARD,
        name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
        state: 'known',
        limit: APPLIED_STANDARD,
        used: 4 + 3 * 2,
      },
    ]);
    expect(seen).toEqual(['GetServiceQuota']);
  });

  it('falls back to the AWS default when the account never had a value applied', async () => {
    const seen = quotaActionsSeen();
    const [reading] = await provider.readVcpuQuotas({
      name: 'g5.xlarge',
      vcpus: 4,
      memoryMiB: 16384,
      gpus: 1,
      quota: G_AND_VT,
    });
    expect(reading).toMatchObject({
      code: G_AND_VT,
      name: 'Running On-Demand G and VT instances',
      state: 'known',
      limit: 0,
      used: 4,
    });
    expect(seen).toEqual(['GetServiceQuota', 'GetAWSDefaultServiceQuota']);
  });

  it('is unknown, without a call, for a type whose quota is not known', async () => {
    const [reading] = await provider.readVcpuQuotas({ name: 'hpc7a.96xlarge', vcpus: 192, memoryMiB: 786432, gpus: 0 });
    expect(reading).toMatchObject({ state: 'unknown' });
    expect(reading?.detail).toContain('hpc7a.96xlarge');
    expect(proxy.requests).toHaveLength(0);
  });

  it('names servicequotas:GetServiceQuota when Service Quotas refuses the credentials, and still counts the use', async () => {
    proxy.inject({
      match: quotasAction('GetServiceQuota'),
      respond: {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': 'AccessDeniedException' },
        body: JSON.stringify({
          __type: 'AccessDeniedException',
          message:
            'User: arn:aws:iam::123456789012:user/peerpods is not authorized to perform: servicequotas:GetServiceQuota',
        }),
      },
    });
    const [reading] = await provider.readVcpuQuotas(M6A_LARGE);
    expect(reading).toMatchObject({
      code: STANDARD,
      state: 'not-permitted',
      permission: 'servicequotas:GetServiceQuota',
      limit: undefined,
      used: 10,
    });
    expect(reading?.detail).toContain('peer-pods-secret');
    expect(JSON.stringify(reading)).not.toContain(credentials.secretAccessKey);
    expect(JSON.stringify(reading)).not.toContain(credentials.accessKeyId);
  });

  it('names ec2:DescribeInstances when EC2 refuses to list the instances, and still gives the limit', async () => {
    proxy.inject({
      match: awsAction('DescribeInstances'),
      respond: ec2Error(403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.'),
    });
    const [reading] = await provider.readVcpuQuotas(M6A_LARGE);
    expect(reading).toMatchObject({
      state: 'not-permitted',
      permission: 'ec2:DescribeInstances',
      limit: APPLIED_STANDARD,
      used: undefined,
    });
  });
});

describe('peer-pod VMs', () => {
  it('carry their availability zone and image', async () => {
    const { vms } = await provider.listPeerPodVms({ provider: 'aws', tags: {}, subnetId: network.subnetId });
    expect(vms.map((vm) => vm.name).sort()).toEqual([
      'podvm-db-0-3c4d5e6f',
      'podvm-stopped-0-4d5e6f7a',
      'podvm-web-0-1a2b3c4d',
      'podvm-web-1-2b3c4d5e',
    ]);
    for (const vm of vms) expect(vm).toMatchObject({ zone: `${MOTO_REGION}a`, image: MOTO_IMAGE_ID });
  });
});
