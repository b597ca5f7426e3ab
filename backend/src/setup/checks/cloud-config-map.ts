// The peer-pods ConfigMap must name the cluster's cloud in CLOUD_PROVIDER and hold the keys that
// cloud's module requires there (unless infrastructure/cluster or the Secret gives them), a valid
// VXLAN_PORT, and preferably the keys the cloud-api-adaptor places VMs with.
import { cloudIdsText, cloudModule, findCloudModule } from '../../cloud/modules.ts';
import type { InfrastructureLike } from '../../cloud/settings-reader.ts';
import { command, fail, listOf, pass, warning, type CheckOutcome } from '../outcome.ts';
import {
  configMapOnlyKeys,
  createConfigMapCommand,
  defaultCloud,
  missingConfigMapKeys,
  missingRecommendedKeys,
  patchConfigMapCommand,
  placeholders,
  type ObjectRef,
} from './cloud-keys.ts';
import type { CloudPlatform } from './platform.ts';

export interface CloudConfigMapInput {
  ref: ObjectRef;
  /** The cluster's cloud by infrastructure/cluster; undefined when it does not say (or says another). */
  platform: CloudPlatform | undefined;
  /** infrastructure/cluster: what it already tells (a region, a resource group) the ConfigMap need not. */
  infrastructure?: InfrastructureLike;
  /** The ConfigMap's data; undefined when it does not exist. */
  data: Readonly<Record<string, string>> | undefined;
  /** Names of the Secret's keys with a value (a key the cloud reads from either object may be there instead). */
  secretKeys: readonly string[];
}

function has(data: Readonly<Record<string, string>>, key: string): boolean {
  return Boolean(data[key]?.trim());
}

export function checkCloudConfigMap(input: CloudConfigMapInput): CheckOutcome {
  const { ref, platform, data, infrastructure } = input;
  if (!data) {
    const cloud = platform ? cloudModule(platform) : defaultCloud();
    const seed = {
      CLOUD_PROVIDER: cloud.id,
      VXLAN_PORT: '9000',
      ...placeholders(configMapOnlyKeys(cloud, infrastructure)),
    };
    return fail('cloudConfigMapMissing', { ...ref }, command(createConfigMapCommand(ref, seed)));
  }

  const anyCloud = `<${cloudIdsText('-or-')}>`;
  const raw = data.CLOUD_PROVIDER?.trim();
  if (!raw) {
    return fail(
      'cloudProviderMissing',
      { name: ref.name },
      command(patchConfigMapCommand(ref, { CLOUD_PROVIDER: platform ?? anyCloud })),
    );
  }
  const cloud = findCloudModule(raw);
  if (!cloud) {
    return fail(
      'cloudProviderInvalid',
      { name: ref.name, value: raw },
      command(patchConfigMapCommand(ref, { CLOUD_PROVIDER: platform ?? anyCloud })),
    );
  }
  if (platform && cloud.id !== platform) {
    return fail(
      'cloudProviderMismatch',
      { name: ref.name, value: raw, platform: cloudModule(platform).displayName },
      command(patchConfigMapCommand(ref, { CLOUD_PROVIDER: platform })),
    );
  }

  const missing = missingConfigMapKeys(cloud, data, input.secretKeys, infrastructure);
  if (missing.length > 0) {
    return fail(
      'cloudConfigMapMissingKeys',
      { name: ref.name, keys: missing.join(', '), platform: cloud.displayName },
      command(patchConfigMapCommand(ref, placeholders(missing))),
    );
  }

  const vxlan = data.VXLAN_PORT?.trim();
  if (vxlan !== undefined && vxlan !== '') {
    const port = /^\d{1,5}$/.test(vxlan) ? Number(vxlan) : NaN;
    if (!(port >= 1 && port <= 65535)) {
      return fail(
        'cloudConfigMapBadVxlanPort',
        { name: ref.name, value: vxlan },
        command(patchConfigMapCommand(ref, { VXLAN_PORT: '9000' })),
      );
    }
  }

  const recommended = missingRecommendedKeys(cloud, data);
  if (recommended.length > 0) {
    return warning(
      'cloudConfigMapRecommendedKeys',
      { name: ref.name, keys: recommended.join(', ') },
      command(patchConfigMapCommand(ref, placeholders(recommended))),
    );
  }
  const set = Object.keys(data)
    .filter((key) => key !== 'CLOUD_PROVIDER' && has(data, key))
    .sort();
  return pass('cloudConfigMapOk', { name: ref.name, provider: cloud.id, keys: listOf(set, 8) || '—' });
}
