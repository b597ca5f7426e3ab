import type { FC, ReactNode } from 'react';
import { EmptyState, EmptyStateBody, EmptyStateFooter } from '@patternfly/react-core';
import { CheckCircleIcon } from '@patternfly/react-icons';
import { useTranslation } from 'react-i18next';

/** Every required rule is present: nothing to change, nothing to apply. */
const AllPortsOpenState: FC<{ children?: ReactNode }> = ({ children }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <EmptyState
      titleText={t('Everything is already open')}
      headingLevel="h3"
      icon={CheckCircleIcon}
      status="success"
      variant="sm"
    >
      <EmptyStateBody>
        {t('Every port peer pods need is open between the worker nodes and the pod VMs. No changes are needed.')}
      </EmptyStateBody>
      {children && <EmptyStateFooter>{children}</EmptyStateFooter>}
    </EmptyState>
  );
};

export default AllPortsOpenState;
