import { describe, expect, it } from 'vitest';
import { checkCloudSecret } from './cloud-secret.ts';

const ref = { namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-secret' };

describe('checkCloudSecret', () => {
  it('passes on AWS with both access keys, naming the keys only', () => {
    const result = checkCloudSecret({
      ref,
      platform: 'aws',
      keysWithValues: ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'],
      configMapKeys: [],
    });
    expect(result).toMatchObject({
      status: 'pass',
      found: { message: 'The Secret peer-pods-secret holds AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.' },
    });
  });

  it('accepts the Azure subscription id in the ConfigMap instead of the Secret', () => {
    const keys = ['AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID'];
    expect(
      checkCloudSecret({ ref, platform: 'azure', keysWithValues: keys, configMapKeys: ['AZURE_SUBSCRIPTION_ID'] })
        .status,
    ).toBe('pass');
    expect(
      checkCloudSecret({ ref, platform: 'azure', keysWithValues: keys, configMapKeys: [] }).found.values,
    ).toMatchObject({
      keys: 'AZURE_SUBSCRIPTION_ID',
    });
  });

  it('fails when a key the platform needs has no value, with a patch command holding placeholders only', () => {
    const result = checkCloudSecret({ ref, platform: 'aws', keysWithValues: ['AWS_ACCESS_KEY_ID'], configMapKeys: [] });
    expect(result).toEqual({
      status: 'fail',
      found: expect.objectContaining({
        message: 'The Secret peer-pods-secret has no value for AWS_SECRET_ACCESS_KEY, which AWS needs.',
      }),
      fix: {
        kind: 'command',
        command: `oc patch secret peer-pods-secret -n openshift-sandboxed-containers-operator --type merge -p '{"stringData":{"AWS_SECRET_ACCESS_KEY":"<aws-secret-access-key>"}}'`,
      },
    });
  });

  it('fails when the Secret does not exist, with the command that creates it', () => {
    const result = checkCloudSecret({ ref, platform: 'azure', keysWithValues: undefined, configMapKeys: [] });
    expect(result.found.key).toBe('cloudSecretMissing');
    expect(result.fix).toEqual({
      kind: 'command',
      command:
        "oc create secret generic peer-pods-secret -n openshift-sandboxed-containers-operator --from-literal=AZURE_CLIENT_ID='<azure-client-id>' --from-literal=AZURE_CLIENT_SECRET='<azure-client-secret>' --from-literal=AZURE_TENANT_ID='<azure-tenant-id>' --from-literal=AZURE_SUBSCRIPTION_ID='<azure-subscription-id>'",
    });
  });

  it('warns when the platform is unknown', () => {
    expect(checkCloudSecret({ ref, platform: undefined, keysWithValues: ['X'], configMapKeys: [] }).status).toBe(
      'warning',
    );
  });
});
