import type { FC } from 'react';
import { Alert, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import { isForbiddenError, messageOf } from '../../../../k8s/loadErrors';

type SaveErrorAlertProps = {
  error: unknown;
  /** What was not saved, e.g. "The limit was not saved". */
  title: string;
  /** Shown for a 403: the permission the user lacks and whom to ask. */
  forbiddenTitle: string;
  forbiddenText: string;
};

/** A write the API server refused: a missing permission says which, anything else shows its message. */
const SaveErrorAlert: FC<SaveErrorAlertProps> = ({ error, title, forbiddenTitle, forbiddenText }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const forbidden = isForbiddenError(error);
  const detail = messageOf(error);
  return (
    <Alert variant="danger" isInline title={forbidden ? forbiddenTitle : title}>
      <Stack hasGutter>
        {forbidden && <StackItem>{forbiddenText}</StackItem>}
        <StackItem>
          {detail
            ? t('Error: {{message}}', { message: detail })
            : t('The API server gave no reason. Try again in a moment.')}
        </StackItem>
      </Stack>
    </Alert>
  );
};

export default SaveErrorAlert;
