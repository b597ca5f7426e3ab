import { describe, expect, it } from 'vitest';
import { checkWorkerNodes } from './worker-nodes.ts';

const KATA = 'node-role.kubernetes.io/kata-oc';
const WORKER = 'node-role.kubernetes.io/worker';

describe('checkWorkerNodes', () => {
  it('passes and names the nodes the nodeSelector matches', () => {
    const result = checkWorkerNodes({
      nodeSelector: { [KATA]: '' },
      nodes: [
        { name: 'worker-10', labels: { [KATA]: '', [WORKER]: '' } },
        { name: 'worker-2', labels: { [KATA]: '', [WORKER]: '' } },
        { name: 'master-0', labels: { 'node-role.kubernetes.io/master': '' } },
      ],
    });
    expect(result.status).toBe('pass');
    expect(result.found.message).toBe(`Nodes that match the nodeSelector ${KATA}=: 2 (worker-2, worker-10).`);
  });

  it('fails when no node carries the labels, with the command that labels a worker', () => {
    const result = checkWorkerNodes({
      nodeSelector: { 'peer-pods': 'enabled' },
      nodes: [
        { name: 'master-0', labels: { 'node-role.kubernetes.io/master': '' } },
        { name: 'worker-0', labels: { [WORKER]: '' } },
      ],
    });
    expect(result).toEqual({
      status: 'fail',
      found: expect.objectContaining({ key: 'workerNodesNone', values: { selector: 'peer-pods=enabled' } }),
      fix: { kind: 'command', command: 'oc label node worker-0 peer-pods=enabled' },
    });
  });
});
