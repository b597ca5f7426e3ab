import type { FC } from 'react';
import { Wizard, type WizardFooterProps, WizardStep } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PortRulesReport } from '../../../api/backend';
import type { ApplyPortRulesState } from '../../../hooks/useApplyPortRules';
import ApplyStep, { type CloudChangePermission } from './ApplyStep';
import DiscoveryStep from './DiscoveryStep';
import PlannedChangesStep from './PlannedChangesStep';
import PlatformStep from './PlatformStep';
import type { PortRuleRow } from './portRuleRows';
import { PORT_WIZARD_STEPS, type PortWizardStepId } from './usePortWizardEntry';
import RuleStatusStep from './RuleStatusStep';
import './portRulesWizard.css';
import VerificationStep from './VerificationStep';

export type PortRulesWizardProps = {
  report: PortRulesReport | undefined;
  loaded: boolean;
  error: unknown;
  refreshing: boolean;
  onRecheck: () => void;
  includeUdp: boolean;
  onIncludeUdpChange: (includeUdp: boolean) => void;
  permission: CloudChangePermission;
  applyState: ApplyPortRulesState;
  onApply: (planned: PortRuleRow[]) => void;
  /** "Run again" on the last step: start over with a fresh report. */
  onRunAgain: () => void;
  setupPath: string;
  /** The step it opens on (read once, when it mounts). */
  startStep?: PortWizardStepId;
};

/** Platform → Discovery → Rule status → Planned changes → Apply → Verification. */
const PortRulesWizard: FC<PortRulesWizardProps> = ({
  report,
  loaded,
  error,
  refreshing,
  onRecheck,
  includeUdp,
  onIncludeUdpChange,
  permission,
  applyState,
  onApply,
  onRunAgain,
  setupPath,
  startStep = 'platform',
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  // A failed read leaves nothing to discover; an older report is not shown as if it were current.
  // (No step `status`: PatternFly adds an untranslated ", error" / ", success" to the step's name.)
  const usable = !error && report !== undefined ? report : undefined;
  const applying = applyState.phase === 'applying';
  const footer = (change: Partial<WizardFooterProps> = {}): Partial<WizardFooterProps> => ({
    nextButtonText: t('Next'),
    backButtonText: t('Back'),
    isCancelHidden: true,
    ...change,
  });

  return (
    <Wizard
      className="peer-pods-console-plugin__port-wizard"
      navAriaLabel={t('Port setup steps')}
      footer={footer()}
      onSave={onRunAgain}
      startIndex={PORT_WIZARD_STEPS.indexOf(startStep) + 1}
    >
      <WizardStep id="platform" name={t('Platform')} footer={footer({ isNextDisabled: !usable })}>
        <PlatformStep report={usable} loaded={loaded} error={error} setupPath={setupPath} onRetry={onRecheck} />
      </WizardStep>
      <WizardStep id="discovery" name={t('Discovery')} isDisabled={!usable}>
        {usable && <DiscoveryStep report={usable} />}
      </WizardStep>
      <WizardStep
        id="rules"
        name={t('Rule status')}
        isDisabled={!usable}
        footer={footer({ isNextDisabled: refreshing })}
      >
        {usable && (
          <RuleStatusStep
            report={usable}
            includeUdp={includeUdp}
            onIncludeUdpChange={onIncludeUdpChange}
            refreshing={refreshing}
          />
        )}
      </WizardStep>
      <WizardStep id="changes" name={t('Planned changes')} isDisabled={!usable}>
        {usable && <PlannedChangesStep report={usable} />}
      </WizardStep>
      <WizardStep
        id="apply"
        name={t('Apply')}
        isDisabled={!usable}
        footer={footer({ isNextDisabled: applying, isBackDisabled: applying })}
      >
        {usable && <ApplyStep report={usable} permission={permission} state={applyState} onApply={onApply} />}
      </WizardStep>
      <WizardStep
        id="verify"
        name={t('Verification')}
        isDisabled={!usable}
        footer={footer({ nextButtonText: t('Run again'), isNextDisabled: applying })}
      >
        {usable && (
          <VerificationStep report={usable} state={applyState} onCheckAgain={onRecheck} checking={refreshing} />
        )}
      </WizardStep>
    </Wizard>
  );
};

export default PortRulesWizard;
