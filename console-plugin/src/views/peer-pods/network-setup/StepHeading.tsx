import type { FC } from 'react';
import { Title } from '@patternfly/react-core';

/** Each wizard step opens with its name as a heading, so that the step is found by its name. */
const StepHeading: FC<{ children: string }> = ({ children }) => (
  <Title headingLevel="h2" size="xl">
    {children}
  </Title>
);

export default StepHeading;
