import type { FC } from 'react';
import { Bullseye, Spinner } from '@patternfly/react-core';

export const Loading: FC<{ label: string }> = ({ label }) => (
  <Bullseye>
    <Spinner aria-label={label} />
  </Bullseye>
);
