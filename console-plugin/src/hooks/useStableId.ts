import { useState } from 'react';

let counter = 0;

/**
 * An element id that stays the same for the component's life. React's useId would do, but
 * OpenShift 4.20 shares React 17, which has no useId.
 */
export const useStableId = (prefix = 'peer-pods'): string => {
  const [id] = useState(() => `${prefix}-${(counter += 1)}`);
  return id;
};
