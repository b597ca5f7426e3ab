// What a limit or override being typed would promise against the cloud account's vCPU quota: the
// contract's rules (promisedVms, roomVerdict) applied to the live capacity rows and the room; and
// whether the adaptor's own per-node limit in peer-pods-cm agrees with the limit.
import { ADAPTOR_DEFAULT_LIMIT, promisedVms, roomVerdict, type RoomVerdict } from '@peer-pods-console/contract/sizing';

import type { CapacityRoom, CapacitySummary } from '../../../../api/backend';

/** The change an editor would save: a PeerPodConfig's limit, or one node's override (null removes it). */
export type PlannedChange =
  | { kind: 'limit'; config: { namespace: string; name: string }; limit: number }
  | { kind: 'override'; node: string; override: number | null };

/** The limit of the PeerPodConfig a node falls back to without its override; null when it has none valid. */
const configLimitOf = (summary: Pick<CapacitySummary, 'nodes' | 'configs'>, nodeName: string): number | null => {
  const ref = summary.nodes.find((node) => node.name === nodeName)?.config;
  if (!ref) return null;
  return (
    summary.configs.find((config) => config.namespace === ref.namespace && config.name === ref.name)?.validLimit ?? null
  );
};

/**
 * The verdict if `change` were saved, over every node of the summary (not only the ones an editor
 * was given). Without a room (it could not be read) the promise is still counted, in VMs only.
 */
export const plannedVerdict = (
  summary: Pick<CapacitySummary, 'nodes' | 'configs' | 'totals'>,
  room: CapacityRoom | undefined,
  change: PlannedChange,
): RoomVerdict => {
  const promised = promisedVms(
    summary.nodes,
    change.kind === 'limit' ? change : { ...change, configLimit: configLimitOf(summary, change.node) },
  );
  return roomVerdict(promised, room?.usedVms ?? summary.totals.used, room?.vcpusPerVm ?? null, room?.freeVcpus ?? null);
};

/** Why the vCPUs of the promise, or the room for them, are not known: the first thing that went wrong. */
export type RoomGap =
  | { kind: 'room-error'; message: string }
  | { kind: 'size-unknown'; size: string | null }
  | { kind: 'not-permitted'; quota: string; permission: string | null }
  | { kind: 'quota-unknown'; quota: string; detail: string | null }
  | { kind: 'no-quota'; size: string | null };

/** Why the vCPUs the VMs need cannot be counted (the verdict's promisedVcpus is null). */
export const sizeGapOf = (room: CapacityRoom): RoomGap =>
  room.error ? { kind: 'room-error', message: room.error.message } : { kind: 'size-unknown', size: room.defaultSize };

/** Why the free vCPUs are not known (the verdict's moreVms is null while its promisedVcpus is not). */
export const quotaGapOf = (room: CapacityRoom): RoomGap => {
  if (room.error) return { kind: 'room-error', message: room.error.message };
  const refused = room.quotas.find((quota) => quota.state === 'not-permitted');
  if (refused) return { kind: 'not-permitted', quota: refused.name, permission: refused.permission };
  const unread = room.quotas.find((quota) => quota.state !== 'known');
  if (unread) return { kind: 'quota-unknown', quota: unread.name, detail: unread.detail };
  return { kind: 'no-quota', size: room.defaultSize };
};

/** PEERPODS_LIMIT_PER_NODE in the PeerPodConfig's ConfigMap, as the room reads it. */
export type AdaptorLimit = NonNullable<CapacityRoom['adaptorLimit']>;

/**
 * The per-node limit the adaptor applies: the key's value, or its default when the key is unset;
 * null when the key holds something that is not a limit.
 */
export const effectiveAdaptorLimit = (adaptor: AdaptorLimit): number | null =>
  adaptor.value ?? (adaptor.text === null ? ADAPTOR_DEFAULT_LIMIT : null);

/** Whether the adaptor would advertise `limit` too, so there is nothing to keep in step. */
export const adaptorAgrees = (adaptor: AdaptorLimit, limit: number): boolean =>
  effectiveAdaptorLimit(adaptor) === limit;
