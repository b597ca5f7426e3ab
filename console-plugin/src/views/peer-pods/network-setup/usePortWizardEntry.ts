import { useState } from 'react';

import type { PortRulesReport } from '../../../api/backend';
import { everythingOpen, rulesToChange } from './portRuleRows';

/** The wizard's steps, in order (PortRulesWizard). */
export const PORT_WIZARD_STEPS = ['platform', 'discovery', 'rules', 'changes', 'apply', 'verify'] as const;
export type PortWizardStepId = (typeof PORT_WIZARD_STEPS)[number];

/** Where a first look lands: on the planned changes when a rule is missing, on the verdict when none is. */
export const entryStepOf = (report: PortRulesReport): PortWizardStepId => {
  if (everythingOpen(report)) return 'verify';
  return rulesToChange(report).length > 0 ? 'changes' : 'platform';
};

/**
 * The step the wizard opens on, decided once from the first report (later reports, e.g. with the
 * UDP rule, do not move the admin); "Run again" walks every step from the platform.
 */
export const usePortWizardEntry = (report: PortRulesReport | undefined) => {
  const [entryStep, setEntryStep] = useState<PortWizardStepId>();
  // Adjusting state while rendering (React's pattern for state derived from a prop): no effect, no flash of step 1.
  if (entryStep === undefined && report) setEntryStep(entryStepOf(report));
  return { entryStep: entryStep ?? 'platform', walkFromStart: () => setEntryStep('platform') };
};
