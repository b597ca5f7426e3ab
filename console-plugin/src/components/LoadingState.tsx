import type { FC } from 'react';
import { Bullseye, Spinner } from '@patternfly/react-core';

/** A centred spinner whose label tells screen-reader users what is loading. */
const LoadingState: FC<{ label: string }> = ({ label }) => (
  <Bullseye>
    <Spinner size="lg" aria-label={label} />
  </Bullseye>
);

export default LoadingState;
