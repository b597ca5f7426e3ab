import { describe, expect, it } from 'vitest';
import { checkPeerPodConfig } from './peer-pod-config.ts';

const ref = { namespace: 'openshift-sandboxed-containers-operator', name: 'peerpodconfig-openshift' };

describe('checkPeerPodConfig', () => {
  it('passes with a whole-number limit', () => {
    expect(checkPeerPodConfig({ ref, spec: { limit: '10' } })).toMatchObject({
      status: 'pass',
      found: { message: 'PeerPodConfig peerpodconfig-openshift: up to 10 peer pod VMs per node.' },
    });
    expect(checkPeerPodConfig({ ref, spec: { limit: '0' } }).status).toBe('pass');
  });

  it.each([['-1'], ['2.5'], ['ten'], [10]])('fails on limit %j and offers the limit editor', (limit) => {
    const result = checkPeerPodConfig({ ref, spec: { limit } });
    expect(result).toMatchObject({ status: 'fail', found: { key: 'peerPodConfigInvalidLimit' } });
    expect(result.fix).toEqual({ kind: 'action', action: 'edit-limit' });
  });

  it('warns about PeerPodConfigs in other namespaces, which set no capacity, and shows how to remove them', () => {
    const result = checkPeerPodConfig({ ref, spec: { limit: '10' }, elsewhere: ['team-a/aaa', 'team-b/bbb'] });
    expect(result).toMatchObject({ status: 'warning', found: { key: 'peerPodConfigOthersIgnored' } });
    expect(result.found.message).toBe(
      'PeerPodConfig peerpodconfig-openshift: up to 10 peer pod VMs per node. PeerPodConfigs outside openshift-sandboxed-containers-operator set no VM limit and are ignored: team-a/aaa, team-b/bbb.',
    );
    expect(result.fix).toEqual({
      kind: 'command',
      command: 'oc delete peerpodconfig aaa -n team-a\noc delete peerpodconfig bbb -n team-b',
    });
  });

  it('fails when the PeerPodConfig does not exist, with a command that creates the default', () => {
    const result = checkPeerPodConfig({ ref, spec: undefined });
    expect(result.found.message).toBe(
      'There is no PeerPodConfig peerpodconfig-openshift in the namespace openshift-sandboxed-containers-operator.',
    );
    expect(result.fix).toMatchObject({ kind: 'command' });
    const yaml = (result.fix as { command: string }).command;
    expect(yaml).toMatch(/^oc apply -f - <<'EOF'\n/);
    expect(yaml).toContain('  limit: "10"');
    expect(yaml).toMatch(/\nEOF$/);
  });
});
