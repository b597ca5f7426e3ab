import type { FC } from 'react';
import { useTranslation } from 'react-i18next';

import FeatureNotAvailableState from '../FeatureNotAvailableState';

const SetupTab: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <FeatureNotAvailableState
      description={t(
        'The setup checklist, which checks each peer pods prerequisite and shows how to fix it, is not part of this version of the plugin.',
      )}
    />
  );
};

export default SetupTab;
