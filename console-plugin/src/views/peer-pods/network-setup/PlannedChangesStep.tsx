import type { FC } from 'react';
import { List, ListItem, Stack, StackItem, Title } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PortRulesReport } from '../../../api/backend';
import AllPortsOpenState from './AllPortsOpenState';
import PortRuleCommands from './PortRuleCommands';
import { rulesToChange, ruleSourceOf, ruleTargetOf, shortTargetName } from './portRuleRows';
import StepHeading from './StepHeading';
import { usePortRuleText } from './usePortRuleText';

/** Step 4: what applying would change, and the same changes as copyable CLI commands. */
const PlannedChangesStep: FC<{ report: PortRulesReport }> = ({ report }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { purposeOf, portOf } = usePortRuleText();
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
              {changes.map((rule) => {
                const values = {
                  port: portOf(rule),
                  purpose: purposeOf(rule),
                  target: rule.name ?? shortTargetName(ruleTargetOf(rule)),
                  source: ruleSourceOf(rule),
                };
                return (
                  <ListItem key={rule.id}>
                    {rule.state === 'conflicting'
                      ? t('Update {{target}} to allow {{port}} ({{purpose}})', values)
                      : values.source
                        ? t('Allow {{port}} in {{target}} from {{source}} ({{purpose}})', values)
                        : t('Allow {{port}} in {{target}} ({{purpose}})', values)}
                  </ListItem>
                );
              })}
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
