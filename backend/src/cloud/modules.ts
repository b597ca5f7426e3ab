// Finding the cloud module for an id, a platform or settings, among those registry.ts lists.
// Every lookup reads the registry when called, never at load time: the modules import the cloud
// layer that imports this file, so the registry may still be loading when this one is.
import type { CloudProviderName } from './errors.ts';
import type { CloudModule } from './module.ts';
import * as registry from './registry.ts';
import type { InfrastructureLike } from './settings-reader.ts';

/** The union of the registered modules, each typed with its own settings. */
export type RegisteredCloudModule = (typeof registry)[keyof typeof registry];

let registered: readonly CloudModule[] | undefined;

/** The registered modules, in the order of their ids. */
export function cloudModules(): readonly CloudModule[] {
  registered ??= Object.values<CloudModule>(registry).sort((a, b) => (a.id < b.id ? -1 : 1));
  return registered;
}

/** The ids, for messages: `aws or azure`. */
export function cloudIdsText(separator = ' or '): string {
  return cloudModules()
    .map((module) => module.id)
    .join(separator);
}

/** The module of a cloud id (CLOUD_PROVIDER, case-insensitive), or undefined for an unknown one. */
export function findCloudModule(id: string | undefined): CloudModule | undefined {
  const wanted = id?.trim().toLowerCase();
  return cloudModules().find((module) => module.id === wanted);
}

export function cloudModule(id: CloudProviderName): CloudModule {
  const module = findCloudModule(id);
  if (!module) throw new Error(`No cloud module is registered for ${id} (backend/src/cloud/registry.ts).`);
  return module;
}

/** infrastructure/cluster's platform type (`AWS`), or undefined when it names none. */
export function platformTypeOf(infrastructure: InfrastructureLike | undefined): string | undefined {
  return infrastructure?.status?.platformStatus?.type ?? infrastructure?.status?.platform ?? undefined;
}

/** The module of the cluster's platform, or undefined when it is not a registered cloud. */
export function cloudModuleOfPlatform(platformType: string | undefined): CloudModule | undefined {
  return platformType ? cloudModules().find((module) => module.platformType === platformType) : undefined;
}
