// The registry and what each cloud module declares: its keys are the ones its settings parser
// demands, its scope test tells this cluster's VMs from others, and it names what a deletion removes.
import { describe, expect, it } from 'vitest';
import * as registry from './registry.ts';
import type { CloudModule } from './module.ts';
import { cloudModuleOfPlatform, cloudModules, findCloudModule } from './modules.ts';
import type { PeerPodVm } from './provider.ts';
import { CloudSettingsError, parseCloudSettings, type CloudSettingsInput } from './settings.ts';
import type { ClusterIdentity } from './inventory.ts';

const b64 = (value: string) => Buffer.from(value).toString('base64');
const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';

/** A complete, valid set of objects per cloud: ConfigMap data, Secret data (plain), Infrastructure. */
const COMPLETE: Record<string, { configMap: Record<string, string>; secret: Record<string, string>; infra: object }> = {
  aws: {
    configMap: { CLOUD_PROVIDER: 'aws', AWS_REGION: 'us-east-2', AWS_SUBNET_ID: 'subnet-0abc', AWS_SG_IDS: 'sg-01' },
    secret: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' },
    infra: { status: { platformStatus: { type: 'AWS', aws: { region: 'us-east-2' } } } },
  },
  azure: {
    configMap: { CLOUD_PROVIDER: 'azure', AZURE_SUBSCRIPTION_ID: SUBSCRIPTION, AZURE_RESOURCE_GROUP: 'pod-vms' },
    secret: {
      AZURE_CLIENT_ID: '99999999-8888-7777-6666-555555555555',
      AZURE_CLIENT_SECRET: 'secret',
      AZURE_TENANT_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
    },
    infra: { status: { platformStatus: { type: 'Azure', azure: { resourceGroupName: 'cluster-rg' } } } },
  },
};

function input(cloud: string, without?: string, withoutInfrastructure = false): CloudSettingsInput {
  const objects = COMPLETE[cloud]!;
  const drop = (data: Record<string, string>) =>
    Object.fromEntries(Object.entries(data).filter(([k]) => k !== without));
  return {
    configMap: { metadata: { name: 'peer-pods-cm', namespace: 'ns' }, data: drop(objects.configMap) },
    secret: {
      metadata: { name: 'peer-pods-secret', namespace: 'ns' },
      data: Object.fromEntries(Object.entries(drop(objects.secret)).map(([k, v]) => [k, b64(v)])),
    },
    infrastructure: withoutInfrastructure
      ? { status: { platformStatus: { type: cloudModules().find((m) => m.id === cloud)!.platformType } } }
      : objects.infra,
  };
}

const requiredKeys = (module: CloudModule) =>
  module.keys.filter((key) => key.need === 'required').map((key) => `${key.in}:${key.name}`);

const vm = (overrides: Partial<PeerPodVm>): PeerPodVm => ({
  provider: 'aws',
  id: 'i-0abc',
  name: 'podvm-web-1a2b3c4d',
  state: 'running',
  cloudState: 'running',
  tags: {},
  ...overrides,
});

describe('the cloud registry', () => {
  it('lists each registered module once, by its id and its platform', () => {
    expect(cloudModules().map((module) => module.id)).toEqual(['aws', 'azure']);
    expect(Object.values(registry)).toHaveLength(cloudModules().length);
    expect(findCloudModule('AWS')?.id).toBe('aws');
    expect(findCloudModule('gcp')).toBeUndefined();
    expect(cloudModuleOfPlatform('Azure')?.id).toBe('azure');
    expect(cloudModuleOfPlatform('BareMetal')).toBeUndefined();
  });

  it('declares the keys each cloud requires: AWS the IAM access key and a region', () => {
    expect(requiredKeys(findCloudModule('aws')!)).toEqual([
      'secret:AWS_ACCESS_KEY_ID',
      'secret:AWS_SECRET_ACCESS_KEY',
      'configMap:AWS_REGION',
    ]);
  });

  it('declares the keys each cloud requires: Azure the service principal, a subscription and a resource group', () => {
    expect(requiredKeys(findCloudModule('azure')!)).toEqual([
      'secret:AZURE_CLIENT_ID',
      'secret:AZURE_CLIENT_SECRET',
      'secret:AZURE_TENANT_ID',
      'either:AZURE_SUBSCRIPTION_ID',
      'configMap:AZURE_RESOURCE_GROUP',
    ]);
  });

  it.each(cloudModules().map((module) => [module.id, module] as const))(
    '%s: parses its complete objects, and names each required key its parser misses',
    (id, module) => {
      expect(parseCloudSettings(input(id)).provider).toBe(id);
      for (const key of module.keys.filter((k) => k.need === 'required')) {
        const run = () => parseCloudSettings(input(id, key.name, key.fromInfrastructure !== undefined));
        expect(run, key.name).toThrow(CloudSettingsError);
        try {
          run();
        } catch (error) {
          expect((error as CloudSettingsError).key).toBe(key.name);
        }
      }
    },
  );

  it.each(cloudModules().map((module) => [module.id, module] as const))(
    '%s: its platform placement is a key infrastructure/cluster can give',
    (id, module) => {
      const key = module.keys.find((k) => k.name === module.placement.key);
      expect(key?.fromInfrastructure?.(input(id).infrastructure)).toBeTruthy();
      expect(key?.fromInfrastructure?.(undefined)).toBeUndefined();
    },
  );
});

