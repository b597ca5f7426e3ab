import type { FC } from 'react';
import { Content, List, ListItem, Stack, StackItem, Title } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PortRulesReport } from '../../../api/backend';
import AllPortsOpenState from './AllPortsOpenState';
import PortRuleCommands from './PortRuleCommands';
import { rulesToChange } from './portRuleRows';
import StepHeading from './StepHeading';
import { usePortRuleText } from './usePortRuleText';

/** Step 4: what applying would change, and the same changes as copyable CLI commands. */
const PlannedChangesStep: FC<{ report: PortRulesReport }> = ({ report }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { plannedChangeOf, purposeOf } = usePortRuleText();
  const changes = rulesToChange(report);
  return (
    <Stack hasGutter>
      <StackItem>
        <StepHeading>{t('Planned changes')}</StepHeading>
      </StackItem>
      {changes.length === 0 ? (
        <StackItem>
          <AllPortsOpenState />
        </StackItem>
      ) : (
        <>
          <StackItem>
            <Title headingLevel="h3" size="md">
              {t('What will change')}
            </Title>
          </StackItem>
          <StackItem>
            <List aria-label={t('Planned rule changes')}>
              {changes.map((rule) => (
                <ListItem key={rule.id}>
                  <div>{plannedChangeOf(rule)}</div>
                  <Content component="small">{purposeOf(rule)}</Content>
                </ListItem>
              ))}
            </List>
          </StackItem>
        </>
      )}
      <StackItem>
        <PortRuleCommands report={report} />
      </StackItem>
    </Stack>
  );
};

export default PlannedChangesStep;
