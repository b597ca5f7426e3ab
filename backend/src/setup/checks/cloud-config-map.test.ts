import { describe, expect, it } from 'vitest';
import { checkCloudConfigMap, type CloudConfigMapInput } from './cloud-config-map.ts';

const ref = { namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-cm' };
const awsData = {
  CLOUD_PROVIDER: 'aws',
  AWS_REGION: 'us-east-2',
  AWS_SUBNET_ID: 'subnet-1',
  AWS_SG_IDS: 'sg-1',
  VXLAN_PORT: '9000',
};
const awsInfrastructure = (region: string) => ({ status: { platformStatus: { type: 'AWS', aws: { region } } } });
const input = (overrides: Partial<CloudConfigMapInput>): CloudConfigMapInput => ({
  ref,
  platform: 'aws',
  data: awsData,
  secretKeys: [],
  ...overrides,
});

describe('checkCloudConfigMap', () => {
  it('passes when CLOUD_PROVIDER matches the platform and the keys are there', () => {
    expect(checkCloudConfigMap(input({}))).toMatchObject({
      status: 'pass',
      found: {
        message:
          'The ConfigMap peer-pods-cm sets CLOUD_PROVIDER=aws and AWS_REGION, AWS_SG_IDS, AWS_SUBNET_ID, VXLAN_PORT.',
      },
    });
  });

  it('fails when CLOUD_PROVIDER names the other cloud, with the command that corrects it', () => {
    expect(checkCloudConfigMap(input({ platform: 'azure' }))).toEqual({
      status: 'fail',
      found: expect.objectContaining({
        message: 'CLOUD_PROVIDER in the ConfigMap peer-pods-cm is aws, but the cluster runs on Azure.',
      }),
      fix: {
        kind: 'command',
        command: `oc patch configmap peer-pods-cm -n openshift-sandboxed-containers-operator --type merge -p '{"data":{"CLOUD_PROVIDER":"azure"}}'`,
      },
    });
  });

  it('fails without CLOUD_PROVIDER, and with a value that is no cloud', () => {
    expect(checkCloudConfigMap(input({ data: { AWS_REGION: 'us-east-2' } })).found.key).toBe('cloudProviderMissing');
    expect(checkCloudConfigMap(input({ data: { CLOUD_PROVIDER: 'gcp' } })).found.key).toBe('cloudProviderInvalid');
  });

  it('fails when the region is neither in the ConfigMap nor in the Infrastructure', () => {
    const { AWS_REGION: _omitted, ...rest } = awsData;
    expect(checkCloudConfigMap(input({ data: rest })).found.values).toMatchObject({ keys: 'AWS_REGION' });
    expect(checkCloudConfigMap(input({ data: rest, infrastructure: awsInfrastructure('us-east-2') })).status).toBe(
      'pass',
    );
  });

  it('fails on a VXLAN_PORT that is not a port', () => {
    expect(checkCloudConfigMap(input({ data: { ...awsData, VXLAN_PORT: '70000' } })).found.key).toBe(
      'cloudConfigMapBadVxlanPort',
    );
  });

  it('warns about keys the cloud-api-adaptor places VMs with', () => {
    const result = checkCloudConfigMap(input({ data: { CLOUD_PROVIDER: 'aws', AWS_REGION: 'us-east-2' } }));
    expect(result).toMatchObject({ status: 'warning', found: { values: { keys: 'AWS_SUBNET_ID, AWS_SG_IDS' } } });
  });

  it('fails when the ConfigMap does not exist, with the command that creates it', () => {
    expect(
      checkCloudConfigMap(input({ data: undefined, infrastructure: awsInfrastructure('us-east-2') })),
    ).toMatchObject({
      status: 'fail',
      found: { key: 'cloudConfigMapMissing' },
      fix: {
        command:
          "oc create configmap peer-pods-cm -n openshift-sandboxed-containers-operator --from-literal=CLOUD_PROVIDER='aws' --from-literal=VXLAN_PORT='9000'",
      },
    });
  });
});
