// A stand-in for '@openshift-console/dynamic-plugin-sdk' at its module boundary (setup.ts installs
// it with vi.mock for every plugin test). It behaves like a tiny API server: a test puts objects,
// an error or "still loading" per kind into `fakeCluster`, and useK8sWatchResource answers each
// watch from there — named watches find their object or fail with 404, list watches apply the
// label selector. Writes (k8sPatch, k8sCreate, k8sDelete, consoleFetchJSON) are spies a test can program and inspect.
import type { ReactNode } from 'react';
import type {
  AccessReviewResourceAttributes,
  K8sGroupVersionKind,
  K8sModel,
  K8sResourceCommon,
  ListPageHeaderProps,
  PrometheusPollProps,
  PrometheusResponse,
  ResourceLinkProps,
  TimestampProps,
  WatchK8sResource,
  WatchK8sResult,
} from '@openshift-console/dynamic-plugin-sdk';
import { vi } from 'vitest';

type KindState =
  { state: 'objects'; objects: K8sResourceCommon[] } | { state: 'error'; error: unknown } | { state: 'loading' };

const kindKey = ({ group, kind }: { group?: string; kind: string }): string => `${group ?? 'core'}~${kind}`;
const modelKey = (model: K8sModel): string => kindKey({ group: model.apiGroup, kind: model.kind });

const cluster = new Map<string, KindState>();

/** The console's HttpError shape: `code` is the status, `response.status` too. */
export const httpError = (status: number, message: string): Error & { code: number; response: { status: number } } =>
  Object.assign(new Error(message), { code: status, response: { status } });

export const fakeCluster = {
  /** The API server holds exactly these objects of the model's kind. */
  setObjects(model: K8sModel, objects: K8sResourceCommon[]): void {
    cluster.set(modelKey(model), { state: 'objects', objects });
  },
  /** Every watch of the model's kind fails with this error (e.g. `httpError(403, 'forbidden')`). */
  setError(model: K8sModel, error: unknown): void {
    cluster.set(modelKey(model), { state: 'error', error });
  },
  /** Watches of the model's kind never finish loading. Also the default for kinds never set. */
  setLoading(model: K8sModel): void {
    cluster.set(modelKey(model), { state: 'loading' });
  },
  reset(): void {
    cluster.clear();
  },
};

const matchesLabels = (object: K8sResourceCommon, matchLabels: Record<string, string> = {}): boolean =>
  Object.entries(matchLabels).every(([key, value]) => object.metadata?.labels?.[key] === value);

const watchResult = (resource: WatchK8sResource | null): WatchK8sResult<K8sResourceCommon | K8sResourceCommon[]> => {
  if (!resource) return [undefined as unknown as K8sResourceCommon, false, undefined];
  const gvk: K8sGroupVersionKind | undefined = resource.groupVersionKind;
  if (!gvk) throw new Error('sdk-mock: watch resources by groupVersionKind; `kind` strings are deprecated');
  const kind = cluster.get(kindKey(gvk)) ?? { state: 'loading' };
  const empty = resource.isList ? [] : (undefined as unknown as K8sResourceCommon);
  if (kind.state === 'loading') return [empty, false, undefined];
  if (kind.state === 'error') return [empty, false, kind.error];

  const inNamespace = kind.objects.filter(
    (object) => !resource.namespace || object.metadata?.namespace === resource.namespace,
  );
  if (resource.isList) {
    const selected = inNamespace.filter((object) => matchesLabels(object, resource.selector?.matchLabels));
    return [selected, true, undefined];
  }
  const found = inNamespace.find((object) => object.metadata?.name === resource.name);
  if (!found) return [empty, false, httpError(404, `${gvk.kind} "${resource.name}" not found`)];
  return [found, true, undefined];
};

export const useK8sWatchResource = vi.fn(watchResult);
export const k8sPatch = vi.fn();
export const k8sCreate = vi.fn();
export const k8sDelete = vi.fn();
// Backend calls a test has not programmed never answer, as kinds never set stay loading.
export const consoleFetchJSON = Object.assign(
  vi.fn((_url: string, ..._rest: unknown[]): Promise<unknown> => new Promise(() => undefined)),
  {
    delete: vi.fn(),
    post: vi.fn(),
    put: vi.fn(),
    patch: vi.fn(),
  },
);

/** Access reviews answer "allowed" unless a test denies matching attributes or keeps them loading. */
const accessReviews = { denied: [] as AccessReviewResourceAttributes[], loading: false };

