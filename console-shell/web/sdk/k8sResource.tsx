// k8sGet/k8sCreate/k8sUpdate/k8sPatch/k8sDelete/k8sList with the SDK's options
// objects, the SDK's URL layout (/api/kubernetes + API path; query values are not encoded, as
// in the console) and the SDK's verbs: PATCH is always a JSON patch, list items get kind and
// apiVersion, delete sends the model's propagationPolicy.
import type {
  K8sModel,
  K8sResourceCommon,
  MatchExpression,
  Patch,
  QueryParams,
  Selector,
} from '@openshift-console/dynamic-plugin-sdk';
import { consoleFetchJSON } from './consoleFetch';

export const k8sBasePath = '/api/kubernetes';

export type ResourceUrlOptions = { ns?: string; name?: string; path?: string; queryParams?: QueryParams };

const apiPathFor = ({ apiGroup = 'core', apiVersion }: K8sModel): string =>
  apiGroup === 'core' && apiVersion === 'v1'
    ? '/api/v1'
    : `/apis/${apiGroup === 'core' ? '' : `${apiGroup}/`}${apiVersion}`;

export const getK8sResourcePath = (model: K8sModel, options: ResourceUrlOptions): string => {
  let url = apiPathFor(model);
  if (model.namespaced && options.ns) url += `/namespaces/${options.ns}`;
  url += `/${model.plural}`;
  if (options.name) url += `/${encodeURIComponent(options.name)}`;
  if (options.path) url += `/${options.path}`;
  const query = Object.entries(options.queryParams ?? {});
  if (query.length > 0) url += `?${query.map(([k, v]) => `${k}=${v}`).join('&')}`;
  return url;
};

export const resourceURL = (model: K8sModel, options: ResourceUrlOptions): string =>
  `${k8sBasePath}${getK8sResourcePath(model, options)}`;

type Requirement = { key: string; operator: string; values?: string[] | string };

const requirementToString = ({ key, operator, values = [] }: Requirement): string => {
  const list = Array.isArray(values) ? values : [values];
  switch (operator) {
    case 'Equals':
      return `${key}=${list[0]}`;
    case 'NotEquals':
      return `${key}!=${list[0]}`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    case 'In':
      return `${key} in (${list.join(',')})`;
    case 'NotIn':
      return `${key} notin (${list.join(',')})`;
    case 'GreaterThan':
      return `${key} > ${list[0]}`;
    case 'LessThan':
      return `${key} < ${list[0]}`;
    default:
      return '';
  }
};

/** `{matchLabels, matchExpressions}` or a plain label map (the console's old format) → label selector string. */
export const selectorToString = (selector: Selector | Record<string, string> = {}): string => {
  const s = selector as Selector;
  const oldFormat = !s.matchLabels && !s.matchExpressions;
  const matchLabels = (oldFormat ? selector : s.matchLabels) as Record<string, string> | undefined;
  const requirements: Requirement[] = Object.keys(matchLabels ?? {})
    .sort()
    .map((key) => ({ key, operator: 'Equals', values: [matchLabels![key]!] }));
  for (const expression of (oldFormat ? [] : s.matchExpressions) ?? ([] as MatchExpression[])) {
    requirements.push(expression as Requirement);
  }
  return requirements.map(requirementToString).join(',');
};

type BaseOptions = { name?: string; ns?: string; path?: string; queryParams?: QueryParams };

const urlOptions = ({ name, ns, path, queryParams }: BaseOptions): ResourceUrlOptions => ({
  ...(name && { name }),
  ...(ns && { ns }),
  ...(path && { path }),
  ...(queryParams && { queryParams }),
});

export const k8sGet = <R extends K8sResourceCommon>(
  options: BaseOptions & { model: K8sModel; requestInit?: RequestInit },
): Promise<R> =>
  consoleFetchJSON(resourceURL(options.model, urlOptions(options)), 'GET', options.requestInit) as Promise<R>;

export const k8sCreate = <R extends K8sResourceCommon>(
  options: BaseOptions & { model: K8sModel; data: R },
): Promise<R> =>
  consoleFetchJSON.post(
    resourceURL(options.model, { ns: options.data?.metadata?.namespace, ...urlOptions(options) }),
    options.data,
  ) as Promise<R>;

export const k8sUpdate = <R extends K8sResourceCommon>(
  options: BaseOptions & { model: K8sModel; data: R },
): Promise<R> => {
  const { model, data, ns, name, path, queryParams } = options;
  return consoleFetchJSON.put(
    resourceURL(model, {
      ns: ns || data.metadata?.namespace,
      name: name || data.metadata?.name,
      ...(path && { path }),
      ...(queryParams && { queryParams }),
    }),
    data,
  ) as Promise<R>;
};

export const k8sPatch = <R extends K8sResourceCommon>(
  options: BaseOptions & { model: K8sModel; resource: R; data: Patch[] },
): Promise<R> => {
  const patches = options.data.filter(Boolean);
  if (patches.length === 0) return Promise.resolve(options.resource);
  return consoleFetchJSON.patch(
    resourceURL(options.model, {
      ns: options.resource.metadata?.namespace,
      name: options.resource.metadata?.name,
      ...urlOptions(options),
    }),
    patches,
  ) as Promise<R>;
};

export const k8sDelete = <R extends K8sResourceCommon>(
  options: BaseOptions & { model: K8sModel; resource: R; requestInit?: RequestInit; json?: Record<string, unknown> },
): Promise<R> => {
  const { model, resource, requestInit, json } = options;
  const { propagationPolicy } = model;
  const body = json ?? (propagationPolicy && { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy });
  return consoleFetchJSON.delete(
    resourceURL(model, { ns: resource.metadata?.namespace, name: resource.metadata?.name, ...urlOptions(options) }),
    body,
    requestInit,
  ) as Promise<R>;
};

type ListOptions = { model: K8sModel; queryParams: { [key: string]: unknown }; requestInit?: RequestInit };
type ListResponse<R> = K8sResourceCommon & { items: R[]; metadata: { resourceVersion?: string; continue?: string } };

/** The raw list (items typed with kind and apiVersion). */
export const k8sListRaw = async <R extends K8sResourceCommon>(
  model: K8sModel,
  queryParams: { [key: string]: unknown } = {},
  requestInit: RequestInit = {},
): Promise<ListResponse<R>> => {
  const query = Object.entries(queryParams)
    .filter(([k]) => k !== 'ns')
    .map(([k, v]) => {
      const value = k === 'labelSelector' ? selectorToString(v as Selector) : String(v);
      return `${encodeURIComponent(k)}=${encodeURIComponent(value)}`;
    })
    .join('&');
  const listURL = resourceURL(model, { ns: queryParams.ns as string | undefined });
  const result = (await consoleFetchJSON(`${listURL}?${query}`, 'GET', requestInit)) as ListResponse<R>;
  return { ...result, items: result.items?.map((i) => ({ kind: model.kind, apiVersion: result.apiVersion, ...i })) };
};

export const k8sList = async <R extends K8sResourceCommon>(
  options: ListOptions & { raw?: boolean },
): Promise<R[] | (K8sResourceCommon & { items: R[] })> => {
  const result = await k8sListRaw<R>(options.model, options.queryParams, options.requestInit);
  return options.raw ? result : result.items;
};
