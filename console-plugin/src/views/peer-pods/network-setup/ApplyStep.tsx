import type { FC } from 'react';
import {
  Alert,
  Button,
  Content,
  Label,
  Progress,
  ProgressMeasureLocation,
  ProgressVariant,
  Spinner,
  Stack,
  StackItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { PortRulesReport } from '../../../api/backend';
import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf } from '../../../components/backendProblem';
import LoadingState from '../../../components/LoadingState';
import type { ApplyPortRulesState } from '../../../hooks/useApplyPortRules';
import { DEFAULT_PEER_POD_CONFIG } from '../../../models/PeerPodConfig';
import AllPortsOpenState from './AllPortsOpenState';
import PortRuleCommands from './PortRuleCommands';
import { type PortRuleApplyOutcome, type PortRuleRow, rulesToChange } from './portRuleRows';
import { RuleTarget } from './PortRulesTable';
import StepHeading from './StepHeading';
import { usePortRuleText } from './usePortRuleText';

/** Whether the signed-in user may change cloud rules through the backend (usePermissions). */
export type CloudChangePermission = { loaded: boolean; canChangeCloud: boolean; error: unknown };

type ApplyStepProps = {
  report: PortRulesReport;
  permission: CloudChangePermission;
  state: ApplyPortRulesState;
  onApply: (planned: PortRuleRow[]) => void;
};

const RuleProgress: FC<{ state: ApplyPortRulesState; outcome: PortRuleApplyOutcome | undefined }> = ({
  state,
  outcome,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (state.phase === 'idle') return <Label color="grey">{t('Waiting')}</Label>;
  if (state.phase === 'applying') {
    return (
      <>
        <Spinner size="sm" aria-label={t('Applying')} /> {t('Applying')}
      </>
    );
  }
  if (state.phase === 'failed') return <Label color="grey">{t('Not confirmed')}</Label>;
  if (!outcome) return <Label color="grey">{t('Not reported')}</Label>;
  switch (outcome.outcome) {
    case 'created':
      return <Label status="success">{t('Created')}</Label>;
    case 'already-present':
      return <Label status="success">{t('Already present')}</Label>;
    case 'failed':
      return <Label status="danger">{t('Failed')}</Label>;
  }
};

/** Step 5: the backend makes the changes as the signed-in user; each rule's outcome, or why it cannot. */
const ApplyStep: FC<ApplyStepProps> = ({ report, permission, state, onApply }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { purposeOf, portOf } = usePortRuleText();
  const changes = rulesToChange(report);
  const permissionExplanation = t(
    'Changing cloud firewall rules from the console needs permission to patch PeerPodConfigs in the namespace {{namespace}}. Run the commands below with your own cloud credentials, or ask a cluster administrator to run this wizard.',
    { namespace: DEFAULT_PEER_POD_CONFIG.namespace },
  );

  const body = () => {
    if (state.phase === 'idle' && changes.length === 0) return <AllPortsOpenState />;
    if (!permission.loaded) return <LoadingState label={t('Checking your permissions')} />;
    if (state.phase === 'idle' && (!permission.canChangeCloud || !report.canApply)) {
      return (
        <Stack hasGutter>
          <StackItem>
            <Alert variant="info" isInline title={t('You cannot apply these changes from the console')}>
              {permission.error
                ? t(
                    'Your permissions could not be checked, so applying is not offered. Run the commands below with your own cloud credentials, or reload the page to try again.',
                  )
                : !permission.canChangeCloud
                  ? permissionExplanation
                  : t('The backend cannot apply this plan. Run the commands below with your own cloud credentials.')}
            </Alert>
          </StackItem>
          <StackItem>
            <PortRuleCommands report={report} />
          </StackItem>
        </Stack>
      );
    }

    const planned = state.phase === 'idle' ? changes : state.planned;
    const outcomes = state.phase === 'applied' ? state.result.results : [];
    const outcomeOf = (rule: PortRuleRow) => outcomes.find((outcome) => outcome.id === rule.id);
    const failed = outcomes.filter((outcome) => outcome.outcome === 'failed');
    const succeeded = planned.filter((rule) => {
      const outcome = outcomeOf(rule)?.outcome;
      return outcome === 'created' || outcome === 'already-present';
    }).length;

    return (
      <Stack hasGutter>
        <StackItem>
          <Content component="p">
            {t(
              'The backend makes these changes with the cloud credentials of peer pods, on your behalf: each change is recorded as an Event on the PeerPodConfig. Then it reads the rules back.',
            )}
          </Content>
        </StackItem>
        <StackItem>
          <Table aria-label={t('Apply progress')} variant="compact">
            <Thead>
              <Tr>
                <Th>{t('Purpose')}</Th>
                <Th>{t('Port')}</Th>
                <Th>{t('Where')}</Th>
                <Th>{t('Progress')}</Th>
                <Th>{t('Details')}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {planned.map((rule) => (
                <Tr key={rule.id}>
                  <Td dataLabel={t('Purpose')}>{purposeOf(rule)}</Td>
                  <Td dataLabel={t('Port')}>{portOf(rule)}</Td>
                  <Td dataLabel={t('Where')} modifier="breakWord">
                    <RuleTarget rule={rule} />
                  </Td>
                  <Td dataLabel={t('Progress')}>
                    <RuleProgress state={state} outcome={outcomeOf(rule)} />
                  </Td>
                  <Td dataLabel={t('Details')} modifier="breakWord">
                    {outcomeOf(rule)?.message ?? rule.detail}
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </StackItem>
        {state.phase === 'applied' && (
          <StackItem>
            <Progress
              title={t('Rules applied')}
              value={planned.length ? (succeeded * 100) / planned.length : 100}
              label={t('{{done}} of {{total}}', { done: succeeded, total: planned.length })}
              valueText={t('{{done}} of {{total}}', { done: succeeded, total: planned.length })}
              measureLocation={ProgressMeasureLocation.outside}
              variant={failed.length > 0 ? ProgressVariant.danger : ProgressVariant.success}
            />
          </StackItem>
        )}
        {state.phase === 'applied' && (
          <StackItem>
            {failed.length > 0 ? (
              <Alert variant="danger" isInline title={t('Some rules could not be applied')}>
                {t('Fix what the details say, then apply again; the rules already created stay.')}
              </Alert>
            ) : (
              <Alert variant="success" isInline title={t('The changes are applied')}>
                {t('The next step shows what the backend found when it read the rules back.')}
              </Alert>
            )}
          </StackItem>
        )}
        {state.phase === 'failed' && (
          <StackItem>
            <BackendProblemAlert
              title={t('Applying the rules failed')}
              problem={backendProblemOf(state.error)}
              forbiddenExplanation={permissionExplanation}
            >
              <StackItem>
                {t(
                  'Rules created before the failure stay. The rule status has been read again: go back to see it, or apply again.',
                )}
              </StackItem>
            </BackendProblemAlert>
          </StackItem>
        )}
        {(state.phase !== 'applied' || failed.length > 0) && (
          <StackItem>
            <Button
              variant="primary"
              onClick={() => onApply(changes)}
              isLoading={state.phase === 'applying'}
              isDisabled={state.phase === 'applying' || changes.length === 0}
            >
              {state.phase === 'idle' || state.phase === 'applying' ? t('Apply changes') : t('Apply again')}
            </Button>
          </StackItem>
        )}
      </Stack>
    );
  };

  return (
    <Stack hasGutter>
      <StackItem>
        <StepHeading>{t('Apply')}</StepHeading>
      </StackItem>
      <StackItem>{body()}</StackItem>
    </Stack>
  );
};

export default ApplyStep;