export const fakeAccess = {
  /** Deny every review whose attributes include all of these (e.g. `{ resource: 'nodes', verb: 'patch' }`). */
  deny(attributes: AccessReviewResourceAttributes): void {
    accessReviews.denied.push(attributes);
  },
  /** Reviews stay unanswered. */
  setLoading(): void {
    accessReviews.loading = true;
  },
  reset(): void {
    accessReviews.denied = [];
    accessReviews.loading = false;
  },
};

/** `[isAllowed, loading]`, as the SDK's useAccessReview. */
export const useAccessReview = vi.fn((attributes: AccessReviewResourceAttributes): [boolean, boolean] => {
  if (accessReviews.loading) return [false, true];
  const denied = accessReviews.denied.some((rule) =>
    Object.entries(rule).every(([key, value]) => attributes[key as keyof AccessReviewResourceAttributes] === value),
  );
  return [!denied, false];
});

/** What the console's Prometheus proxy answers: a body (e.g. rules), an error, or nothing yet. */
type PrometheusState = { state: 'loading' } | { state: 'answer'; body: unknown } | { state: 'error'; error: unknown };
let prometheus: PrometheusState = { state: 'loading' };

export const fakePrometheus = {
  /** `usePrometheusPoll` answers with this body (e.g. a PrometheusRulesResponse). */
  answer(body: unknown): void {
    prometheus = { state: 'answer', body };
  },
  /** `usePrometheusPoll` fails, as without monitoring (404) or without permission (403). */
  fail(error: unknown): void {
    prometheus = { state: 'error', error };
  },
  reset(): void {
    prometheus = { state: 'loading' };
  },
};

/** The SDK's enum of Prometheus API paths. */
export const PrometheusEndpoint = {
  LABEL: 'api/v1/label',
  QUERY: 'api/v1/query',
  QUERY_RANGE: 'api/v1/query_range',
  RULES: 'api/v1/rules',
  TARGETS: 'api/v1/targets',
};

/** `[response, loaded, error]`, as the SDK's usePrometheusPoll. */
export const usePrometheusPoll = vi.fn(
  (_props: PrometheusPollProps): [PrometheusResponse | undefined, boolean, unknown] => {
    if (prometheus.state === 'answer') return [prometheus.body as PrometheusResponse, true, undefined];
    if (prometheus.state === 'error') return [undefined, true, prometheus.error];
    return [undefined, false, undefined];
  },
);

/** Renders what the console's link shows: the resource name, as a link. */
const ResourceLink = ({ groupVersionKind, name, namespace, displayName, children }: ResourceLinkProps): ReactNode => {
  const reference = groupVersionKind
    ? [groupVersionKind.group ?? 'core', groupVersionKind.version, groupVersionKind.kind].join('~')
    : 'unknown';
  const href = namespace ? `/k8s/ns/${namespace}/${reference}/${name}` : `/k8s/cluster/${reference}/${name}`;
  return (
    <a href={href}>
      {displayName ?? name}
      {children}
    </a>
  );
};

const ListPageHeader = ({ title, helpText, children }: ListPageHeaderProps): ReactNode => (
  <header>
    <h1>{title}</h1>
    {helpText && <p>{helpText}</p>}
    {children}
  </header>
);

/** The timestamp as the console's machine-readable <time> (the console shows it relative, e.g. "5 minutes ago"). */
const Timestamp = ({ timestamp }: TimestampProps): ReactNode =>
  timestamp ? <time dateTime={new Date(timestamp).toISOString()}>{new Date(timestamp).toISOString()}</time> : '-';

const DocumentTitle = ({ children }: { children: string }): ReactNode => {
  document.title = children;
  return null;
};

/** The module object vi.mock returns for '@openshift-console/dynamic-plugin-sdk'. */
export const sdkModuleMock = {
  useK8sWatchResource,
  k8sPatch,
  k8sCreate,
  k8sDelete,
  consoleFetchJSON,
  useAccessReview,
  ResourceLink,
  Timestamp,
  ListPageHeader,
  DocumentTitle,
  PrometheusEndpoint,
  usePrometheusPoll,
};

export const resetSdkMock = (): void => {
  fakeCluster.reset();
  fakeAccess.reset();
  fakePrometheus.reset();
  usePrometheusPoll.mockClear();
  useAccessReview.mockClear();
  useK8sWatchResource.mockClear();
  k8sPatch.mockReset();
  k8sCreate.mockReset();
  k8sDelete.mockReset();
  consoleFetchJSON.mockReset();
  consoleFetchJSON.delete.mockReset();
  consoleFetchJSON.post.mockReset();
  consoleFetchJSON.put.mockReset();
  consoleFetchJSON.patch.mockReset();
};
