import { describe, expect, it } from 'vitest';
import { adaptorLimitCommand, checkAdaptorLimit } from './adaptor-limit.ts';

const configMap = { namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-cm' };

describe('checkAdaptorLimit', () => {
  it('passes when PEERPODS_LIMIT_PER_NODE equals the PeerPodConfig limit', () => {
    expect(checkAdaptorLimit({ configMap, data: { PEERPODS_LIMIT_PER_NODE: '12' }, limit: '12' })).toMatchObject({
      status: 'pass',
      found: {
        key: 'adaptorLimitOk',
        message: 'PEERPODS_LIMIT_PER_NODE in the ConfigMap peer-pods-cm is 12, the same as the PeerPodConfig limit.',
      },
      fix: null,
    });
  });

  it('passes when the key is unset and the limit is the adaptor’s default 10', () => {
    expect(checkAdaptorLimit({ configMap, data: {}, limit: '10' })).toMatchObject({
      status: 'pass',
      found: { key: 'adaptorLimitUnsetOk', values: { value: 10 } },
    });
  });

  it('warns after the limit was edited without the key, and gives the command that sets it', () => {
    const outcome = checkAdaptorLimit({ configMap, data: { PEERPODS_LIMIT_PER_NODE: '10' }, limit: '4' });
    expect(outcome).toMatchObject({
      status: 'warning',
      found: { key: 'adaptorLimitDrift', values: { value: '10', limit: 4 } },
      fix: {
        kind: 'command',
        command: `oc patch configmap peer-pods-cm -n openshift-sandboxed-containers-operator --type merge -p '{"data":{"PEERPODS_LIMIT_PER_NODE":"4"}}'`,
      },
    });
    expect(outcome.found.message).toContain('but the PeerPodConfig limit is 4');
  });

  it('warns when the key is unset and the limit is not 10', () => {
    expect(checkAdaptorLimit({ configMap, data: { CLOUD_PROVIDER: 'aws' }, limit: '20' })).toMatchObject({
      status: 'warning',
      found: { key: 'adaptorLimitUnsetDrift', values: { value: 10, limit: 20 } },
      fix: { kind: 'command', command: adaptorLimitCommand(configMap, 20) },
    });
  });

  it('warns about a key that is not a number, naming what it holds', () => {
    expect(checkAdaptorLimit({ configMap, data: { PEERPODS_LIMIT_PER_NODE: 'ten' }, limit: '10' })).toMatchObject({
      status: 'warning',
      found: { key: 'adaptorLimitDrift', values: { value: 'ten', limit: 10 } },
    });
  });

  it('cannot compare without a valid limit: the limit editor is the fix', () => {
    expect(checkAdaptorLimit({ configMap, data: {}, limit: 'lots' })).toMatchObject({
      status: 'warning',
      found: { key: 'adaptorLimitNoConfigLimit' },
      fix: { kind: 'action', action: 'edit-limit' },
    });
  });

  it('throws (the runner says the check could not run) without the ConfigMap', () => {
    expect(() => checkAdaptorLimit({ configMap, data: undefined, limit: '10' })).toThrow(
      'there is no ConfigMap peer-pods-cm in the namespace openshift-sandboxed-containers-operator',
    );
  });
});
