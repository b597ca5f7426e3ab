import type { FC } from 'react';
import { Alert, Checkbox, Spinner, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PortRulesReport } from '../../../api/backend';
import { everythingOpen, rulesToChange } from './portRuleRows';
import PortRulesTable from './PortRulesTable';
import StepHeading from './StepHeading';

type RuleStatusStepProps = {
  report: PortRulesReport;
  includeUdp: boolean;
  onIncludeUdpChange: (includeUdp: boolean) => void;
  /** A new report (e.g. with the UDP rule) is on its way. */
  refreshing: boolean;
};

/** Step 3: each required rule, present, missing or conflicting, and the optional UDP rule. */
const RuleStatusStep: FC<RuleStatusStepProps> = ({ report, includeUdp, onIncludeUdpChange, refreshing }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const changes = rulesToChange(report).length;
  return (
    <Stack hasGutter>
      <StackItem>
        <StepHeading>{t('Rule status')}</StepHeading>
      </StackItem>
      <StackItem>
        <Checkbox
          id="peer-pods-console-plugin__include-udp"
          label={t('Also open the VXLAN port for UDP')}
          description={t(
            'Peer pods need TCP only. VXLAN traffic itself is UDP, and some guides open that too; check this to add the UDP rule.',
          )}
          isChecked={includeUdp}
          isDisabled={refreshing}
          onChange={(_event, checked) => onIncludeUdpChange(checked)}
        />
      </StackItem>
      {refreshing ? (
        <StackItem>
          <Spinner size="md" aria-label={t('Checking the rules')} /> {t('Checking the rules…')}
        </StackItem>
      ) : (
        <>
          <StackItem>
            {everythingOpen(report) ? (
              <Alert variant="success" isInline title={t('Every required rule is present')} />
            ) : (
              <Alert variant="warning" isInline title={t('Rules to create or fix: {{number}}', { number: changes })}>
                {t('The next step shows exactly what will change, and the equivalent commands.')}
              </Alert>
            )}
          </StackItem>
          <StackItem>
            <PortRulesTable rules={report.rules} ariaLabel={t('Port rules')} />
          </StackItem>
        </>
      )}
    </Stack>
  );
};

export default RuleStatusStep;
