// Peer pods run in the cluster's own cloud: infrastructure/cluster must name a cloud a module is
// registered for, and where its pod VMs go (the module's placement: a region, a resource group)
// must be known, from there or from the ConfigMap.
import type { CloudProviderName } from '../../cloud/errors.ts';
import { cloudModule, cloudModuleOfPlatform, platformTypeOf } from '../../cloud/modules.ts';
import type { InfrastructureLike } from '../../cloud/settings-reader.ts';
import { command, fail, pass, type CheckOutcome } from '../outcome.ts';
import { infrastructureValue, patchConfigMapCommand } from './cloud-keys.ts';

export type InfrastructureFacts = InfrastructureLike;

export interface PlatformInput {
  /** `infrastructure/cluster`; undefined when the cluster has none (not OpenShift). */
  infrastructure: InfrastructureFacts | undefined;
  /** The peer-pods ConfigMap's data, when it exists (the placement key may fill the gap). */
  configMapData: Readonly<Record<string, string>> | undefined;
  configMap: { namespace: string; name: string };
}

/** A cloud a module is registered for. */
export type CloudPlatform = CloudProviderName;

/** The cloud of the cluster by its Infrastructure, or the type it names when it is another one. */
export function platformOf(
  infrastructure: InfrastructureFacts | undefined,
): { cloud: CloudPlatform } | { other: string } | undefined {
  const type = platformTypeOf(infrastructure);
  if (!type) return undefined;
  const cloud = cloudModuleOfPlatform(type);
  return cloud ? { cloud: cloud.id } : { other: type };
}

export function checkPlatform(input: PlatformInput): CheckOutcome {
  const platform = platformOf(input.infrastructure);
  if (!platform) return fail('platformMissing');
  if ('other' in platform) return fail('platformUnsupported', { platform: platform.other });
  const cloud = cloudModule(platform.cloud);
  const { key, valueName, found, missing, placeholder } = cloud.placement;
  const value = infrastructureValue(cloud, key, input.infrastructure) || input.configMapData?.[key]?.trim();
  if (!value) return fail(missing, {}, command(patchConfigMapCommand(input.configMap, { [key]: placeholder })));
  return pass(found, { [valueName]: value });
}
