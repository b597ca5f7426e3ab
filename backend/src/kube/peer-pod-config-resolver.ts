// The PeerPodConfig the backend serves and the cloud objects it names, read one way for every
// caller (cloud VM management, the setup checklist). As the cloud-api-adaptor reads them:
// spec.cloudSecretName and spec.configMapName name a Secret and a ConfigMap in the PeerPodConfig's
// own namespace, `peer-pods-secret` and `peer-pods-cm` when unset or empty (or when there is no
// PeerPodConfig at all, so that the setup checklist can still say what is missing).
import { isNotFound, type KubeClient } from './client.ts';

export interface ObjectRef {
  namespace: string;
  name: string;
}

/** What the backend reads of a PeerPodConfig (confidentialcontainers.org/v1alpha1). */
export interface PeerPodConfigObject {
  metadata?: { resourceVersion?: string };
  spec?: {
    limit?: unknown;
    nodeSelector?: Record<string, string> | null;
    cloudSecretName?: string;
    configMapName?: string;
  };
}

/** A Secret or ConfigMap as the API server sends it: a Secret's values stay base64 here. */
export interface DataObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

export interface ResolvedPeerPodConfig {
  /** The PeerPodConfig; undefined when it does not exist. */
  config: PeerPodConfigObject | undefined;
  /** The cloud credentials Secret it names. */
  secret: ObjectRef;
  /** The cloud settings ConfigMap it names. */
  configMap: ObjectRef;
}

export const DEFAULT_CLOUD_SECRET_NAME = 'peer-pods-secret';
export const DEFAULT_CLOUD_CONFIG_MAP_NAME = 'peer-pods-cm';

/** The Secret and ConfigMap that `config` (at `ref`, maybe missing) names. */
export function cloudObjectRefs(
  ref: ObjectRef,
  config: PeerPodConfigObject | undefined,
): Pick<ResolvedPeerPodConfig, 'secret' | 'configMap'> {
  return {
    secret: { namespace: ref.namespace, name: config?.spec?.cloudSecretName || DEFAULT_CLOUD_SECRET_NAME },
    configMap: { namespace: ref.namespace, name: config?.spec?.configMapName || DEFAULT_CLOUD_CONFIG_MAP_NAME },
  };
}

const path = (plural: string, ref: ObjectRef, prefix = '/api/v1') =>
  `${prefix}/namespaces/${encodeURIComponent(ref.namespace)}/${plural}/${encodeURIComponent(ref.name)}`;

export class PeerPodConfigResolver {
  /**
   * @param client the backend's own client (its service account), never the user's
   * @param ref the PeerPodConfig the backend serves
   * @param timeoutMs per read; default the client's
   */
  constructor(
    private readonly client: KubeClient,
    readonly ref: ObjectRef,
    private readonly timeoutMs?: number,
  ) {}

  /** The PeerPodConfig as the API server holds it now, and the names of its Secret and ConfigMap. */
  async resolve(): Promise<ResolvedPeerPodConfig> {
    const config = await this.get<PeerPodConfigObject>(
      path('peerpodconfigs', this.ref, '/apis/confidentialcontainers.org/v1alpha1'),
    );
    return { config, ...cloudObjectRefs(this.ref, config) };
  }

  /** The Secret at `ref`; undefined when it does not exist. */
  readSecret(ref: ObjectRef): Promise<DataObject | undefined> {
    return this.get<DataObject>(path('secrets', ref));
  }

  /** The ConfigMap at `ref`; undefined when it does not exist. */
  readConfigMap(ref: ObjectRef): Promise<DataObject | undefined> {
    return this.get<DataObject>(path('configmaps', ref));
  }

  private async get<T>(objectPath: string): Promise<T | undefined> {
    try {
      return await this.client.request<T>({ method: 'GET', path: objectPath, timeoutMs: this.timeoutMs });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}
