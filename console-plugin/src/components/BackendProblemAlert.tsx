import type { FC, ReactNode } from 'react';
import { Alert, AlertActionLink, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom-v5-compat';

import { type BackendProblem, isAccessProblem, isSetupProblem, retryCanHelp } from './backendProblem';

type BackendProblemAlertProps = {
  title: string;
  problem: BackendProblem;
  /** What the 403 means here: which permission the user lacks, and whom to ask. */
  forbiddenExplanation: string;
  /** Where the Setup tab lives, for problems it explains and fixes. */
  setupPath?: string;
  /** Offered only for problems that may clear by themselves (retryCanHelp). */
  onRetry?: () => void;
  /** For problems of the cluster or the cloud; the user's own missing access is always calm. */
  variant?: 'danger' | 'warning';
  children?: ReactNode;
};

/**
 * A failed backend call or cloud inventory: what happened and what to do, said once. The user's own
 * missing access is information, not an error (as the console's "Restricted access"): no retry,
 * and no backend message repeating the explanation. Other problems keep the backend's own words.
 */
const BackendProblemAlert: FC<BackendProblemAlertProps> = ({
  title,
  problem,
  forbiddenExplanation,
  setupPath,
  onRetry,
  variant = 'danger',
  children,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');

  const explanations: Record<string, string> = {
    forbidden: forbiddenExplanation,
    unauthenticated: t('The backend did not accept your session. Reload the page, or log in again.'),
    not_configured: t(
      'Peer pods are not configured yet: the PeerPodConfig, or the Secret or ConfigMap it names, does not exist.',
    ),
    invalid_config: t(
      'The peer pods cloud settings are incomplete or not valid: for example cloud credentials missing from the Secret, a missing key in the ConfigMap, or a platform other than AWS or Azure.',
    ),
    auth: t(
      'The cloud rejected the credentials in the peer pods Secret: they are wrong, expired or revoked. Update the Secret.',
    ),
    no_worker: t(
      "No node that the PeerPodConfig's nodeSelector selects has a cloud provider ID, so its security group or network security group cannot be found. Label a cloud worker node for peer pods.",
    ),
    permission: t(
      'The cloud credentials in the peer pods Secret are valid but not allowed to do this. Grant the identity the cloud permission the message names.',
    ),
    throttled: t('The cloud API is throttling requests. Try again in a minute.'),
    unavailable: t('The cloud API could not be reached or answered with a server error. Try again in a minute.'),
    rate_limited: t('Too many changes in one minute. Wait a moment and try again.'),
    quota: t('A cloud quota is exhausted. Free capacity or raise the quota, then try again.'),
    conflict: t("The change collides with the cloud's current state. Check the rule status again, then retry."),
  };
  const explanation =
    explanations[problem.code] ??
    t("The peer pods backend could not answer. Try again; if it keeps failing, read the backend's log.");

  const access = isAccessProblem(problem);
  const sessionRefused = access && problem.code === 'unauthenticated';
  const action = sessionRefused ? (
    <AlertActionLink onClick={() => window.location.reload()}>{t('Reload')}</AlertActionLink>
  ) : onRetry && retryCanHelp(problem) ? (
    <AlertActionLink onClick={onRetry}>{t('Try again')}</AlertActionLink>
  ) : undefined;

  return (
    <Alert
      variant={access ? (sessionRefused ? 'warning' : 'info') : variant}
      isInline
      title={title}
      actionLinks={action}
    >
      <Stack hasGutter>
        <StackItem>{explanation}</StackItem>
        {setupPath && isSetupProblem(problem) && (
          <StackItem>
            {t('The Setup tab checks every prerequisite and shows how to fix it.')}{' '}
            <Link to={setupPath}>{t('Open the Setup tab')}</Link>
          </StackItem>
        )}
        {problem.message && !access && <StackItem>{t('Error: {{message}}', { message: problem.message })}</StackItem>}
        {children}
      </Stack>
    </Alert>
  );
};

export default BackendProblemAlert;
