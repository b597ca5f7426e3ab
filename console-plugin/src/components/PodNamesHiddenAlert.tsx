import type { FC } from 'react';
import { Alert } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

/**
 * Said once above a list whose pod namespaces and names the backend left out: they are only for
 * users who may list pods in all namespaces.
 */
const PodNamesHiddenAlert: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Alert variant="info" isInline isPlain title={t('Pod names hidden: you may not list pods in all namespaces')} />
  );
};

export default PodNamesHiddenAlert;
