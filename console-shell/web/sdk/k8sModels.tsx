// K8s models from API discovery, as the console keeps them: a model per kind with its plural,
// scope and verbs, looked up by {group, version, kind} or by a "group~version~Kind" reference.
// The console discovers every group at start-up; the shell asks per group/version on first use.
import { useEffect, useState } from 'react';
import type {
  K8sGroupVersionKind,
  K8sModel,
  K8sResourceKindReference,
  K8sVerb,
  UseK8sModel,
} from '@openshift-console/dynamic-plugin-sdk';
import { consoleFetchJSON } from './consoleFetch';
import { HttpError } from './errors';

type APIResource = {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs: K8sVerb[];
  shortNames?: string[];
};

// Groups whose kinds the console links by plural (its static models); others by reference.
const BUILT_IN_GROUPS = new Set([
  'core',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'node.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'scheduling.k8s.io',
  'authorization.k8s.io',
  'authentication.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
]);

/** "Node" → "N", "PeerPodConfig" → "PPC": the console's fallback badge text. */
export const kindToAbbr = (kind: string): string => (kind.replace(/[^A-Z]/g, '') || kind.toUpperCase()).slice(0, 4);

const toModel = (group: string, version: string, r: APIResource): K8sModel => ({
  kind: r.kind,
  plural: r.name,
  id: r.singularName,
  namespaced: r.namespaced,
  verbs: r.verbs,
  shortNames: r.shortNames,
  label: r.kind,
  labelPlural: `${r.kind}s`,
  abbr: kindToAbbr(r.kind),
  apiVersion: version,
  ...(group !== 'core' && { apiGroup: group }),
  crd: !BUILT_IN_GROUPS.has(group),
});

type GroupVersionModels = Map<string, K8sModel>;
const discovered = new Map<string, Promise<GroupVersionModels | null>>();
const resolvedModels = new Map<string, K8sModel | null>();
const preferredVersions = new Map<string, Promise<string | null>>();
const MISSING_GROUP_RETRY_MS = 10_000;

const discoveryUrl = (group: string, version: string) =>
  group === 'core' ? `/api/kubernetes/api/${version}` : `/api/kubernetes/apis/${group}/${version}`;

/** Models of one group/version; null when the API server does not serve it (yet). */
const discoverGroupVersion = (group: string, version: string): Promise<GroupVersionModels | null> => {
  const key = `${group}/${version}`;
  let pending = discovered.get(key);
  if (!pending) {
    pending = (consoleFetchJSON(discoveryUrl(group, version)) as Promise<{ resources?: APIResource[] }>).then(
      (list) =>
        new Map(
          (list.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => [r.kind, toModel(group, version, r)]),
        ),
      (err: unknown) => {
        // A CRD installed later must become visible, so a missing group is asked again later.
        setTimeout(() => discovered.delete(key), MISSING_GROUP_RETRY_MS);
        if (err instanceof HttpError && err.code === 404) return null;
        throw err;
      },
    );
    discovered.set(key, pending);
  }
  return pending;
};

const preferredVersionOf = (group: string): Promise<string | null> => {
  if (group === 'core') return Promise.resolve('v1');
  let pending = preferredVersions.get(group);
  if (!pending) {
    pending = (consoleFetchJSON(`/api/kubernetes/apis/${group}`) as Promise<{ preferredVersion?: { version: string } }>)
      .then((g) => g.preferredVersion?.version ?? null)
      .catch(() => null);
    preferredVersions.set(group, pending);
  }
  return pending;
};

type ModelKey = { group: string; version?: string; kind: string };

/** Normalises a groupVersionKind object or a kind reference ("group~version~Kind", or a core "Kind"). */
export const modelKeyOf = (gvk: K8sResourceKindReference | K8sGroupVersionKind | undefined): ModelKey | undefined => {
  if (!gvk) return undefined;
  if (typeof gvk === 'string') {
    const parts = gvk.split('~');
    if (parts.length === 3) return { group: parts[0] || 'core', version: parts[1], kind: parts[2]! };
    return { group: 'core', version: 'v1', kind: gvk };
  }
  return { group: gvk.group || 'core', version: gvk.version, kind: gvk.kind };
};

const cacheKey = ({ group, version, kind }: ModelKey) => `${group}~${version ?? ''}~${kind}`;

/** Resolves a model through discovery; undefined when the API server has no such kind. */
export const getK8sModel = async (key: ModelKey): Promise<K8sModel | undefined> => {
  const version = key.version ?? (await preferredVersionOf(key.group));
  const models = version ? await discoverGroupVersion(key.group, version) : null;
  const model = models?.get(key.kind) ?? null;
  resolvedModels.set(cacheKey(key), model);
  return model ?? undefined;
};

/** The core/v1 model whose plural is `plural` (the console's links to built-in kinds use plurals). */
export const getCoreModelByPlural = async (plural: string): Promise<K8sModel | undefined> => {
  const models = await discoverGroupVersion('core', 'v1');
  return [...(models?.values() ?? [])].find((m) => m.plural === plural);
};

/** The model if discovery already answered for it (null: known to be missing). */
export const cachedK8sModel = (key: ModelKey): K8sModel | null | undefined => resolvedModels.get(cacheKey(key));

/** `[model, inFlight]` as the console's useK8sModel: inFlight while discovery for it is pending. */
export const useK8sModel: UseK8sModel = (groupVersionKind) => {
  const key = modelKeyOf(groupVersionKind);
  const id = key ? cacheKey(key) : '';
  const [, setResolvedCount] = useState(0);
  const cached = key ? cachedK8sModel(key) : null;
  useEffect(() => {
    if (!id || cached !== undefined) return;
    const [group, version, kind] = id.split('~') as [string, string, string];
    const wanted: ModelKey = { group, version: version || undefined, kind };
    let active = true;
    getK8sModel(wanted)
      .catch((err: unknown) => {
        console.warn('console shell: API discovery failed', err);
        resolvedModels.set(id, null);
      })
      .finally(() => active && setResolvedCount((n) => n + 1));
    return () => {
      active = false;
    };
  }, [id, cached]);
  if (!key) return [undefined as unknown as K8sModel, false];
  return [(cached ?? undefined) as K8sModel, cached === undefined];
};

/** Same path layout as the console's resourcePathFromModel. */
export const resourcePathFromModel = (model: K8sModel, name?: string, namespace?: string): string => {
  let url = '/k8s/';
  if (!model.namespaced) url += 'cluster/';
  if (model.namespaced) url += namespace ? `ns/${namespace}/` : 'all-namespaces/';
  url += model.crd ? `${model.apiGroup ?? 'core'}~${model.apiVersion}~${model.kind}` : model.plural;
  if (name) url += `/${encodeURIComponent(name)}`;
  return url;
};
