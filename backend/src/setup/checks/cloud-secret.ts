// The cloud Secret must hold every key the platform needs. The check sees key names only: the
// caller hands over the names of the keys that have a value, never the values themselves.
import { command, fail, listOf, pass, warning, type CheckOutcome } from '../outcome.ts';
import {
  createSecretCommand,
  patchSecretCommand,
  PLATFORM_NAMES,
  REQUIRED_SECRET_KEYS,
  SUBSCRIPTION_KEY,
  type ObjectRef,
} from './cloud-keys.ts';
import type { CloudPlatform } from './platform.ts';

export interface CloudSecretInput {
  ref: ObjectRef;
  /** From infrastructure/cluster, else from CLOUD_PROVIDER; undefined when neither tells. */
  platform: CloudPlatform | undefined;
  /** Names of the Secret's keys that have a non-empty value; undefined when the Secret does not exist. */
  keysWithValues: readonly string[] | undefined;
  /** Names of the ConfigMap's keys with a value (Azure's subscription id may be there instead). */
  configMapKeys: readonly string[];
}

export function checkCloudSecret(input: CloudSecretInput): CheckOutcome {
  const { ref, platform } = input;
  const required = platform ? [...REQUIRED_SECRET_KEYS[platform]] : [];
  if (platform === 'azure' && !input.configMapKeys.includes(SUBSCRIPTION_KEY)) required.push(SUBSCRIPTION_KEY);
  if (!input.keysWithValues) {
    const keys = platform ? required : [...REQUIRED_SECRET_KEYS.aws];
    return fail('cloudSecretMissing', { ...ref }, command(createSecretCommand(ref, keys)));
  }
  const held = [...input.keysWithValues].sort();
  if (!platform) return warning('cloudSecretNoPlatform', { name: ref.name, keys: held.join(', ') || '—' });
  const missing = required.filter((key) => !held.includes(key));
  if (missing.length > 0) {
    return fail(
      'cloudSecretMissingKeys',
      { name: ref.name, keys: missing.join(', '), platform: PLATFORM_NAMES[platform] },
      command(patchSecretCommand(ref, missing)),
    );
  }
  return pass('cloudSecretOk', { name: ref.name, keys: listOf(held, 8) });
}
