import type { WatchK8sResults } from '@openshift-console/dynamic-plugin-sdk';

import type { PeerPodConfigKind } from '../../models/PeerPodConfig';
import { httpError } from '../../test/sdk-mock';
import { peerPodsHealth, peerPodsHealthResources } from './peerPodsHealth';

type Results = WatchK8sResults<{ peerPodConfig: PeerPodConfigKind }>;

const config = (limit: string | undefined): PeerPodConfigKind => ({
  metadata: { name: 'peerpodconfig-openshift', namespace: 'openshift-sandboxed-containers-operator' },
  spec: {
    cloudSecretName: 'peer-pods-secret',
    configMapName: 'peer-pods-cm',
    ...(limit === undefined ? {} : { limit }),
  },
});

const loaded = (data: PeerPodConfigKind): Results => ({ peerPodConfig: { data, loaded: true, loadError: undefined } });
const failed = (loadError: unknown): Results => ({
  peerPodConfig: { data: undefined as unknown as PeerPodConfigKind, loaded: false, loadError },
});

/** The console's t: the key with the plugin's namespace, options appended, so tests see both. */
const consoleT = ((key: string, options?: Record<string, unknown>) =>
  options ? `${key} ${JSON.stringify(options)}` : key) as never;

describe('the Peer pods health item of the Cluster overview', () => {
  it('watches one object, the PeerPodConfig by name, so its cost does not grow with the nodes', () => {
    expect(peerPodsHealthResources).toEqual({
      peerPodConfig: {
        groupVersionKind: { group: 'confidentialcontainers.org', version: 'v1alpha1', kind: 'PeerPodConfig' },
        name: 'peerpodconfig-openshift',
        namespace: 'openshift-sandboxed-containers-operator',
        isList: false,
      },
    });
  });

  it('is loading until the PeerPodConfig has loaded', () => {
    expect(
      peerPodsHealth({ peerPodConfig: { data: undefined as never, loaded: false, loadError: undefined } }),
    ).toEqual({
      state: 'LOADING',
    });
  });

  it('is healthy with the limit per node, translated in the plugin namespace', () => {
    expect(peerPodsHealth(loaded(config('10')), consoleT)).toEqual({
      state: 'OK',
      message: 'plugin__peer-pods-console-plugin~{{limit}} VMs per node {"limit":10}',
    });
  });

  it('fills in the limit itself when the console passes no t', () => {
    expect(peerPodsHealth(loaded(config('0')))).toEqual({ state: 'OK', message: '0 VMs per node' });
  });

  it.each([['ten'], ['-1'], ['2.5'], [' 10'], [undefined]])('is an error when the limit is %j', (limit) => {
    expect(peerPodsHealth(loaded(config(limit)))).toEqual({
      state: 'ERROR',
      message: 'The VM limit is not a whole number',
    });
  });

  it('is not available, calmly, without a PeerPodConfig, without access, or on another error', () => {
    expect(peerPodsHealth(failed(httpError(404, 'not found')))).toEqual({
      state: 'NOT_AVAILABLE',
      message: 'No PeerPodConfig',
    });
    expect(peerPodsHealth(failed(httpError(403, 'forbidden')))).toEqual({
      state: 'NOT_AVAILABLE',
      message: 'Not visible to you',
    });
    expect(peerPodsHealth(failed(new Error('network')))).toEqual({
      state: 'NOT_AVAILABLE',
      message: 'Could not be read',
    });
  });
});
