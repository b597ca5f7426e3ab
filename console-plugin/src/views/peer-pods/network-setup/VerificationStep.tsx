import type { FC } from 'react';
import { Alert, Button, Spinner, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PortRulesReport } from '../../../api/backend';
import type { ApplyPortRulesState } from '../../../hooks/useApplyPortRules';
import AllPortsOpenState from './AllPortsOpenState';
import { everythingOpen } from './portRuleRows';
import PortRulesTable from './PortRulesTable';
import StepHeading from './StepHeading';

type VerificationStepProps = {
  /** The current rule status (read again after every apply). */
  report: PortRulesReport;
  state: ApplyPortRulesState;
  onCheckAgain: () => void;
  checking: boolean;
};

/** Step 6: the rules as the backend read them back after applying, or as they are now. */
const VerificationStep: FC<VerificationStepProps> = ({ report, state, onCheckAgain, checking }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const checkAgain = (
    <Button variant="secondary" onClick={onCheckAgain} isLoading={checking} isDisabled={checking}>
      {t('Check again')}
    </Button>
  );

  const body = () => {
    if (state.phase === 'applying') {
      return (
        <>
          <Spinner size="md" aria-label={t('Applying the changes')} /> {t('Applying the changes…')}
        </>
      );
    }
    if (state.phase === 'applied') {
      const verified = state.result.verified;
      const open = everythingOpen(verified);
      return (
        <Stack hasGutter>
          <StackItem>
            {open ? (
              <Alert variant="success" isInline title={t('Verified: every required port is open')}>
                {t('The backend read the rules back from the cloud after applying them.')}
              </Alert>
            ) : (
              <Alert variant="danger" isInline title={t('Verification found rules that are still not open')}>
                {t(
                  'The rules below are missing or conflicting after applying. Check the details, fix them, and run the wizard again.',
                )}
              </Alert>
            )}
          </StackItem>
          <StackItem>
            <PortRulesTable rules={verified.rules} ariaLabel={t('Verified port rules')} />
          </StackItem>
        </Stack>
      );
    }
    if (everythingOpen(report)) {
      return (
        <Stack hasGutter>
          <StackItem>
            <AllPortsOpenState>{checkAgain}</AllPortsOpenState>
          </StackItem>
          <StackItem>
            <PortRulesTable rules={report.rules} ariaLabel={t('Verified port rules')} />
          </StackItem>
        </Stack>
      );
    }
    return (
      <Stack hasGutter>
        <StackItem>
          <Alert
            variant="warning"
            isInline
            title={state.phase === 'failed' ? t('Applying failed, so nothing was verified') : t('Not verified yet')}
            actionLinks={checkAgain}
          >
            {t('Apply the changes, or run the commands yourself, then check again. The current rule status:')}
          </Alert>
        </StackItem>
        <StackItem>
          <PortRulesTable rules={report.rules} ariaLabel={t('Current port rules')} />
        </StackItem>
      </Stack>
    );
  };

  return (
    <Stack hasGutter>
      <StackItem>
        <StepHeading>{t('Verification')}</StepHeading>
      </StackItem>
      <StackItem>{body()}</StackItem>
    </Stack>
  );
};

export default VerificationStep;
