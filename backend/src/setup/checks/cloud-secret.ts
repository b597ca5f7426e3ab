// The cloud Secret must hold every key the platform's cloud module requires there. The check
// sees key names only: the caller hands over the names of the keys that have a value, never the
// values themselves.
import { cloudModule } from '../../cloud/modules.ts';
import { command, fail, listOf, pass, warning, type CheckOutcome } from '../outcome.ts';
import {
  createSecretCommand,
  defaultCloud,
  patchSecretCommand,
  requiredSecretKeys,
  type ObjectRef,
} from './cloud-keys.ts';
import type { CloudPlatform } from './platform.ts';

export interface CloudSecretInput {
  ref: ObjectRef;
  /** From infrastructure/cluster, else from CLOUD_PROVIDER; undefined when neither tells. */
  platform: CloudPlatform | undefined;
  /** Names of the Secret's keys that have a non-empty value; undefined when the Secret does not exist. */
  keysWithValues: readonly string[] | undefined;
  /** Names of the ConfigMap's keys with a value (a key the cloud reads from either object may be there instead). */
  configMapKeys: readonly string[];
}

export function checkCloudSecret(input: CloudSecretInput): CheckOutcome {
  const { ref } = input;
  const cloud = input.platform ? cloudModule(input.platform) : undefined;
  if (!input.keysWithValues) {
    const keys = requiredSecretKeys(cloud ?? defaultCloud(), input.configMapKeys);
    return fail('cloudSecretMissing', { ...ref }, command(createSecretCommand(ref, keys)));
  }
  const held = [...input.keysWithValues].sort();
  if (!cloud) return warning('cloudSecretNoPlatform', { name: ref.name, keys: held.join(', ') || '—' });
  const missing = requiredSecretKeys(cloud, input.configMapKeys).filter((key) => !held.includes(key));
  if (missing.length > 0) {
    return fail(
      'cloudSecretMissingKeys',
      { name: ref.name, keys: missing.join(', '), platform: cloud.displayName },
      command(patchSecretCommand(ref, missing)),
    );
  }
  return pass('cloudSecretOk', { name: ref.name, keys: listOf(held, 8) });
}
