import { renderHook } from '@testing-library/react';

import { consoleFetchJSON, httpError } from '../test/sdk-mock';
import { node, peerPodConfig } from '../test/fixtures';
import { usePeerPodLimitActions } from './usePeerPodLimitActions';

const BACKEND = '/api/proxy/plugin/peer-pods-console-plugin/backend/api/v1';

describe('limit writes through the backend', () => {
  it('puts the new limit of the PeerPodConfig', async () => {
    const answer = { target: 'ns/config', old: '10', new: '7', event: { namespace: 'ns', name: 'config.1' } };
    consoleFetchJSON.put.mockResolvedValue(answer);
    const { result } = renderHook(() => usePeerPodLimitActions());
    const config = peerPodConfig({ limit: '10' });

    await expect(result.current.setLimit(config, 7)).resolves.toEqual(answer);

    const { namespace, name } = config.metadata!;
    expect(consoleFetchJSON.put).toHaveBeenCalledWith(`${BACKEND}/configs/${namespace}/${name}/limit`, { limit: 7 });
  });

  it('asks the backend to keep PEERPODS_LIMIT_PER_NODE in step only when told to', async () => {
    consoleFetchJSON.put.mockResolvedValue({ target: 'ns/config', old: '10', new: '7', event: null });
    const { result } = renderHook(() => usePeerPodLimitActions());
    const config = peerPodConfig({ limit: '10' });

    await result.current.setLimit(config, 7, { syncConfigMap: true });
    await result.current.setLimit(config, 7, { syncConfigMap: false });

    expect(consoleFetchJSON.put.mock.calls.map(([, body]) => body)).toEqual([
      { limit: 7, syncConfigMap: true },
      { limit: 7 },
    ]);
  });

  it('puts a node override, and null to remove it', async () => {
    consoleFetchJSON.put.mockResolvedValue({ target: 'worker-a', old: null, new: '3', event: null });
    const { result } = renderHook(() => usePeerPodLimitActions());

    await result.current.setNodeOverride(node('worker-a'), 3);
    await result.current.setNodeOverride(node('worker-a'), null);

    expect(consoleFetchJSON.put.mock.calls).toEqual([
      [`${BACKEND}/nodes/worker-a/override`, { override: 3 }],
      [`${BACKEND}/nodes/worker-a/override`, { override: null }],
    ]);
  });

  it("passes the API server's refusal on as it came", async () => {
    const refusal = httpError(403, 'nodes "worker-a" is forbidden: User "dev" cannot patch resource "nodes"');
    consoleFetchJSON.put.mockRejectedValue(refusal);
    const { result } = renderHook(() => usePeerPodLimitActions());

    await expect(result.current.setNodeOverride(node('worker-a'), 3)).rejects.toBe(refusal);
  });
});
