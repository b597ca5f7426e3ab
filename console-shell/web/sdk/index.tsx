// The console shell's runtime of `@openshift-console/dynamic-plugin-sdk`: what a plugin gets
// when its code imports a value from the SDK (the published package holds only types and stubs
// that require the console's internals). It provides what the plugin imports (index.test.ts fails
// when the plugin imports more) and what e2e/console-sdk.spec.ts calls besides; anything else
// throws a clear error (sharedScope.tsx). Each export is typed as the SDK declares it, so an
// implementation that drifts from the SDK's signature fails `npm run typecheck`; behaviour
// follows the console's implementation.
import type * as Sdk from '@openshift-console/dynamic-plugin-sdk';
import type * as SdkHttpErrors from '@openshift-console/dynamic-plugin-sdk/lib/utils/error/http-error';
import * as components from './components';
import * as fetching from './consoleFetch';
import * as errors from './errors';
import * as resources from './k8sResource';
import * as prometheus from './prometheus';
import * as rbac from './rbac';
import * as watching from './useK8sWatchResource';

// Imported by the plugin (console-plugin/src).
export const DocumentTitle: typeof Sdk.DocumentTitle = components.DocumentTitle;
export const ListPageHeader: typeof Sdk.ListPageHeader = components.ListPageHeader;
export const ResourceLink: typeof Sdk.ResourceLink = components.ResourceLink;
export const Timestamp: typeof Sdk.Timestamp = components.Timestamp;
export const consoleFetchJSON: typeof Sdk.consoleFetchJSON = fetching.consoleFetchJSON;
export const k8sCreate: typeof Sdk.k8sCreate = resources.k8sCreate;
export const k8sDelete: typeof Sdk.k8sDelete = resources.k8sDelete;
export const k8sPatch: typeof Sdk.k8sPatch = resources.k8sPatch;
export const PrometheusEndpoint: typeof Sdk.PrometheusEndpoint = prometheus.PrometheusEndpoint;
export const useAccessReview: typeof Sdk.useAccessReview = rbac.useAccessReview;
export const useK8sWatchResource: typeof Sdk.useK8sWatchResource = watching.useK8sWatchResource;
export const usePrometheusPoll: typeof Sdk.usePrometheusPoll = prometheus.usePrometheusPoll;

// Called by e2e/console-sdk.spec.ts to check the shell's CRUD and access reviews against the API server.
export const k8sGet: typeof Sdk.k8sGet = resources.k8sGet;
export const k8sUpdate: typeof Sdk.k8sUpdate = resources.k8sUpdate;
export const k8sList: typeof Sdk.k8sList = resources.k8sList;
export const checkAccess: typeof Sdk.checkAccess = rbac.checkAccess;
// Not an export of the SDK's entry point: the spec checks that errors are the SDK's own HttpError.
export const HttpError: typeof SdkHttpErrors.HttpError = errors.HttpError;
