import type { FC } from 'react';
import { Alert, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { CapacityRoom, VcpuQuota } from '../../../api/backend';
import CopyableCodeBlock from '../../../components/CopyableCodeBlock';
import { useSizeText } from '../../../hooks/useSizeText';
import { quotaIncreaseCommand, quotaLimitNeeded, shortfallOf } from './cloudRoom';

type QuotaShortAlertProps = {
  room: CapacityRoom;
  /** The tightest known quota: the one that runs out first. */
  quota: VcpuQuota;
};

/**
 * The limits promise more VMs than the quota holds: the scheduler places those peer pods, and their
 * VMs then fail to start. Says by how much, and both ways out: lower limits, or a higher quota.
 */
const QuotaShortAlert: FC<QuotaShortAlertProps> = ({ room, quota }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const text = useSizeText();
  const short = shortfallOf(room);
  const neededLimit = quotaLimitNeeded(room, quota);
  const command = neededLimit === null ? null : quotaIncreaseCommand(room, quota, neededLimit);
  const values = {
    quota: quota.name || quota.code,
    code: quota.code,
    region: room.region ?? '—',
    limit: neededLimit === null ? '—' : text.number(neededLimit),
  };

  const howToRaise =
    room.provider === 'aws'
      ? neededLimit === null
        ? t(
            'Or request an increase of the quota {{code}} ({{quota}}) in the Service Quotas console, region {{region}}.',
            values,
          )
        : t(
            'Or request an increase of the quota {{code}} ({{quota}}) to at least {{limit}} vCPUs in the Service Quotas console, region {{region}}, or with this command:',
            values,
          )
      : room.provider === 'azure'
        ? neededLimit === null
          ? t('Or request a vCPU quota increase for {{quota}} in {{region}} (Azure portal: Quotas, Compute).', values)
          : t(
              'Or request a vCPU quota increase for {{quota}} in {{region}} to at least {{limit}} vCPUs (Azure portal: Quotas, Compute), or with this command:',
              values,
            )
        : t('Or ask the cloud provider for a higher vCPU quota.');

  return (
    <Alert
      variant="warning"
      isInline
      title={t('The limits promise {{number}} more VMs than the quota holds', { number: text.number(short) })}
    >
      <Stack hasGutter>
        <StackItem>
          {t(
            '{{still}} of the VMs the limits allow have not started yet, but the quota {{quota}} has {{free}} vCPUs free: room for {{more}} more VMs of {{size}}. Peer pods beyond that are scheduled, then stay in ContainerCreating with a quota error.',
            {
              still: text.number(room.stillPromisedVms),
              quota: values.quota,
              free: text.number(room.freeVcpus ?? quota.free ?? 0),
              more: text.number(room.moreVms ?? 0),
              size: room.defaultSize ?? '—',
            },
          )}
        </StackItem>
        <StackItem>
          {t('Lower the VM limits (the PeerPodConfig limit, or node overrides) by {{number}} VMs in all.', {
            number: text.number(short),
          })}
        </StackItem>
        <StackItem>{howToRaise}</StackItem>
        {command && (
          <StackItem>
            <CopyableCodeBlock code={command} copyAriaLabel={t('Copy the quota increase command')} />
          </StackItem>
        )}
      </Stack>
    </Alert>
  );
};

export default QuotaShortAlert;
