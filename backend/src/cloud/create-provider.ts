// Builds the CloudProvider for parsed settings, through the module of their cloud. The modules
// are the only place where Secret values are revealed, and only to hand them to the cloud SDK's
// credential. Every provider passes through here, so here its failed calls are counted.
import { observeCloudErrors, type CloudCallFailure } from './metrics.ts';
import type { CreateCloudProviderOptions as ModuleProviderOptions } from './module.ts';
import { cloudModule } from './modules.ts';
import type { CloudProvider } from './provider.ts';
import type { CloudSettings } from './settings.ts';

export interface CreateCloudProviderOptions extends ModuleProviderOptions {
  /** Told of every provider call that throws or rejects (the cloud API error metric). */
  onCloudError?: (failure: CloudCallFailure) => void;
}

export function createCloudProvider(settings: CloudSettings, options: CreateCloudProviderOptions): CloudProvider {
  const provider = cloudModule(settings.provider).createProvider(settings, options);
  return options.onCloudError ? observeCloudErrors(provider, options.onCloudError) : provider;
}
