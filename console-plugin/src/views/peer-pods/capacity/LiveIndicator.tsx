import type { FC } from 'react';
import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Flex, FlexItem, Label, Tooltip } from '@patternfly/react-core';
import { SyncAltIcon } from '@patternfly/react-icons';
import { useTranslation } from 'react-i18next';

import { CAPACITY_POLL_MS } from '../../../hooks/useCapacitySummary';

const CAPACITY_POLL_SECONDS = CAPACITY_POLL_MS / 1000;

type LiveIndicatorProps = {
  /** The backend's event stream is connected; otherwise the data is polled. */
  live: boolean;
  /** When the backend produced what is shown (ISO time). */
  updatedAt: string | undefined;
};

/** Whether the numbers follow the cluster as it changes (event stream) or every few seconds (polling). */
const LiveIndicator: FC<LiveIndicatorProps> = ({ live, updatedAt }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Flex spaceItems={{ default: 'spaceItemsSm' }} alignItems={{ default: 'alignItemsCenter' }}>
      <FlexItem>
        {live ? (
          <Tooltip content={t('The backend streams every change as it happens.')}>
            <Label status="success" isCompact tabIndex={0}>
              {t('Live')}
            </Label>
          </Tooltip>
        ) : (
          <Tooltip
            content={t(
              'The live stream is not connected (a proxy may buffer it), so the data is read again every {{seconds}} seconds.',
              { seconds: CAPACITY_POLL_SECONDS },
            )}
          >
            <Label color="grey" icon={<SyncAltIcon />} isCompact tabIndex={0}>
              {t('Refreshed every {{seconds}} s', { seconds: CAPACITY_POLL_SECONDS })}
            </Label>
          </Tooltip>
        )}
      </FlexItem>
      {updatedAt && (
        <FlexItem>
          {t('Updated')} <Timestamp timestamp={updatedAt} simple />
        </FlexItem>
      )}
    </Flex>
  );
};

export default LiveIndicator;
