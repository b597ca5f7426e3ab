import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CloudSettingsError, parseCloudSettings, parseTags, type CloudSettingsInput } from './settings.ts';

const NAMESPACE = 'openshift-sandboxed-containers-operator';
const b64 = (value: string) => Buffer.from(value).toString('base64');

const AWS_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const AZURE_CLIENT_SECRET = 'Q~azure-client-secret-value-do-not-print';
const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const CLIENT = '99999999-8888-7777-6666-555555555555';

function awsInput(configData: Record<string, string> = {}, secretData?: Record<string, string>): CloudSettingsInput {
  return {
    configMap: {
      metadata: { name: 'peer-pods-cm', namespace: NAMESPACE },
      data: { CLOUD_PROVIDER: 'aws', ...configData },
    },
    secret: {
      metadata: { name: 'peer-pods-secret', namespace: NAMESPACE },
      data: secretData ?? { AWS_ACCESS_KEY_ID: b64('AKIAEXAMPLE0000001'), AWS_SECRET_ACCESS_KEY: b64(AWS_SECRET_KEY) },
    },
    infrastructure: { status: { platformStatus: { type: 'AWS', aws: { region: 'us-east-2' } } } },
  };
}

function azureInput(
  configData: Record<string, string> = {},
  infra?: CloudSettingsInput['infrastructure'],
): CloudSettingsInput {
  return {
    configMap: {
      metadata: { name: 'peer-pods-cm', namespace: NAMESPACE },
      data: { CLOUD_PROVIDER: 'azure', AZURE_SUBSCRIPTION_ID: SUBSCRIPTION, ...configData },
    },
    secret: {
      metadata: { name: 'peer-pods-secret', namespace: NAMESPACE },
      data: {
        AZURE_CLIENT_ID: b64(CLIENT),
        AZURE_CLIENT_SECRET: b64(AZURE_CLIENT_SECRET),
        AZURE_TENANT_ID: b64(TENANT),
      },
    },
    infrastructure: infra ?? {
      status: { platformStatus: { type: 'Azure', azure: { resourceGroupName: 'mycluster-x7k2p-rg' } } },
    },
  };
}

function settingsError(run: () => unknown): CloudSettingsError {
  try {
    run();
  } catch (error) {
    if (error instanceof CloudSettingsError) return error;
    throw error;
  }
  throw new Error('expected a CloudSettingsError');
}

describe('parseCloudSettings for AWS', () => {
  it('takes the region from infrastructure/cluster and defaults VXLAN_PORT to 9000', () => {
    const settings = parseCloudSettings(
      awsInput({ AWS_SUBNET_ID: 'subnet-0abc', AWS_SG_IDS: 'sg-01, sg-02', TAGS: 'owner=team-a,env=prod' }),
    );
    expect(settings).toMatchObject({
      provider: 'aws',
      region: 'us-east-2',
      vxlanPort: 9000,
      subnetId: 'subnet-0abc',
      securityGroupIds: ['sg-01', 'sg-02'],
      tags: { owner: 'team-a', env: 'prod' },
      configMapRef: `ConfigMap ${NAMESPACE}/peer-pods-cm`,
      secretRef: `Secret ${NAMESPACE}/peer-pods-secret`,
    });
  });

  it('prefers AWS_REGION and VXLAN_PORT from the ConfigMap', () => {
    const settings = parseCloudSettings(
      awsInput({ AWS_REGION: 'eu-west-1', VXLAN_PORT: '9001', PEERPODS_LIMIT_PER_NODE: '20' }),
    );
    expect(settings).toMatchObject({ region: 'eu-west-1', vxlanPort: 9001, limitPerNode: 20 });
  });

  it.each([
    ['4789', "the cluster network's VXLAN port"],
    ['6081', "OVN-Kubernetes' Geneve port"],
    ['15150', 'the kata-agent port'],
  ])('refuses VXLAN_PORT %s, %s, and names the default to use instead', (port, what) => {
    const error = settingsError(() => parseCloudSettings(awsInput({ VXLAN_PORT: port })));
    expect(error.key).toBe('VXLAN_PORT');
    expect(error.message).toContain(what);
    expect(error.message).toContain('e.g. 9000 (the default)');
  });

  it('decodes the Secret and keeps each value hidden from JSON, inspect and string conversion', () => {
    const settings = parseCloudSettings(awsInput());
    if (settings.provider !== 'aws') throw new Error('expected AWS settings');
    expect(settings.credentials.secretAccessKey.reveal()).toBe(AWS_SECRET_KEY);
    const printed = [
      JSON.stringify(settings),
      inspect(settings, { depth: 10 }),
      String(settings.credentials.secretAccessKey),
    ].join('\n');
    expect(printed).not.toContain(AWS_SECRET_KEY);
    expect(printed).toContain('[redacted]');
  });

  it('names the missing key and the Secret when the secret access key is absent', () => {
    const error = settingsError(() =>
      parseCloudSettings(awsInput({}, { AWS_ACCESS_KEY_ID: b64('AKIAEXAMPLE0000001') })),
    );
    expect(error.key).toBe('AWS_SECRET_ACCESS_KEY');
    expect(error.object).toBe(`Secret ${NAMESPACE}/peer-pods-secret`);
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('AWS_SECRET_ACCESS_KEY');
  });

  it('rejects a bad VXLAN_PORT without echoing the value', () => {
    const error = settingsError(() => parseCloudSettings(awsInput({ VXLAN_PORT: '90000-not-a-port' })));
    expect(error.key).toBe('VXLAN_PORT');
    expect(error.object).toBe(`ConfigMap ${NAMESPACE}/peer-pods-cm`);
    expect(error.message).not.toContain('90000-not-a-port');
  });

  it('rejects Secret data that is not base64 without echoing it', () => {
    const error = settingsError(() =>
      parseCloudSettings(
        awsInput({}, { AWS_ACCESS_KEY_ID: b64('AKIAEXAMPLE0000001'), AWS_SECRET_ACCESS_KEY: 'plain text secret!' }),
      ),
    );
    expect(error.key).toBe('AWS_SECRET_ACCESS_KEY');
    expect(error.message).not.toContain('plain text secret!');
    expect(JSON.stringify(error)).not.toContain('plain text secret!');
  });

  it('rejects a malformed security group list without echoing it', () => {
    const error = settingsError(() => parseCloudSettings(awsInput({ AWS_SG_IDS: 'sg-01,not-a-group' })));
    expect(error.key).toBe('AWS_SG_IDS');
    expect(error.message).not.toContain('not-a-group');
  });

  it('asks for AWS_REGION when neither the ConfigMap nor infrastructure/cluster has one', () => {
    const input = awsInput();
    input.infrastructure = { status: { platformStatus: { type: 'AWS' } } };
    expect(settingsError(() => parseCloudSettings(input)).key).toBe('AWS_REGION');
  });

  it('rejects a CLOUD_PROVIDER that contradicts the cluster platform', () => {
    const input = awsInput();
    input.infrastructure = { status: { platformStatus: { type: 'Azure' } } };
    expect(settingsError(() => parseCloudSettings(input)).key).toBe('CLOUD_PROVIDER');
  });

  it('rejects an unknown CLOUD_PROVIDER', () => {
    const error = settingsError(() => parseCloudSettings(awsInput({ CLOUD_PROVIDER: 'gcp' })));
    expect(error.key).toBe('CLOUD_PROVIDER');
    expect(error.message).not.toContain('gcp');
  });
});

