// The console shell's runtime of `@openshift-console/dynamic-plugin-sdk`: what a plugin gets
// when its code imports from the SDK (the published package holds only types and stubs that
// require the console's internals). Signatures follow the SDK's types; behaviour follows the
// console's implementation. Pure parts of the published package (extension type guards, enums,
// error classes, k8s references) are re-exported as they are.
export * from '@openshift-console/dynamic-plugin-sdk/lib/extensions';
export * from '@openshift-console/dynamic-plugin-sdk/lib/api/common-types';
export { isAllNamespacesKey } from '@openshift-console/dynamic-plugin-sdk/lib/api/utils';
export {
  getAPIVersionForModel,
  getGroupVersionKindForModel,
  getGroupVersionKindForResource,
} from '@openshift-console/dynamic-plugin-sdk/lib/utils/k8s/k8s-ref';
export { HttpError } from './errors';
export { consoleFetch, consoleFetchJSON, consoleFetchText } from './consoleFetch';
export { k8sCreate, k8sDelete, k8sGet, k8sList, k8sListItems, k8sPatch, k8sUpdate } from './k8sResource';
export { useK8sModel, useK8sModels } from './k8sModels';
export { useK8sWatchResource, useK8sWatchResources } from './useK8sWatchResource';
export { checkAccess, useAccessReview, useAccessReviewAllowed } from './rbac';
export { DocumentTitle, ListPageBody, ListPageHeader, ResourceIcon, ResourceLink, Timestamp } from './components';
export {
  useActiveNamespace,
  useActivePerspective,
  useFlag,
  useResolvedExtensions,
  useUserPreference,
  useUserPreference as useUserSettings,
} from './hooks';
