import type { FC } from 'react';
import { useTranslation } from 'react-i18next';

import FeatureNotAvailableState from '../FeatureNotAvailableState';

const VirtualMachinesTab: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <FeatureNotAvailableState
      description={t(
        'The inventory of peer pod virtual machines in the cloud, with orphan detection and cleanup, is not part of this version of the plugin.',
      )}
    />
  );
};

export default VirtualMachinesTab;
