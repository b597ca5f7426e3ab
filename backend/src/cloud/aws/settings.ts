// AWS settings: the region (AWS_REGION, else infrastructure/cluster), where the adaptor launches
// pod VMs (AWS_SUBNET_ID, AWS_SG_IDS), and the IAM user's access key from the Secret.
import {
  SecretValue,
  type CloudSettingsInput,
  type CommonCloudSettings,
  type InfrastructureLike,
  type SettingsReaders,
} from '../settings-reader.ts';

export interface AwsCloudSettings extends CommonCloudSettings {
  provider: 'aws';
  region: string;
  subnetId?: string;
  securityGroupIds: string[];
  instanceType?: string;
  amiId?: string;
  credentials: { accessKeyId: SecretValue; secretAccessKey: SecretValue; sessionToken?: SecretValue };
}

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** `.status.platformStatus.aws.region` of infrastructure/cluster. */
export function infrastructureRegion(infrastructure: InfrastructureLike | undefined): string | undefined {
  const aws = infrastructure?.status?.platformStatus?.aws as { region?: string } | undefined;
  return aws?.region?.trim() || undefined;
}

export function parseAwsSettings(
  input: CloudSettingsInput,
  { configMap, secret }: SettingsReaders,
  common: CommonCloudSettings,
): AwsCloudSettings {
  const region = configMap.orInfrastructure(
    'AWS_REGION',
    infrastructureRegion(input.infrastructure),
    '.status.platformStatus.aws.region',
  );
  configMap.matching('AWS_REGION', region, AWS_REGION, 'an AWS region name such as us-east-2');
  const securityGroupIds = (configMap.optional('AWS_SG_IDS') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of securityGroupIds) {
    configMap.matching('AWS_SG_IDS', id, /^sg-[0-9a-zA-Z]+$/, 'a comma-separated list of security group ids (sg-…)');
  }
  const sessionToken = secret.optional('AWS_SESSION_TOKEN');
  return {
    ...common,
    provider: 'aws',
    region,
    subnetId: configMap.matching(
      'AWS_SUBNET_ID',
      configMap.optional('AWS_SUBNET_ID'),
      /^subnet-[0-9a-zA-Z]+$/,
      'a subnet id (subnet-…)',
    ),
    securityGroupIds,
    instanceType: configMap.optional('PODVM_INSTANCE_TYPE'),
    amiId: configMap.matching(
      'PODVM_AMI_ID',
      configMap.optional('PODVM_AMI_ID'),
      /^ami-[0-9a-zA-Z]+$/,
      'an AMI id (ami-…)',
    ),
    credentials: {
      accessKeyId: new SecretValue(secret.required('AWS_ACCESS_KEY_ID', 'add the access key id of the IAM user')),
      secretAccessKey: new SecretValue(
        secret.required('AWS_SECRET_ACCESS_KEY', 'add the secret access key of the IAM user'),
      ),
      sessionToken: sessionToken === undefined ? undefined : new SecretValue(sessionToken),
    },
  };
}
