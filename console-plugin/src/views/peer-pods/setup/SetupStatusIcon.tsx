import type { FC } from 'react';
import { Flex, FlexItem, Icon } from '@patternfly/react-core';
import { CheckCircleIcon, ExclamationCircleIcon, ExclamationTriangleIcon } from '@patternfly/react-icons';
import { useTranslation } from 'react-i18next';

import type { SetupCheck } from '../../../api/backend';

/** Pass / warning / fail as PatternFly's status icon (theme token colours) and a word. */
const SetupStatusIcon: FC<{ status: SetupCheck['status'] }> = ({ status }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const look = {
    pass: { icon: <CheckCircleIcon />, status: 'success' as const, text: t('Passed') },
    warning: { icon: <ExclamationTriangleIcon />, status: 'warning' as const, text: t('Warning') },
    fail: { icon: <ExclamationCircleIcon />, status: 'danger' as const, text: t('Failed') },
  }[status];
  return (
    <Flex spaceItems={{ default: 'spaceItemsSm' }} flexWrap={{ default: 'nowrap' }}>
      <FlexItem>
        <Icon status={look.status}>{look.icon}</Icon>
      </FlexItem>
      <FlexItem>{look.text}</FlexItem>
    </Flex>
  );
};

export default SetupStatusIcon;