describe('the AWS module', () => {
  const aws = findCloudModule('aws')!;
  const identity = (overrides: Partial<ClusterIdentity>): ClusterIdentity => ({
    provider: 'aws',
    tags: {},
    ...overrides,
  });

  it('keeps to AWS_SUBNET_ID when set, else to the VPC of the nodes, else to TAGS alone', () => {
    expect(aws.checkPlacement(vm({ subnetId: 'subnet-a' }), identity({ subnetId: 'subnet-a' })).ok).toBe(true);
    expect(aws.checkPlacement(vm({ subnetId: 'subnet-b' }), identity({ subnetId: 'subnet-a' })).ok).toBe(false);
    expect(aws.checkPlacement(vm({ vpcId: 'vpc-1' }), identity({ vpcIds: ['vpc-1'] })).ok).toBe(true);
    expect(aws.checkPlacement(vm({ vpcId: 'vpc-2' }), identity({ vpcIds: ['vpc-1'] })).ok).toBe(false);
    expect(aws.checkPlacement(vm({}), identity({ tags: { cluster: 'a' } })).ok).toBe(true);
    expect(aws.checkPlacement(vm({}), identity({}))).toEqual({ ok: false, reason: expect.stringContaining('TAGS') });
  });

  it('deletes nothing by the VPC alone: a VPC may hold several clusters', () => {
    expect(aws.checkCleanupScope(identity({ vpcIds: ['vpc-1'] })).ok).toBe(false);
    expect(aws.checkCleanupScope(identity({ vpcIds: ['vpc-1'], tags: { cluster: 'a' } })).ok).toBe(true);
    expect(aws.checkCleanupScope(identity({ subnetId: 'subnet-a' })).ok).toBe(true);
  });

  it('names the instance and the volumes EC2 deletes with it, and nothing when it was already gone', () => {
    const instance = vm({
      disks: [
        { id: 'vol-root', deletedWithVm: true },
        { id: 'vol-kept', deletedWithVm: false },
      ],
    });
    expect(aws.cleanupResources(instance)).toEqual([
      { kind: 'ec2-instance', name: 'i-0abc' },
      { kind: 'disk', name: 'vol-root' },
    ]);
    const gone = { vmId: instance.id, name: instance.name, deleted: [], alreadyGone: true };
    expect(aws.deletedResources(instance, gone)).toEqual([]);
  });
});

describe('the Azure module', () => {
  const azure = findCloudModule('azure')!;
  const identity: ClusterIdentity = {
    provider: 'azure',
    tags: {},
    resourceGroup: 'Pod-VMs',
    subnetId: '/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/workers',
  };
  const azureVm = (overrides: Partial<PeerPodVm>) =>
    vm({
      provider: 'azure',
      id: '/subscriptions/s/resourceGroups/pod-vms/providers/Microsoft.Compute/virtualMachines/podvm-web-1a2b3c4d',
      resourceGroup: 'pod-vms',
      subnetId: identity.subnetId?.toUpperCase(),
      ...overrides,
    });

  it('keeps to the pod-VM resource group and AZURE_SUBNET_ID, in any case', () => {
    expect(azure.checkPlacement(azureVm({}), identity).ok).toBe(true);
    expect(azure.checkPlacement(azureVm({ resourceGroup: 'other' }), identity).ok).toBe(false);
    expect(azure.checkPlacement(azureVm({ subnetId: 'elsewhere' }), identity).ok).toBe(false);
  });

  it('names the VM, its NIC and its disk, and of a deletion what the provider answered it deleted', () => {
    const target = azureVm({});
    expect(azure.cleanupResources(target)).toEqual([
      { kind: 'virtual-machine', name: 'podvm-web-1a2b3c4d' },
      { kind: 'network-interface', name: 'podvm-web-1a2b3c4d-net' },
      { kind: 'disk', name: 'podvm-web-1a2b3c4d-disk' },
    ]);
    const nicId =
      '/subscriptions/s/resourceGroups/pod-vms/providers/Microsoft.Network/networkInterfaces/PODVM-WEB-1A2B3C4D-NET';
    const deletion = { vmId: target.id, name: target.name, deleted: [nicId], alreadyGone: true };
    expect(azure.deletedResources(target, deletion)).toEqual([
      { kind: 'network-interface', name: 'podvm-web-1a2b3c4d-net' },
    ]);
  });
});
