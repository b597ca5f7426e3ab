// Builds the CloudProvider for parsed settings, through the module of their cloud. The modules
// are the only place where Secret values are revealed, and only to hand them to the cloud SDK's
// credential.
import type { CreateCloudProviderOptions } from './module.ts';
import { cloudModule } from './modules.ts';
import type { CloudProvider } from './provider.ts';
import type { CloudSettings } from './settings.ts';

export type { CreateCloudProviderOptions };

export function createCloudProvider(settings: CloudSettings, options: CreateCloudProviderOptions): CloudProvider {
  return cloudModule(settings.provider).createProvider(settings, options);
}
