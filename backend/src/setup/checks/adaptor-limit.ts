// The cloud-api-adaptor keeps a per-node limit of its own, PEERPODS_LIMIT_PER_NODE in the
// PeerPodConfig's ConfigMap (default 10), which it advertises where it owns a node's capacity. An
// edit of the PeerPodConfig limit that leaves it behind gives those nodes the old number: a
// warning, with the command that sets the key to the limit (the limit editor offers the same).
import { checkLimit } from '@peer-pods-console/contract/capacity';
import { ADAPTOR_DEFAULT_LIMIT, ADAPTOR_LIMIT_KEY } from '@peer-pods-console/contract/sizing';
import type { ObjectRef } from '../../kube/peer-pod-config-resolver.ts';
import { action, command, pass, shellQuoteJson, warning, type CheckOutcome } from '../outcome.ts';

export interface AdaptorLimitInput {
  configMap: ObjectRef;
  /** The ConfigMap's data (undefined: it does not exist). */
  data: Record<string, string> | undefined;
  /** spec.limit of the PeerPodConfig as written (undefined: no PeerPodConfig or no limit). */
  limit: unknown;
}

/** The command that sets the key to `limit` in the ConfigMap, leaving its other keys alone. */
export function adaptorLimitCommand(configMap: ObjectRef, limit: number): string {
  const patch = shellQuoteJson({ data: { [ADAPTOR_LIMIT_KEY]: String(limit) } });
  return `oc patch configmap ${configMap.name} -n ${configMap.namespace} --type merge -p ${patch}`;
}

export function checkAdaptorLimit(input: AdaptorLimitInput): CheckOutcome {
  const { configMap, data } = input;
  if (data === undefined) {
    throw new Error(`there is no ConfigMap ${configMap.name} in the namespace ${configMap.namespace}`);
  }
  const limit = typeof input.limit === 'string' ? checkLimit(input.limit) : undefined;
  const values = { key: ADAPTOR_LIMIT_KEY, name: configMap.name };
  if (!limit?.ok) return warning('adaptorLimitNoConfigLimit', values, action('edit-limit'));
  const raw = data[ADAPTOR_LIMIT_KEY]?.trim();
  if (raw === undefined || raw === '') {
    const same = ADAPTOR_DEFAULT_LIMIT === limit.value;
    return same
      ? pass('adaptorLimitUnsetOk', { ...values, value: ADAPTOR_DEFAULT_LIMIT })
      : warning(
          'adaptorLimitUnsetDrift',
          { ...values, value: ADAPTOR_DEFAULT_LIMIT, limit: limit.value },
          command(adaptorLimitCommand(configMap, limit.value)),
        );
  }
  const adaptor = checkLimit(raw);
  if (adaptor.ok && adaptor.value === limit.value) return pass('adaptorLimitOk', { ...values, value: adaptor.value });
  return warning(
    'adaptorLimitDrift',
    { ...values, value: raw, limit: limit.value },
    command(adaptorLimitCommand(configMap, limit.value)),
  );
}
