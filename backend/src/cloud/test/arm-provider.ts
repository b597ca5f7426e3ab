// The Azure provider as the tests run it against the project's ARM test server: one subscription,
// tenant and client; each test file brings its own resource group and client secret (so that a
// leak names the file) and whatever it tunes.
import type { Logger } from 'pino';
import { startArmServer, type ArmServer, type StartArmServerOptions } from '../../../test/arm-server/server.ts';
import { AzureCloudProvider, type AzureProviderOptions } from '../azure/provider.ts';

export const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
export const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const CLIENT_ID = '99999999-8888-7777-6666-555555555555';

/** The ARM test server for one test file: the subscription, tenant and client above, the file's client secret. */
export function startArmTestServer(
  clientSecret: string,
  options: Omit<StartArmServerOptions, 'subscriptionId' | 'tenantId' | 'clientId' | 'clientSecret'> = {},
): Promise<ArmServer> {
  return startArmServer({
    subscriptionId: SUBSCRIPTION,
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret,
    ...options,
  });
}

export function armTestProvider(
  arm: ArmServer,
  options: { resourceGroup: string; clientSecret: string; logger: Logger } & Partial<AzureProviderOptions>,
): AzureCloudProvider {
  return new AzureCloudProvider({
    subscriptionId: SUBSCRIPTION,
    tenantId: TENANT,
    clientId: CLIENT_ID,
    armEndpoint: arm.endpoint,
    authorityHost: arm.authorityHost,
    caCertificates: arm.caCertificate,
    ...options,
  });
}
