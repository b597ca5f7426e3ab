// Feature flags the console itself sets, which the plugin's extensions may require. Loaded by
// webpack.config.ts in Node (through the manifests), hence no imports.

/** Set by the console from a SelfSubjectAccessReview "list nodes" (cluster-wide); it gates the Compute section. */
export const CAN_LIST_NODE = 'CAN_LIST_NODE';
