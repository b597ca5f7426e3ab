import type { FC } from 'react';
import { useTranslation } from 'react-i18next';

import FeatureNotAvailableState from '../FeatureNotAvailableState';

const NetworkSetupTab: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <FeatureNotAvailableState
      description={t(
        'The wizard that opens the ports between worker nodes and peer pod virtual machines is not part of this version of the plugin.',
      )}
    />
  );
};

export default NetworkSetupTab;
