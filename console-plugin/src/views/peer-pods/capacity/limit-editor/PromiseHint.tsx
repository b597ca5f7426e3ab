import type { FC } from 'react';
import { HelperTextItem } from '@patternfly/react-core';
import type { RoomVerdict } from '@peer-pods-console/contract/sizing';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

import type { CapacitySummary } from '../../../../api/backend';
import { useCapacitySummary, type CapacitySummaryState } from '../../../../hooks/useCapacitySummary';
import type { CapacityRoomState } from '../../../../hooks/useCapacityRoom';
import { messageOf } from '../../../../k8s/loadErrors';
import { type PlannedChange, plannedVerdict, quotaGapOf, type RoomGap, sizeGapOf } from './limitPromise';

type RoomReading = Pick<CapacityRoomState, 'room' | 'loaded' | 'error'>;

/** The whole cluster's live capacity model as a view watches it (useCapacitySummary). */
export type ClusterCapacity = Pick<CapacitySummaryState, 'summary'>;

type PromiseLinesProps = {
  /** The changes to state the promise of, one line each; empty while the value typed is not valid. */
  changes: PlannedChange[];
  /** The room the editor reads once (useCapacityRoom): typing asks the backend nothing. */
  room: RoomReading;
};

type PromiseHintProps = PromiseLinesProps & {
  /**
   * The cluster's capacity when the editor's caller watches it already (the Capacity tab). Left
   * out (a node's tab, which has that node's row only), the hint reads it itself.
   */
  clusterCapacity?: ClusterCapacity;
};

/**
 * Helper text items (inside a HelperText) saying how many VMs the limits would promise if the change
 * were saved, the vCPUs those need, and whether the cloud account's quota holds them, over every
 * node of the cluster.
 */
const PromiseHint: FC<PromiseHintProps> = ({ clusterCapacity, ...lines }) =>
  clusterCapacity ? (
    <PromiseLines {...lines} summary={clusterCapacity.summary} />
  ) : (
    <PromiseOverOwnCapacity {...lines} />
  );

/** Opens a capacity stream of its own: only for an editor whose caller does not watch the whole cluster. */
const PromiseOverOwnCapacity: FC<PromiseLinesProps> = (lines) => {
  const { summary } = useCapacitySummary();
  return <PromiseLines {...lines} summary={summary} />;
};

const PromiseLines: FC<PromiseLinesProps & { summary: CapacitySummary | undefined }> = ({ changes, room, summary }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (!summary || !room.loaded) return null;
  return (
    <>
      {changes.map((change) => {
        const verdict = plannedVerdict(summary, room.room, change);
        const { text, exceeds } = promiseText(t, subjectOf(change), verdict, room);
        return (
          <HelperTextItem
            key={subjectOf(change)}
            variant={exceeds ? 'warning' : 'default'}
            screenReaderText={exceeds ? t('Warning') : undefined}
          >
            {text}
          </HelperTextItem>
        );
      })}
    </>
  );
};

type Subject = 'limit' | 'override' | 'no-override';

const subjectOf = (change: PlannedChange): Subject => {
  if (change.kind === 'limit') return 'limit';
  return change.override === null ? 'no-override' : 'override';
};

const promiseText = (
  t: TFunction,
  subject: Subject,
  verdict: RoomVerdict,
  { room, error }: RoomReading,
): { text: string; exceeds: boolean } => {
  const vms = verdict.promisedVms;
  const readFailure: RoomGap = { kind: 'room-error', message: messageOf(error) ?? t('the backend did not answer') };
  if (verdict.promisedVcpus === null || !room?.defaultSize) {
    const why = gapText(t, room ? sizeGapOf(room) : readFailure);
    const text = {
      limit: t('With this limit, the nodes promise {{vms}} VMs; their vCPUs cannot be counted: {{why}}', { vms, why }),
      override: t('With this override, the nodes promise {{vms}} VMs; their vCPUs cannot be counted: {{why}}', {
        vms,
        why,
      }),
      'no-override': t('Without the override, the nodes promise {{vms}} VMs; their vCPUs cannot be counted: {{why}}', {
        vms,
        why,
      }),
    }[subject];
    return { text, exceeds: false };
  }
  const figures = { vms, vcpus: verdict.promisedVcpus, size: room.defaultSize };
  if (verdict.moreVms === null || verdict.freeVcpus === null) {
    const why = gapText(t, quotaGapOf(room));
    const text = {
      limit: t(
        'With this limit, the nodes promise {{vms}} VMs = {{vcpus}} vCPUs ({{size}}); the vCPU quota could not be read: {{why}}',
        { ...figures, why },
      ),
      override: t(
        'With this override, the nodes promise {{vms}} VMs = {{vcpus}} vCPUs ({{size}}); the vCPU quota could not be read: {{why}}',
        { ...figures, why },
      ),
      'no-override': t(
        'Without the override, the nodes promise {{vms}} VMs = {{vcpus}} vCPUs ({{size}}); the vCPU quota could not be read: {{why}}',
        { ...figures, why },
      ),
    }[subject];
    return { text, exceeds: false };
  }
  const withRoom = { ...figures, free: verdict.freeVcpus, more: verdict.moreVms };
  const promise = {
    limit: t(
      'With this limit, the nodes promise {{vms}} VMs = {{vcpus}} vCPUs ({{size}}); the quota has {{free}} vCPUs free: at most {{more}} more VMs can start.',
      withRoom,
    ),
    override: t(
      'With this override, the nodes promise {{vms}} VMs = {{vcpus}} vCPUs ({{size}}); the quota has {{free}} vCPUs free: at most {{more}} more VMs can start.',
      withRoom,
    ),
    'no-override': t(
      'Without the override, the nodes promise {{vms}} VMs = {{vcpus}} vCPUs ({{size}}); the quota has {{free}} vCPUs free: at most {{more}} more VMs can start.',
      withRoom,
    ),
  }[subject];
  if (!verdict.exceeds) return { text: promise, exceeds: false };
  const over = verdict.stillPromisedVms - verdict.moreVms;
  const warning = t(
    'The limits promise {{over}} more VMs than the quota holds; peer pods beyond that will fail in ContainerCreating.',
    { over },
  );
  return { text: `${promise} ${warning}`, exceeds: true };
};

const gapText = (t: TFunction, gap: RoomGap): string => {
  switch (gap.kind) {
    case 'room-error':
      return gap.message;
    case 'size-unknown':
      return gap.size
        ? t('the cloud did not describe the VM size {{size}}', { size: gap.size })
        : t('the VM size peer pods get is not known');
    case 'not-permitted':
      return gap.permission
        ? t("the backend's cloud credentials may not read {{quota}}; they need {{permission}}", {
            quota: gap.quota,
            permission: gap.permission,
          })
        : t("the backend's cloud credentials may not read {{quota}}", { quota: gap.quota });
    case 'quota-unknown':
      return gap.detail ?? t('the cloud did not say why {{quota}} could not be read', { quota: gap.quota });
    case 'no-quota':
      return t('no vCPU quota is known for the VM size peer pods get');
  }
};

export default PromiseHint;
