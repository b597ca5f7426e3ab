import type { FC } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A pod's phase in the user's language, in the console's own words for it; a phase Kubernetes
 * does not define is shown as the API server wrote it.
 */
const PodPhase: FC<{ phase: string | undefined }> = ({ phase }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  switch (phase) {
    case 'Pending':
      return <>{t('Pending')}</>;
    case 'Running':
      return <>{t('Running')}</>;
    case 'Succeeded':
      return <>{t('Succeeded')}</>;
    case 'Failed':
      return <>{t('Failed')}</>;
    case 'Unknown':
      return <>{t('Unknown')}</>;
    default:
      return <>{phase ?? '—'}</>;
  }
};

export default PodPhase;
