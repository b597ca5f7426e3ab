import type { FC, ReactNode } from 'react';
import {
  Alert,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Stack,
  StackItem,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { CapacityRoom, VcpuQuota } from '../../../api/backend';
import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf } from '../../../components/backendProblem';
import { useSizeText } from '../../../hooks/useSizeText';
import { PEER_PODS_PAGE_PATH } from '../peerPodsRoutes';
import { sizeKeysOf, sizeSpecOf, tightestQuota } from './cloudRoom';
import QuotaShortAlert from './QuotaShortAlert';

/** One term of the card: its value, and a quieter line under it that says where the value comes from. */
const RoomFact: FC<{ term: string; help?: ReactNode; children: ReactNode }> = ({ term, help, children }) => (
  <DescriptionListGroup>
    <DescriptionListTerm>{term}</DescriptionListTerm>
    <DescriptionListDescription>
      <div>{children}</div>
      {help && <Content component="small">{help}</Content>}
    </DescriptionListDescription>
  </DescriptionListGroup>
);

/** A quota the backend could not read: which permission to grant, or why it could not tell. */
const QuotaNote: FC<{ quota: VcpuQuota; decides: boolean }> = ({ quota, decides }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  // Only a quota that leaves the room unknown needs attention; beside a known one it is background.
  const variant = decides ? 'warning' : 'info';
  const name = quota.name || quota.code;
  if (quota.state === 'not-permitted') {
    return (
      <Alert variant={variant} isInline title={t('The backend may not read the vCPU quota {{quota}}', { quota: name })}>
        {quota.permission
          ? t('Grant its cloud credentials {{permission}}, then refresh.', { permission: quota.permission })
          : t('Grant its cloud credentials the permission to read this quota, then refresh.')}
      </Alert>
    );
  }
  return (
    <Alert variant={variant} isInline title={t('The vCPU quota {{quota}} could not be read', { quota: name })}>
      {quota.detail ?? t('The backend gave no reason.')}
    </Alert>
  );
};

type CloudRoomDetailsProps = {
  room: CapacityRoom;
  /** The PeerPodConfig's ConfigMap, named when the room does not name it. */
  configMapName: string;
  onRefresh: () => void;
};

/** What the cloud room holds: the default size, the promise, the quota that decides and the verdict. */
const CloudRoomDetails: FC<CloudRoomDetailsProps> = ({ room, configMapName, onRefresh }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const text = useSizeText();
  const keys = sizeKeysOf(room.provider);
  const configMap = room.adaptorLimit?.name ?? configMapName;
  const defaultSpec = room.defaultSize ? sizeSpecOf(room, room.defaultSize) : undefined;
  const quota = tightestQuota(room.quotas);
  const unreadQuotas = room.quotas.filter((candidate) => candidate.state !== 'known');
  // Azure counts a VM against its family's quota and the region's total: the one that decides is
  // shown above, the others here, so the admin sees every limit a new VM must fit.
  const otherQuotas = room.quotas.filter((candidate) => candidate.state === 'known' && candidate !== quota);

  const defaultSource =
    room.defaultSizeSource === 'config-map'
      ? t('{{setting}} in {{configMap}}', { setting: keys.default, configMap })
      : room.defaultSizeSource === 'adaptor-default'
        ? t("The cloud-api-adaptor's default: {{setting}} is not set in {{configMap}}", {
            setting: keys.default,
            configMap,
          })
        : undefined;

  const whyRoomUnknown =
    room.vcpusPerVm === null ? t('The vCPUs of the default size are not known.') : t('No vCPU quota could be read.');

  return (
    <Stack hasGutter>
      {room.error && (
        <StackItem>
          <BackendProblemAlert
            title={t('The sizes and quotas could not be read from the cloud')}
            problem={backendProblemOf(room.error)}
            forbiddenExplanation={t('The backend was not allowed to read what it needs to read the sizes and quotas.')}
            setupPath={`${PEER_PODS_PAGE_PATH}/setup`}
            onRetry={onRefresh}
          />
        </StackItem>
      )}
      <StackItem>
        <DescriptionList aria-label={t('Room in the cloud account')} columnModifier={{ default: '1Col', lg: '2Col' }}>
          <RoomFact term={t('Default VM size')} help={defaultSource}>
            {room.defaultSize
              ? [room.defaultSize, ...(defaultSpec ? [text.details(defaultSpec)] : [])].join(' · ')
              : t('Unknown')}
          </RoomFact>
          <RoomFact
            term={t('Allowed sizes')}
            help={
              room.allowedSizes.length > 0
                ? t('{{setting}} in {{configMap}}', { setting: keys.allowed, configMap })
                : t('{{setting}} is not set in {{configMap}}', { setting: keys.allowed, configMap })
            }
          >
            {room.allowedSizes.length > 0 ? room.allowedSizes.join(', ') : t('Only the default size')}
          </RoomFact>
          <RoomFact term={t('VMs the limits allow')} help={t("The sum of every node's VM limit, overrides included")}>
            {room.promisedVcpus !== null
              ? t('{{vms}} = {{vcpus}} vCPUs', {
                  vms: text.number(room.promisedVms),
                  vcpus: text.number(room.promisedVcpus),
                })
              : text.number(room.promisedVms)}
          </RoomFact>
          <RoomFact term={t('Running now')} help={t('VMs that peer pods hold now')}>
            {text.number(room.usedVms)}
          </RoomFact>
          <RoomFact
            term={t('Tightest vCPU quota')}
            help={
              quota &&
              t('{{code}} in {{region}}: limit {{limit}}, used {{used}}, free {{free}} vCPUs', {
                code: quota.code,
                region: room.region ?? '—',
                limit: quota.limit === null ? '—' : text.number(quota.limit),
                used: quota.used === null ? '—' : text.number(quota.used),
                free: text.number(quota.free ?? 0),
              })
            }
          >
            {quota ? quota.name || quota.code : t('Unknown')}
          </RoomFact>
          {otherQuotas.length > 0 && (
            <RoomFact term={t('Other vCPU quotas')} help={t('The default size counts against these too')}>
              {otherQuotas.map((other) => (
                <div key={other.code}>
                  {t('{{quota}}: limit {{limit}}, used {{used}}, free {{free}} vCPUs', {
                    quota: other.name || other.code,
                    limit: text.number(other.limit ?? 0),
                    used: text.number(other.used ?? 0),
                    free: text.number(other.free ?? 0),
                  })}
                </div>
              ))}
            </RoomFact>
          )}
          <RoomFact
            term={t('Room for more VMs')}
            help={
              room.moreVms !== null && room.freeVcpus !== null && room.vcpusPerVm !== null
                ? t('{{free}} free vCPUs ÷ {{perVm}} vCPUs per VM', {
                    free: text.number(room.freeVcpus),
                    perVm: text.number(room.vcpusPerVm),
                  })
                : whyRoomUnknown
            }
          >
            {room.moreVms !== null ? (
              <strong>
                {t('At most {{number}} more peer pod VMs can start', { number: text.number(room.moreVms) })}
              </strong>
            ) : (
              t('Unknown')
            )}
          </RoomFact>
        </DescriptionList>
      </StackItem>
      {room.exceeds && quota && (
        <StackItem>
          <QuotaShortAlert room={room} quota={quota} />
        </StackItem>
      )}
      {unreadQuotas.map((unread) => (
        <StackItem key={unread.code}>
          <QuotaNote quota={unread} decides={room.moreVms === null} />
        </StackItem>
      ))}
    </Stack>
  );
};

export default CloudRoomDetails;
