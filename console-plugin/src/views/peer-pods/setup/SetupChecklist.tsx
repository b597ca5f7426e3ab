import type { FC } from 'react';
import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Content, Flex, FlexItem, Label, LabelGroup, Stack, StackItem, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';
import RefreshButton from '../../../components/RefreshButton';
import type { SetupAction } from '@peer-pods-console/contract/setup-checks';

import type { SetupReport } from '../../../api/backend';
import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf, retryCanHelp } from '../../../components/backendProblem';
import LoadingState from '../../../components/LoadingState';
import SetupFixCell from './SetupFixCell';
import SetupStatusIcon from './SetupStatusIcon';
import { useSetupText } from './useSetupText';

type SetupChecklistProps = {
  report: SetupReport | undefined;
  loaded: boolean;
  error: unknown;
  refreshing: boolean;
  onRefresh: () => void;
  onAction: (action: SetupAction) => void;
};

/** One row per prerequisite: pass / warning / fail, what the backend found, and the fix. */
const SetupChecklist: FC<SetupChecklistProps> = ({ report, loaded, error, refreshing, onRefresh, onAction }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const text = useSetupText();
  const count = (status: 'pass' | 'warning' | 'fail') => report?.checks.filter((c) => c.status === status).length ?? 0;
  const failed = error !== undefined && error !== null;
  // Without a report, checking again only helps when the failure may clear by itself (not missing access).
  const canCheckAgain = !!report || !failed || retryCanHelp(backendProblemOf(error));

  return (
    <Stack hasGutter>
      <StackItem>
        <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }} alignItems={{ default: 'alignItemsCenter' }}>
          <FlexItem>
            <Title headingLevel="h2">{t('Setup checklist')}</Title>
          </FlexItem>
          {canCheckAgain && (
            <FlexItem>
              <RefreshButton onClick={onRefresh} refreshing={refreshing} loaded={loaded}>
                {t('Check again')}
              </RefreshButton>
            </FlexItem>
          )}
        </Flex>
      </StackItem>
      <StackItem>
        <Content component="p">
          {t(
            'Each prerequisite of peer pods, checked by the backend against the cluster and the cloud as they are now, with what fixes it.',
          )}
        </Content>
      </StackItem>
      {failed && (
        <StackItem>
          <BackendProblemAlert
            title={t('Could not run the setup checks')}
            problem={backendProblemOf(error)}
            forbiddenExplanation={t(
              'Reading the setup checks needs permission to list nodes and to read the cloud credentials Secret. Ask a cluster administrator for them.',
            )}
            onRetry={onRefresh}
            variant={report ? 'warning' : 'danger'}
          />
        </StackItem>
      )}
      {!loaded && (
        <StackItem>
          <LoadingState label={t('Running the setup checks')} />
        </StackItem>
      )}
      {report && (
        <>
          <StackItem>
            <Flex spaceItems={{ default: 'spaceItemsMd' }} alignItems={{ default: 'alignItemsCenter' }}>
              <FlexItem>
                <LabelGroup aria-label={t('Setup check results')}>
                  <Label status="success">{t('Passed: {{number}}', { number: count('pass') })}</Label>
                  <Label status="warning">{t('Warnings: {{number}}', { number: count('warning') })}</Label>
                  <Label status="danger">{t('Failed: {{number}}', { number: count('fail') })}</Label>
                </LabelGroup>
              </FlexItem>
              <FlexItem>
                {t('Checked')} <Timestamp timestamp={report.generatedAt} />
              </FlexItem>
            </Flex>
          </StackItem>
          <StackItem>
            <Table aria-label={t('Setup checks')} variant="compact">
              <Thead>
                <Tr>
                  <Th width={10}>{t('Status')}</Th>
                  <Th width={20}>{t('Check')}</Th>
                  <Th width={40}>{t('What was found')}</Th>
                  <Th width={30}>{t('Fix')}</Th>
                </Tr>
              </Thead>
              <Tbody>
                {report.checks.map((check) => (
                  <Tr key={check.id}>
                    <Td dataLabel={t('Status')}>
                      <SetupStatusIcon status={check.status} />
                    </Td>
                    <Td dataLabel={t('Check')}>{text.title(check)}</Td>
                    <Td dataLabel={t('What was found')} modifier="breakWord">
                      {text.found(check)}
                    </Td>
                    <Td dataLabel={t('Fix')} modifier="breakWord">
                      <SetupFixCell
                        fix={check.status === 'pass' ? null : check.fix}
                        checkTitle={text.title(check)}
                        actionLabel={text.actionLabel}
                        onAction={onAction}
                      />
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </StackItem>
        </>
      )}
    </Stack>
  );
};

export default SetupChecklist;
