import type { FC } from 'react';
import { Content, Label, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PortRulesReport } from '../../../api/backend';
import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf } from '../../../components/backendProblem';
import LoadingState from '../../../components/LoadingState';
import StepHeading from './StepHeading';

export const PLATFORM_NAMES: Record<PortRulesReport['platform'], string> = {
  aws: 'Amazon Web Services (AWS)',
  azure: 'Microsoft Azure',
};

type PlatformStepProps = {
  report: PortRulesReport | undefined;
  loaded: boolean;
  error: unknown;
  setupPath: string;
  onRetry: () => void;
};

/** Step 1: which cloud the cluster runs in, or why the wizard cannot tell. */
const PlatformStep: FC<PlatformStepProps> = ({ report, loaded, error, setupPath, onRetry }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const body = () => {
    if (!loaded) return <LoadingState label={t('Detecting the platform')} />;
    if (error || !report) {
      const problem = backendProblemOf(error);
      return (
        <BackendProblemAlert
          title={t('Could not detect the platform')}
          problem={problem}
          forbiddenExplanation={t(
            'Reading the port rules needs permission to list nodes in the whole cluster and to read the cloud credentials Secret. Ask a cluster administrator for them.',
          )}
          setupPath={setupPath}
          onRetry={onRetry}
        >
          {problem.code === 'invalid_config' && (
            <StackItem>
              {t(
                'This wizard opens ports on AWS and Azure. On any other platform, open TCP port 15150 and the VXLAN port (9000 by default) between the worker nodes and the pod VMs with that platform’s own tools.',
              )}
            </StackItem>
          )}
        </BackendProblemAlert>
      );
    }
    return (
      <Stack hasGutter>
        <StackItem>
          <Content component="p">
            {t('Detected platform:')} <Label color="blue">{PLATFORM_NAMES[report.platform]}</Label>
          </Content>
        </StackItem>
        <StackItem>
          <Content component="p">
            {report.platform === 'aws'
              ? t(
                  'On AWS, worker nodes and pod VMs share the worker’s security groups. Each of those groups needs ingress from itself on TCP 15150 (kata-agent) and on the VXLAN port (tunnel).',
                )
              : t(
                  'On Azure, traffic inside the virtual network is often allowed already. The wizard checks the network security group of the worker subnet for rules that allow TCP 15150 (kata-agent) and the VXLAN port (tunnel) inside the subnet.',
                )}
          </Content>
        </StackItem>
      </Stack>
    );
  };
  return (
    <Stack hasGutter>
      <StackItem>
        <StepHeading>{t('Platform')}</StepHeading>
      </StackItem>
      <StackItem>{body()}</StackItem>
    </Stack>
  );
};

export default PlatformStep;
