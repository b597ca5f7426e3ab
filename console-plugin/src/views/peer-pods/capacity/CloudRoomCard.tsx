import { type FC, useEffect, useRef } from 'react';
import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Card, CardBody, CardHeader, CardTitle, Content, Flex, FlexItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf } from '../../../components/backendProblem';
import LoadingState from '../../../components/LoadingState';
import RefreshButton from '../../../components/RefreshButton';
import { useCapacityRoom } from '../../../hooks/useCapacityRoom';
import { usePermissions } from '../../../hooks/usePermissions';
import { useStableId } from '../../../hooks/useStableId';
import type { PeerPodConfigKind } from '../../../models/PeerPodConfig';
import { PEER_PODS_PAGE_PATH } from '../peerPodsRoutes';
import CloudRoomDetails from './CloudRoomDetails';

type CloudRoomCardProps = {
  peerPodConfig: PeerPodConfigKind;
  /** Changes when the limits or the use change (the capacity totals): the promise is read again then. */
  capacityKey?: string;
};

/**
 * The promise of the VM limits against the cloud account's room: the size peer pods get, the VMs
 * the limits allow, the vCPU quota that decides, and how many more VMs can start. Read with the
 * backend's cloud credentials, so only users who may read the cloud see it.
 */
const CloudRoomCard: FC<CloudRoomCardProps> = ({ peerPodConfig, capacityKey }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const cardId = useStableId('cloud-room');
  const { permissions, loaded: permissionsLoaded, error: permissionsError } = usePermissions();
  const canReadCloud = permissions?.canReadCloud === true;
  const { room, loaded, error, refresh, refreshing } = useCapacityRoom(canReadCloud);

  // A new limit or a started VM changes the promise at once; the quota itself the backend caches.
  const shownKey = useRef(capacityKey);
  useEffect(() => {
    if (shownKey.current === capacityKey) return;
    shownKey.current = capacityKey;
    refresh();
  }, [capacityKey, refresh]);

  if (!permissionsLoaded) return null;

  const fetchedAt = room?.fetchedAt;
  const actions = canReadCloud ? (
    <Flex spaceItems={{ default: 'spaceItemsSm' }} alignItems={{ default: 'alignItemsCenter' }}>
      {fetchedAt && (
        <FlexItem>
          {t('Read from the cloud')} <Timestamp timestamp={fetchedAt} simple />
        </FlexItem>
      )}
      <FlexItem>
        {/* "Read again", not "Refresh": the History below has its own Refresh, and this one reads the cloud. */}
        <RefreshButton size="sm" onClick={refresh} refreshing={refreshing} loaded={loaded}>
          {t('Read again')}
        </RefreshButton>
      </FlexItem>
    </Flex>
  ) : undefined;

  const body = !canReadCloud ? (
    <Content component="p">
      {permissionsError
        ? t('Your permissions could not be checked, so the room in the cloud account is not shown.')
        : t(
            "The room in the cloud account is read with the backend's cloud credentials, so only users who may read the Secret {{secret}} see it. Ask a cluster administrator if you need it.",
            { secret: peerPodConfig.spec.cloudSecretName },
          )}
    </Content>
  ) : room ? (
    <CloudRoomDetails room={room} configMapName={peerPodConfig.spec.configMapName} onRefresh={refresh} />
  ) : error !== undefined ? (
    <BackendProblemAlert
      title={t('The room in the cloud account could not be read')}
      problem={backendProblemOf(error)}
      forbiddenExplanation={t(
        'Reading the room in the cloud account needs permission to list nodes in the whole cluster and to read the cloud credentials Secret. Ask a cluster administrator for them.',
      )}
      setupPath={`${PEER_PODS_PAGE_PATH}/setup`}
      onRetry={refresh}
    />
  ) : (
    <LoadingState label={t('Loading the room in the cloud account')} />
  );

  return (
    <Card id={cardId} component="section" aria-labelledby={`${cardId}-title`}>
      <CardHeader actions={actions ? { actions, hasNoOffset: true } : undefined}>
        <CardTitle component="h3">{t('Room in the cloud account')}</CardTitle>
      </CardHeader>
      <CardBody>{body}</CardBody>
    </Card>
  );
};

export default CloudRoomCard;
