import type { FC } from 'react';
import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import {
  Content,
  EmptyState,
  EmptyStateBody,
  ExpandableSection,
  Flex,
  FlexItem,
  Label,
  Stack,
  StackItem,
  Title,
} from '@patternfly/react-core';
import { HistoryIcon } from '@patternfly/react-icons';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';
import RefreshButton from '../../../components/RefreshButton';
import type { HistoryKind } from '@peer-pods-console/contract/operations';

import type { HistoryEntry } from '../../../api/backend';
import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf } from '../../../components/backendProblem';
import LoadingState from '../../../components/LoadingState';
import type { HistoryState } from '../../../hooks/useHistory';

/** Newest first, whatever order the answer came in. */
export const newestFirst = (entries: readonly HistoryEntry[]): HistoryEntry[] =>
  [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));

/** Who made the change: the signed-in user, or the field manager that wrote the object without the console. */
const ActorCell: FC<{ entry: HistoryEntry }> = ({ entry }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (entry.via === 'console') return <>{entry.actor}</>;
  return (
    <Label color="orange" isCompact>
      {t('outside the console ({{manager}})', { manager: entry.actor })}
    </Label>
  );
};

/** The History panel: recent limit, override, port-rule and cleanup changes, and who made them. */
const HistoryPanel: FC<{ history: HistoryState }> = ({ history }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { entries, loaded, error, refresh, refreshing } = history;
  const kinds: Record<HistoryKind, string> = {
    limit: t('VM limit'),
    override: t('Node override'),
    'port-rules': t('Port rules'),
    cleanup: t('Orphan VM cleanup'),
  };
  const valueOf = (value: string | null) => value ?? t('none');

  return (
    <Stack hasGutter>
      <StackItem>
        <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }} alignItems={{ default: 'alignItemsCenter' }}>
          <FlexItem>
            <Title headingLevel="h2" size="lg">
              {t('History')}
            </Title>
          </FlexItem>
          <FlexItem>
            <RefreshButton size="sm" onClick={refresh} refreshing={refreshing} loaded={loaded}>
              {t('Refresh')}
            </RefreshButton>
          </FlexItem>
        </Flex>
      </StackItem>
      <StackItem>
        <Content component="p">
          {t(
            'Changes to the VM limit, node overrides, port rules and orphan VMs, newest first: those made in this console name the user, those made outside it (oc, kubectl, an operator) name the writer.',
          )}
        </Content>
      </StackItem>
      {error !== undefined && error !== null ? (
        <StackItem>
          <BackendProblemAlert
            title={t('Could not read the history')}
            problem={backendProblemOf(error)}
            forbiddenExplanation={t(
              'The history is read from Events: reading it needs the permission to list events in the namespaces of the PeerPodConfig and of the backend. Ask a cluster administrator for it.',
            )}
            onRetry={refresh}
          />
        </StackItem>
      ) : !entries ? (
        <StackItem>
          <LoadingState label={t('Loading the history')} />
        </StackItem>
      ) : entries.length === 0 ? (
        <StackItem>
          <EmptyState titleText={t('No changes recorded yet')} headingLevel="h3" icon={HistoryIcon} variant="sm">
            <EmptyStateBody>
              {t(
                'Changes appear here once someone changes the limit, an override or the port rules, or cleans up orphan VMs. Events expire after a while, so older changes drop off.',
              )}
            </EmptyStateBody>
          </EmptyState>
        </StackItem>
      ) : (
        <StackItem>
          <Table aria-label={t('Change history')} variant="compact">
            <Thead>
              <Tr>
                <Th modifier="wrap">{t('When')}</Th>
                <Th modifier="wrap">{t('Who')}</Th>
                <Th modifier="wrap">{t('What')}</Th>
                <Th modifier="wrap">{t('Target')}</Th>
                <Th modifier="wrap">{t('Change')}</Th>
                <Th modifier="wrap" width={30}>
                  {t('Message')}
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {newestFirst(entries).map((entry, index) => (
                <Tr key={`${entry.at}/${entry.kind}/${entry.target}/${index}`}>
                  <Td dataLabel={t('When')} modifier="nowrap">
                    <Timestamp timestamp={entry.at} />
                  </Td>
                  <Td dataLabel={t('Who')} modifier="breakWord">
                    <ActorCell entry={entry} />
                  </Td>
                  <Td dataLabel={t('What')}>{kinds[entry.kind]}</Td>
                  <Td dataLabel={t('Target')}>{entry.target}</Td>
                  <Td dataLabel={t('Change')} modifier="nowrap">
                    {entry.old === null && entry.new === null
                      ? '—'
                      : t('{{old}} → {{new}}', { old: valueOf(entry.old), new: valueOf(entry.new) })}
                  </Td>
                  <Td dataLabel={t('Message')}>
                    <ExpandableSection
                      variant="truncate"
                      truncateMaxLines={2}
                      toggleTextCollapsed={t('Show more')}
                      toggleTextExpanded={t('Show less')}
                    >
                      {entry.message}
                    </ExpandableSection>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </StackItem>
      )}
    </Stack>
  );
};

export default HistoryPanel;
