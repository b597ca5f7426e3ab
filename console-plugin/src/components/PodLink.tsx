import type { FC } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';

import { groupVersionKindOf } from '../models/groupVersionKind';
import { PodModel } from '../models/Pod';
import { RESOURCE_LINK_CLASS } from './resourceLinkWrap';

/** A pod named in the backend's capacity data: a link, or a dash when its name was left out. */
const PodLink: FC<{ pod: { namespace: string | null; name: string | null } }> = ({ pod }) =>
  pod.namespace !== null && pod.name !== null ? (
    <ResourceLink
      className={RESOURCE_LINK_CLASS}
      groupVersionKind={groupVersionKindOf(PodModel)}
      name={pod.name}
      namespace={pod.namespace}
    />
  ) : (
    <>—</>
  );

export default PodLink;
