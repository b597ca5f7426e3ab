import type { FC } from 'react';
import { Content, Stack, StackItem } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import { type PortRuleRow, ruleSourceOf, ruleTargetOf, shortTargetName } from './portRuleRows';
import PortRuleStateLabel from './PortRuleStateLabel';
import { usePortRuleText } from './usePortRuleText';

/** Where the rule lives: the security group, or the NSG rule's name and priority. */
export const RuleTarget: FC<{ rule: PortRuleRow }> = ({ rule }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const target = shortTargetName(ruleTargetOf(rule));
  const source = ruleSourceOf(rule);
  if (source) {
    return (
      <Stack>
        <StackItem>{target}</StackItem>
        <StackItem>
          <Content component="small">{t('from {{group}}', { group: source })}</Content>
        </StackItem>
      </Stack>
    );
  }
  if (!rule.name) return <>{target}</>;
  return (
    <Stack>
      <StackItem>{rule.name}</StackItem>
      <StackItem>
        <Content component="small">
          {rule.priority !== null
            ? t('{{nsg}}, priority {{priority}}', { nsg: target, priority: rule.priority })
            : target}
        </Content>
      </StackItem>
    </Stack>
  );
};

/** Each required rule with its state (present / missing / conflicting) and what the backend found. */
const PortRulesTable: FC<{ rules: PortRuleRow[]; ariaLabel: string }> = ({ rules, ariaLabel }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { purposeOf, portOf } = usePortRuleText();
  return (
    <Table aria-label={ariaLabel} variant="compact">
      <Thead>
        <Tr>
          <Th modifier="wrap">{t('Purpose')}</Th>
          <Th modifier="wrap">{t('Port')}</Th>
          <Th modifier="wrap">{t('Where')}</Th>
          <Th modifier="wrap">{t('State')}</Th>
          <Th modifier="wrap">{t('Details')}</Th>
        </Tr>
      </Thead>
      <Tbody>
        {rules.map((rule) => (
          <Tr key={rule.id}>
            <Td dataLabel={t('Purpose')}>{purposeOf(rule)}</Td>
            <Td dataLabel={t('Port')}>{portOf(rule)}</Td>
            <Td dataLabel={t('Where')} modifier="breakWord">
              <RuleTarget rule={rule} />
            </Td>
            <Td dataLabel={t('State')}>
              <PortRuleStateLabel state={rule.state} />
            </Td>
            <Td dataLabel={t('Details')} modifier="breakWord">
              {rule.detail}
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

export default PortRulesTable;
