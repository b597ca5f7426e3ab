// The PeerPodConfig resolver against a fake API server holding objects by path: which Secret and
// ConfigMap a PeerPodConfig names, the defaults, and what a missing object reads as.
import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeClient, type KubeRequest } from './client.ts';
import { PeerPodConfigResolver } from './peer-pod-config-resolver.ts';

const NS = 'openshift-sandboxed-containers-operator';
const REF = { namespace: NS, name: 'peerpodconfig-openshift' };
const CONFIG_PATH = `/apis/confidentialcontainers.org/v1alpha1/namespaces/${NS}/peerpodconfigs/peerpodconfig-openshift`;

/** A client answering GETs from `objects` by path: 404 for anything else, `failing` paths with 403. */
function fakeClient(objects: Record<string, unknown>, failing: string[] = []) {
  const requests: KubeRequest[] = [];
  const client = {
    request: async (req: KubeRequest) => {
      requests.push(req);
      if (failing.includes(req.path)) throw new KubeApiError(403, 'Forbidden', 'forbidden', req.method, req.path);
      if (!(req.path in objects)) throw new KubeApiError(404, 'NotFound', 'not found', req.method, req.path);
      return objects[req.path];
    },
  } as unknown as KubeClient;
  return { client, requests };
}

describe('the PeerPodConfig resolver', () => {
  it('names the Secret and ConfigMap the spec names, in the PeerPodConfig’s namespace', async () => {
    const config = { spec: { cloudSecretName: 'my-secret', configMapName: 'my-cm', limit: '4' } };
    const { client } = fakeClient({ [CONFIG_PATH]: config });
    expect(await new PeerPodConfigResolver(client, REF).resolve()).toEqual({
      config,
      secret: { namespace: NS, name: 'my-secret' },
      configMap: { namespace: NS, name: 'my-cm' },
    });
  });

  it('falls back to peer-pods-secret and peer-pods-cm when the spec leaves them unset or empty', async () => {
    const { client } = fakeClient({ [CONFIG_PATH]: { spec: { cloudSecretName: '' } } });
    const resolved = await new PeerPodConfigResolver(client, REF).resolve();
    expect(resolved.secret).toEqual({ namespace: NS, name: 'peer-pods-secret' });
    expect(resolved.configMap).toEqual({ namespace: NS, name: 'peer-pods-cm' });
  });

  it('resolves a missing PeerPodConfig to no config and the default names', async () => {
    const { client } = fakeClient({});
    expect(await new PeerPodConfigResolver(client, REF).resolve()).toEqual({
      config: undefined,
      secret: { namespace: NS, name: 'peer-pods-secret' },
      configMap: { namespace: NS, name: 'peer-pods-cm' },
    });
  });

  it('reads the Secret and the ConfigMap it resolved, and a missing one as undefined', async () => {
    const secret = { metadata: { resourceVersion: '7' }, data: { AWS_ACCESS_KEY_ID: 'QUtJQQ==' } };
    const { client } = fakeClient({
      [CONFIG_PATH]: { spec: {} },
      [`/api/v1/namespaces/${NS}/secrets/peer-pods-secret`]: secret,
    });
    const resolver = new PeerPodConfigResolver(client, REF);
    const resolved = await resolver.resolve();
    expect(await resolver.readSecret(resolved.secret)).toEqual(secret);
    expect(await resolver.readConfigMap(resolved.configMap)).toBeUndefined();
  });

  it('passes on every other API error: a PeerPodConfig it may not read is not a missing one', async () => {
    const { client } = fakeClient({}, [CONFIG_PATH]);
    await expect(new PeerPodConfigResolver(client, REF).resolve()).rejects.toMatchObject({ code: 403 });
  });

  it('reads with the deadline it was given', async () => {
    const { client, requests } = fakeClient({ [CONFIG_PATH]: {} });
    await new PeerPodConfigResolver(client, REF, 1500).resolve();
    expect(requests).toEqual([{ method: 'GET', path: CONFIG_PATH, timeoutMs: 1500 }]);
  });
});
