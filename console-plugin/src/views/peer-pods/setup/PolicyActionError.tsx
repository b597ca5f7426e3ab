import type { FC } from 'react';
import { Alert, AlertActionCloseButton } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import { isForbiddenError, messageOf } from '../../../k8s/loadErrors';

type PolicyActionErrorProps = {
  /** What failed, e.g. "Could not install the namespace policy". */
  title: string;
  /** Who may do it, said when the API server answers 403. */
  forbiddenExplanation: string;
  error: unknown;
  onClose: () => void;
};

/** A refused write: 403 says plainly that RBAC decided, anything else shows the API server's words. */
const PolicyActionError: FC<PolicyActionErrorProps> = ({ title, forbiddenExplanation, error, onClose }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const forbidden = isForbiddenError(error);
  const message = messageOf(error);
  return (
    <Alert
      variant="danger"
      isInline
      title={forbidden ? t('{{title}}: permission denied (403)', { title }) : title}
      actionClose={<AlertActionCloseButton onClose={onClose} />}
    >
      {forbidden && <p>{forbiddenExplanation}</p>}
      {message && <p>{t('The API server said: {{message}}', { message })}</p>}
    </Alert>
  );
};

export default PolicyActionError;
