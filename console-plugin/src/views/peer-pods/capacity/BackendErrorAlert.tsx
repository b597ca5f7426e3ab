import type { FC } from 'react';
import { Alert, AlertActionLink, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf, isAccessProblem } from '../../../components/backendProblem';
import CopyableCodeBlock from '../../../components/CopyableCodeBlock';
import { messageOf } from '../../../k8s/loadErrors';

// Where the backend runs is the chart's choice (namespace, release name); these find it anywhere.
const backendCheckCommands = `oc get consoleplugin peer-pods-console-plugin -o jsonpath='{.spec.proxy[0].endpoint.service}{"\\n"}'
oc get pods --all-namespaces -l app.kubernetes.io/part-of=peer-pods-console
oc logs --all-containers --tail=50 -n <namespace> deployment/<backend deployment>`;

type BackendErrorAlertProps = {
  error: unknown;
  /** Ask the backend again. */
  onRetry?: () => void;
  /** A compact form for small places (the overview card): no commands. */
  isCompact?: boolean;
};

/**
 * The backend's answer is missing: either the user may not read capacity (403, calmly, with the
 * permission to ask for; 401, with a reload), or the backend cannot be reached (with the commands
 * that show why, and a retry).
 */
const BackendErrorAlert: FC<BackendErrorAlertProps> = ({ error, onRetry, isCompact = false }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const problem = backendProblemOf(error);
  if (isAccessProblem(problem)) {
    return (
      <BackendProblemAlert
        title={
          problem.code === 'forbidden'
            ? t('You are not allowed to read peer pod capacity')
            : t('Could not read peer pod capacity')
        }
        problem={problem}
        forbiddenExplanation={t(
          'Reading capacity needs the permission to list nodes in the whole cluster. Ask a cluster administrator for it.',
        )}
      />
    );
  }
  const detail = messageOf(error);
  const retry = onRetry ? <AlertActionLink onClick={onRetry}>{t('Try again')}</AlertActionLink> : undefined;
  return (
    <Alert variant="danger" isInline title={t('The peer pods backend is not reachable')} actionLinks={retry}>
      <Stack hasGutter>
        <StackItem>
          {t(
            "Capacity comes from the plugin's backend, through the console's plugin proxy. The backend may not be running, or the ConsolePlugin may point to the wrong Service.",
          )}
        </StackItem>
        {!isCompact && (
          <>
            <StackItem>{t('Check which Service the proxy uses, and that the backend pods run:')}</StackItem>
            <StackItem>
              <CopyableCodeBlock code={backendCheckCommands} copyAriaLabel={t('Copy the commands')} />
            </StackItem>
          </>
        )}
        {detail && <StackItem>{t('Error: {{message}}', { message: detail })}</StackItem>}
      </Stack>
    </Alert>
  );
};

export default BackendErrorAlert;
