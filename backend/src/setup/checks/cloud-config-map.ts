// The peer-pods ConfigMap must name the cluster's cloud in CLOUD_PROVIDER and hold the keys the
// product needs there (region / subscription / resource group, unless infrastructure/cluster
// gives them), a valid VXLAN_PORT, and preferably the keys the cloud-api-adaptor places VMs with.
import { command, fail, listOf, pass, warning, type CheckOutcome } from '../outcome.ts';
import {
  createConfigMapCommand,
  patchConfigMapCommand,
  placeholder,
  PLATFORM_NAMES,
  RECOMMENDED_CONFIG_MAP_KEYS,
  SUBSCRIPTION_KEY,
  type ObjectRef,
} from './cloud-keys.ts';
import type { CloudPlatform } from './platform.ts';

export interface CloudConfigMapInput {
  ref: ObjectRef;
  /** The cluster's cloud by infrastructure/cluster; undefined when it does not say (or says another). */
  platform: CloudPlatform | undefined;
  /** What infrastructure/cluster already tells, so the ConfigMap need not. */
  infrastructureRegion?: string;
  infrastructureResourceGroup?: string;
  /** The ConfigMap's data; undefined when it does not exist. */
  data: Readonly<Record<string, string>> | undefined;
  /** Names of the Secret's keys with a value (Azure's subscription id may be there instead). */
  secretKeys: readonly string[];
}

function has(data: Readonly<Record<string, string>>, key: string): boolean {
  return Boolean(data[key]?.trim());
}

export function checkCloudConfigMap(input: CloudConfigMapInput): CheckOutcome {
  const { ref, platform, data } = input;
  if (!data) {
    const seed: Record<string, string> = { CLOUD_PROVIDER: platform ?? 'aws', VXLAN_PORT: '9000' };
    if (platform !== 'azure' && !input.infrastructureRegion) seed.AWS_REGION = placeholder('AWS_REGION');
    return fail('cloudConfigMapMissing', { ...ref }, command(createConfigMapCommand(ref, seed)));
  }

  const raw = data.CLOUD_PROVIDER?.trim();
  if (!raw) {
    return fail(
      'cloudProviderMissing',
      { name: ref.name },
      command(patchConfigMapCommand(ref, { CLOUD_PROVIDER: platform ?? '<aws-or-azure>' })),
    );
  }
  const provider = raw.toLowerCase();
  if (provider !== 'aws' && provider !== 'azure') {
    return fail(
      'cloudProviderInvalid',
      { name: ref.name, value: raw },
      command(patchConfigMapCommand(ref, { CLOUD_PROVIDER: platform ?? '<aws-or-azure>' })),
    );
  }
  if (platform && provider !== platform) {
    return fail(
      'cloudProviderMismatch',
      { name: ref.name, value: raw, platform: PLATFORM_NAMES[platform] },
      command(patchConfigMapCommand(ref, { CLOUD_PROVIDER: platform })),
    );
  }

  const cloud: CloudPlatform = provider;
  const missing: string[] = [];
  if (cloud === 'aws' && !input.infrastructureRegion && !has(data, 'AWS_REGION')) missing.push('AWS_REGION');
  if (cloud === 'azure') {
    if (!has(data, SUBSCRIPTION_KEY) && !input.secretKeys.includes(SUBSCRIPTION_KEY)) missing.push(SUBSCRIPTION_KEY);
    if (!input.infrastructureResourceGroup && !has(data, 'AZURE_RESOURCE_GROUP')) missing.push('AZURE_RESOURCE_GROUP');
  }
  if (missing.length > 0) {
    return fail(
      'cloudConfigMapMissingKeys',
      { name: ref.name, keys: missing.join(', '), platform: PLATFORM_NAMES[cloud] },
      command(patchConfigMapCommand(ref, Object.fromEntries(missing.map((key) => [key, placeholder(key)])))),
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

  const recommended = RECOMMENDED_CONFIG_MAP_KEYS[cloud].filter((key) => !has(data, key));
  if (recommended.length > 0) {
    return warning(
      'cloudConfigMapRecommendedKeys',
      { name: ref.name, keys: recommended.join(', ') },
      command(patchConfigMapCommand(ref, Object.fromEntries(recommended.map((key) => [key, placeholder(key)])))),
    );
  }
  const set = Object.keys(data)
    .filter((key) => key !== 'CLOUD_PROVIDER' && has(data, key))
    .sort();
  return pass('cloudConfigMapOk', { name: ref.name, provider, keys: listOf(set, 8) || '—' });
}
