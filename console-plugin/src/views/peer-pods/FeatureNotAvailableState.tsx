import type { FC } from 'react';
import { EmptyState, EmptyStateBody } from '@patternfly/react-core';
import { WrenchIcon } from '@patternfly/react-icons';
import { useTranslation } from 'react-i18next';

type FeatureNotAvailableStateProps = {
  /** What the feature will do, so that the admin knows what is missing rather than seeing fake data. */
  description: string;
};

const FeatureNotAvailableState: FC<FeatureNotAvailableStateProps> = ({ description }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <EmptyState titleText={t('Not available in this version')} headingLevel="h2" icon={WrenchIcon} variant="sm">
      <EmptyStateBody>{description}</EmptyStateBody>
    </EmptyState>
  );
};

export default FeatureNotAvailableState;