describe('parseCloudSettings for Azure', () => {
  it('takes the resource group from infrastructure/cluster and the public cloud endpoints by default', () => {
    const settings = parseCloudSettings(azureInput({ AZURE_REGION: 'eastus', TAGS: 'cluster=mycluster' }));
    expect(settings).toMatchObject({
      provider: 'azure',
      subscriptionId: SUBSCRIPTION,
      resourceGroup: 'mycluster-x7k2p-rg',
      networkResourceGroup: 'mycluster-x7k2p-rg',
      region: 'eastus',
      armEndpoint: 'https://management.azure.com',
      authorityHost: 'https://login.microsoftonline.com',
      tags: { cluster: 'mycluster' },
    });
    if (settings.provider !== 'azure') throw new Error('expected Azure settings');
    expect(settings.credentials.clientSecret.reveal()).toBe(AZURE_CLIENT_SECRET);
    expect(JSON.stringify(settings)).not.toContain(AZURE_CLIENT_SECRET);
  });

  it('uses the network resource group and the sovereign cloud of infrastructure/cluster', () => {
    const settings = parseCloudSettings(
      azureInput(
        { AZURE_RESOURCE_GROUP: 'pod-vms-rg' },
        {
          status: {
            platformStatus: {
              type: 'Azure',
              azure: {
                resourceGroupName: 'cluster-rg',
                networkResourceGroupName: 'network-rg',
                cloudName: 'AzureUSGovernmentCloud',
              },
            },
          },
        },
      ),
    );
    expect(settings).toMatchObject({
      resourceGroup: 'pod-vms-rg',
      networkResourceGroup: 'network-rg',
      armEndpoint: 'https://management.usgovcloudapi.net',
      authorityHost: 'https://login.microsoftonline.us',
    });
  });

  it('accepts the subscription id from the Secret', () => {
    const input = azureInput();
    delete input.configMap.data?.AZURE_SUBSCRIPTION_ID;
    input.secret.data = { ...input.secret.data, AZURE_SUBSCRIPTION_ID: b64(SUBSCRIPTION) };
    expect(parseCloudSettings(input)).toMatchObject({ subscriptionId: SUBSCRIPTION });
  });

  it('names AZURE_CLIENT_SECRET and the Secret when it is missing', () => {
    const input = azureInput();
    delete input.secret.data?.AZURE_CLIENT_SECRET;
    const error = settingsError(() => parseCloudSettings(input));
    expect(error.key).toBe('AZURE_CLIENT_SECRET');
    expect(error.object).toBe(`Secret ${NAMESPACE}/peer-pods-secret`);
  });

  it('rejects a client id that is not a GUID without echoing it', () => {
    const input = azureInput();
    input.secret.data = { ...input.secret.data, AZURE_CLIENT_ID: b64('my-app-name') };
    const error = settingsError(() => parseCloudSettings(input));
    expect(error.key).toBe('AZURE_CLIENT_ID');
    expect(error.message).not.toContain('my-app-name');
  });

  it('asks for AZURE_RESOURCE_GROUP when neither object names one', () => {
    expect(
      settingsError(() => parseCloudSettings(azureInput({}, { status: { platformStatus: { type: 'Azure' } } }))).key,
    ).toBe('AZURE_RESOURCE_GROUP');
  });
});

describe('parseTags', () => {
  it('reads comma-separated key=value pairs, allowing empty values', () => {
    expect(parseTags('a=1, b = two ,c=')).toEqual({ a: '1', b: 'two', c: '' });
  });

  it('rejects a pair without a key, naming TAGS', () => {
    expect(() => parseTags('a=1,=2')).toThrow(/TAGS/);
  });
});
