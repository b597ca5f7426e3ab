import type { FC } from 'react';
import { Alert } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import { isForbiddenError, messageOf } from '../../../k8s/loadErrors';
import { DEFAULT_PEER_POD_CONFIG } from '../../../models/PeerPodConfig';

/**
 * The PeerPodConfig could not be read: say why, and what the admin can do about it. Missing read
 * access is information, said once; any other failure is an error with the API server's words.
 */
const PeerPodConfigLoadError: FC<{ error: unknown }> = ({ error }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const title = t('Could not load the PeerPodConfig');
  if (isForbiddenError(error)) {
    return (
      <Alert variant="info" isInline title={title}>
        {t(
          'You are not allowed to read PeerPodConfigs in the namespace {{namespace}}. Ask a cluster administrator for access.',
          { namespace: DEFAULT_PEER_POD_CONFIG.namespace },
        )}
      </Alert>
    );
  }
  const detail = messageOf(error);
  return (
    <Alert variant="danger" isInline title={title}>
      <p>
        {t('The API server did not return the PeerPodConfig {{name}}. Reload the page to try again.', {
          name: DEFAULT_PEER_POD_CONFIG.name,
        })}
      </p>
      {detail && <p>{t('Error: {{message}}', { message: detail })}</p>}
    </Alert>
  );
};

export default PeerPodConfigLoadError;
