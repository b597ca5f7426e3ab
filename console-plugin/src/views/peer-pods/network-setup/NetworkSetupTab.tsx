import { type FC, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Content, Stack, StackItem } from '@patternfly/react-core';

import { useApplyPortRules } from '../../../hooks/useApplyPortRules';
import { usePermissions } from '../../../hooks/usePermissions';
import { usePortRules } from '../../../hooks/usePortRules';
import { PEER_PODS_PAGE_PATH } from '../peerPodsRoutes';
import PortRulesWizard from './PortRulesWizard';
import { usePortWizardEntry } from './usePortWizardEntry';

/** Network setup tab: the wizard that opens the ports between worker nodes and pod VMs. */
const NetworkSetupTab: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const [includeUdp, setIncludeUdp] = useState(false);
  // Each "Run again" starts the wizard over at its first step.
  const [run, setRun] = useState(0);
  const { report, loaded, error, refresh, refreshing } = usePortRules(includeUdp);
  // Opened to fix something, the wizard lands on the missing rules, or says first that none are.
  const { entryStep, walkFromStart } = usePortWizardEntry(error ? undefined : report);
  const applyRules = useApplyPortRules(refresh);
  const { permissions, loaded: permissionsLoaded, error: permissionsError } = usePermissions();

  const changeIncludeUdp = (value: boolean) => {
    applyRules.reset();
    setIncludeUdp(value);
  };
  const runAgain = () => {
    applyRules.reset();
    refresh();
    walkFromStart();
    setRun((value) => value + 1);
  };

  return (
    <Stack hasGutter>
      <StackItem>
        <Content component="p">
          {t(
            'Peer pods need two ports open between the worker nodes and the pod VMs: TCP 15150, where the peer pods shim reaches the kata-agent, and the VXLAN port (VXLAN_PORT in peer-pods-cm, 9000 by default) for the tunnel.',
          )}
        </Content>
      </StackItem>
      <StackItem>
        <PortRulesWizard
          // Mounted again when the first report decides the entry step, and on each run.
          key={`${run}:${entryStep}`}
          startStep={entryStep}
          report={report}
          loaded={loaded}
          error={error}
          refreshing={refreshing}
          onRecheck={refresh}
          includeUdp={includeUdp}
          onIncludeUdpChange={changeIncludeUdp}
          permission={{
            loaded: permissionsLoaded,
            canChangeCloud: permissions?.canChangeCloud === true,
            error: permissionsError,
          }}
          applyState={applyRules.state}
          onApply={(planned) => applyRules.apply(includeUdp, planned)}
          onRunAgain={runAgain}
          setupPath={`${PEER_PODS_PAGE_PATH}/setup`}
        />
      </StackItem>
    </Stack>
  );
};

export default NetworkSetupTab;
