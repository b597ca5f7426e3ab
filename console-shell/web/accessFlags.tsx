// The console's access flags, set as the console sets them at start-up: a SelfSubjectAccessReview
// as the signed-in user, its answer stored as a feature flag of the plugin store. Extensions whose
// `flags.required` names one (and the shell's own Compute section, as the console's) show only
// once it is true. Switching user reloads the page, which reviews again.
import type { PluginStore } from '@openshift/dynamic-plugin-sdk';
import type { AccessReviewResourceAttributes } from '@openshift-console/dynamic-plugin-sdk';
import { checkAccess } from './sdk/rbac';

/** The console's flag for "may list nodes cluster-wide"; its Compute section requires it. */
export const CAN_LIST_NODE = 'CAN_LIST_NODE';

// The console's own table holds more; these are the ones the shell's page and the plugin use.
const ACCESS_FLAGS: { flag: string; resourceAttributes: AccessReviewResourceAttributes }[] = [
  { flag: CAN_LIST_NODE, resourceAttributes: { resource: 'nodes', verb: 'list' } },
];

export const detectAccessFlags = (pluginStore: PluginStore): void => {
  for (const { flag, resourceAttributes } of ACCESS_FLAGS) {
    checkAccess(resourceAttributes).then(
      (review) => pluginStore.setFeatureFlags({ [flag]: Boolean(review.status?.allowed) }),
      // As the console: a review that fails leaves the flag unset, and what requires it hidden.
      (err: unknown) => console.warn(`console shell: the access review for ${flag} failed`, err),
    );
  }
};
