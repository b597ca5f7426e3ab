import type { FC } from 'react';
import { Content, Stack, StackItem, Title } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PortRulesReport } from '../../../api/backend';
import CopyableCodeBlock from '../../../components/CopyableCodeBlock';

/** The documented procedure's look-ups, with the values the wizard found, for an admin who checks by hand. */
const DiscoveryCommands: FC<{ platform: PortRulesReport['platform']; commands: string[] }> = ({
  platform,
  commands,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Stack hasGutter>
      <StackItem>
        <Title headingLevel="h3" size="md">
          {t('Look them up yourself')}
        </Title>
      </StackItem>
      <StackItem>
        <Content component="p">
          {t(
            'The same look-ups as the documented procedure, with the values the wizard found. Run them with the oc and {{cli}} CLIs, signed in to the cluster and to its cloud account.',
            { cli: platform === 'aws' ? 'aws' : 'az' },
          )}
        </Content>
      </StackItem>
      <StackItem>
        {/* A blank line between commands: a wrapped command still reads as one. */}
        <CopyableCodeBlock
          code={commands.join('\n\n')}
          wrapBetweenWords
          ariaLabel={t('Discovery commands')}
          copyAriaLabel={t('Copy the discovery commands')}
        />
      </StackItem>
    </Stack>
  );
};

export default DiscoveryCommands;
