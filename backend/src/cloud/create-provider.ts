// Builds the CloudProvider for parsed settings. The only place where Secret values are revealed,
// and only to hand them to the cloud SDK's credential.
import type { Logger } from 'pino';
import { AwsCloudProvider } from './aws/provider.ts';
import { AzureCloudProvider } from './azure/provider.ts';
import type { CloudProvider } from './provider.ts';
import type { CloudSettings } from './settings.ts';

export interface CreateCloudProviderOptions {
  logger: Logger;
  /** AWS: a different EC2 endpoint (e.g. a VPC endpoint, or moto in tests). */
  awsEndpoint?: string;
  /** Azure: a different ARM endpoint / authority host (test servers), and the CA they use. */
  azureArmEndpoint?: string;
  azureAuthorityHost?: string;
  azureCaCertificates?: string;
}

export function createCloudProvider(settings: CloudSettings, options: CreateCloudProviderOptions): CloudProvider {
  if (settings.provider === 'aws') {
    return new AwsCloudProvider({
      region: settings.region,
      endpoint: options.awsEndpoint,
      credentials: {
        accessKeyId: settings.credentials.accessKeyId.reveal(),
        secretAccessKey: settings.credentials.secretAccessKey.reveal(),
        sessionToken: settings.credentials.sessionToken?.reveal(),
      },
      credentialsSource: settings.secretRef,
      podVmSecurityGroupIds: settings.securityGroupIds,
      logger: options.logger,
    });
  }
  return new AzureCloudProvider({
    subscriptionId: settings.subscriptionId,
    resourceGroup: settings.resourceGroup,
    networkResourceGroup: settings.networkResourceGroup,
    tenantId: settings.credentials.tenantId.reveal(),
    clientId: settings.credentials.clientId.reveal(),
    clientSecret: settings.credentials.clientSecret.reveal(),
    // An override only when one is set: otherwise the endpoints of the cluster's own Azure cloud.
    armEndpoint: options.azureArmEndpoint || settings.armEndpoint,
    authorityHost: options.azureAuthorityHost || settings.authorityHost,
    caCertificates: options.azureCaCertificates,
    nsgId: settings.nsgId,
    credentialsSource: settings.secretRef,
    logger: options.logger,
  });
}
