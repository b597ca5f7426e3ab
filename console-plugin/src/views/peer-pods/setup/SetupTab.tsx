import type { FC } from 'react';
import { Divider, Stack, StackItem } from '@patternfly/react-core';
import { useNavigate } from 'react-router-dom-v5-compat';
import type { SetupAction } from '@peer-pods-console/contract/setup-checks';

import { useSetupReport } from '../../../hooks/useSetupReport';
import { PEER_PODS_PAGE_PATH } from '../peerPodsRoutes';
import NamespacePolicySection, { NAMESPACE_POLICY_HEADING_ID } from './NamespacePolicySection';
import SetupChecklist from './SetupChecklist';

/** Setup tab (opens first): the prerequisites checklist and the namespace policy for peer pods. */
const SetupTab: FC = () => {
  const { report, loaded, error, refresh, refreshing } = useSetupReport();
  const navigate = useNavigate();

  const onAction = (action: SetupAction) => {
    switch (action) {
      case 'open-port-wizard':
        navigate(`${PEER_PODS_PAGE_PATH}/network-setup`);
        break;
      // The limit editor and the node and pod lists live on the Capacity tab.
      case 'edit-limit':
      case 'open-capacity':
        navigate(`${PEER_PODS_PAGE_PATH}/capacity`);
        break;
      case 'install-policy': {
        const heading = document.getElementById(NAMESPACE_POLICY_HEADING_ID);
        heading?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
        heading?.focus();
        break;
      }
    }
  };

  return (
    <Stack hasGutter>
      <StackItem>
        <SetupChecklist
          report={report}
          loaded={loaded}
          error={error}
          refreshing={refreshing}
          onRefresh={refresh}
          onAction={onAction}
        />
      </StackItem>
      <StackItem>
        <Divider />
      </StackItem>
      <StackItem>
        <NamespacePolicySection report={report} onChanged={refresh} />
      </StackItem>
    </Stack>
  );
};

export default SetupTab;
