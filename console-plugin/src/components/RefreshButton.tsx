import type { FC, ReactNode } from 'react';
import { Button } from '@patternfly/react-core';
import { SyncAltIcon } from '@patternfly/react-icons';

type RefreshButtonProps = {
  onClick: () => void;
  /** A read is in flight: the button waits, disabled. */
  refreshing: boolean;
  /** Whether data is already shown: only then does the button spin (a first load has its own spinner). */
  loaded?: boolean;
  size?: 'sm';
  children: ReactNode;
};

/** "Refresh", "Check again", "Read again": reads again what a view shows. */
const RefreshButton: FC<RefreshButtonProps> = ({ onClick, refreshing, loaded = true, size, children }) => (
  <Button
    variant="secondary"
    size={size}
    icon={<SyncAltIcon />}
    onClick={onClick}
    isLoading={refreshing && loaded}
    isDisabled={refreshing}
  >
    {children}
  </Button>
);

export default RefreshButton;
