import { describe, expect, it } from 'vitest';
import { checkPlatform } from './platform.ts';

const configMap = { namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-cm' };
const aws = (region?: string) => ({ status: { platformStatus: { type: 'AWS', aws: region ? { region } : {} } } });

describe('checkPlatform', () => {
  it('passes on AWS with the region from infrastructure/cluster', () => {
    expect(checkPlatform({ infrastructure: aws('us-east-2'), configMapData: undefined, configMap })).toMatchObject({
      status: 'pass',
      found: { key: 'platformAws', values: { region: 'us-east-2' }, message: 'AWS, region us-east-2.' },
      fix: null,
    });
  });

  it('passes on Azure with the resource group, and on AWS with AWS_REGION when the Infrastructure has none', () => {
    const azure = { status: { platformStatus: { type: 'Azure', azure: { resourceGroupName: 'rg-1' } } } };
    expect(checkPlatform({ infrastructure: azure, configMapData: undefined, configMap }).found.message).toBe(
      'Azure, resource group rg-1.',
    );
    expect(checkPlatform({ infrastructure: aws(), configMapData: { AWS_REGION: 'eu-west-1' }, configMap }).status).toBe(
      'pass',
    );
  });

  it('fails on another platform, naming it', () => {
    const result = checkPlatform({
      infrastructure: { status: { platformStatus: { type: 'BareMetal' } } },
      configMapData: undefined,
      configMap,
    });
    expect(result).toMatchObject({
      status: 'fail',
      found: { key: 'platformUnsupported', values: { platform: 'BareMetal' } },
    });
  });

  it('fails without infrastructure/cluster', () => {
    expect(checkPlatform({ infrastructure: undefined, configMapData: undefined, configMap }).found.key).toBe(
      'platformMissing',
    );
  });

  it('fails on AWS without any region, with the command that sets AWS_REGION', () => {
    expect(checkPlatform({ infrastructure: aws(), configMapData: {}, configMap })).toEqual({
      status: 'fail',
      found: expect.objectContaining({ key: 'platformAwsNoRegion' }),
      fix: {
        kind: 'command',
        command: `oc patch configmap peer-pods-cm -n openshift-sandboxed-containers-operator --type merge -p '{"data":{"AWS_REGION":"<region>"}}'`,
      },
    });
  });
});
