import type { FC } from 'react';
import { Content, List, ListItem, Stack, StackItem, Title } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PortRulesReport } from '../../../api/backend';
import CopyableCodeBlock from '../../../components/CopyableCodeBlock';

/** The equivalent `aws` / `az` commands, each whole and copyable, and the backend's notes on the plan. */
const PortRuleCommands: FC<{ report: PortRulesReport }> = ({ report }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const cli = report.platform === 'aws' ? 'aws' : 'az';
  return (
    <Stack hasGutter>
      {report.commands.length > 0 && (
        <>
          <StackItem>
            <Title headingLevel="h3" size="md">
              {t('Equivalent commands')}
            </Title>
          </StackItem>
          <StackItem>
            <Content component="p">
              {t(
                'To make the same changes yourself, run these commands with the {{cli}} CLI, signed in to the cloud account of the cluster.',
                { cli },
              )}
            </Content>
          </StackItem>
          {report.commands.map((command, index) => (
            <StackItem key={command}>
              <CopyableCodeBlock
                code={command}
                wrapBetweenWords
                ariaLabel={t('Command {{number}}', { number: index + 1 })}
                copyAriaLabel={t('Copy command {{number}}', { number: index + 1 })}
              />
            </StackItem>
          ))}
        </>
      )}
      {report.notes.length > 0 && (
        <>
          <StackItem>
            <Title headingLevel="h3" size="md">
              {t('Notes')}
            </Title>
          </StackItem>
          <StackItem>
            <List aria-label={t('Notes on the planned changes')}>
              {report.notes.map((note) => (
                <ListItem key={note}>{note}</ListItem>
              ))}
            </List>
          </StackItem>
        </>
      )}
    </Stack>
  );
};

export default PortRuleCommands;
