import { describe, expect, it } from 'vitest';
import { checkRuntimeClass } from './runtime-class.ts';

const nodeSelector = { 'node-role.kubernetes.io/kata-oc': '' };

describe('checkRuntimeClass', () => {
  it('passes with a pod overhead', () => {
    const result = checkRuntimeClass({
      name: 'kata-remote',
      runtimeClass: { handler: 'kata-remote', overhead: { podFixed: { cpu: '250m', memory: '350Mi' } } },
      nodeSelector,
    });
    expect(result).toMatchObject({
      status: 'pass',
      found: { message: 'RuntimeClass kata-remote: handler kata-remote, pod overhead cpu 250m, memory 350Mi.' },
    });
  });

  it('warns without a pod overhead, with the patch that adds the upstream one', () => {
    expect(checkRuntimeClass({ name: 'kata-remote', runtimeClass: { handler: 'kata-remote' }, nodeSelector })).toEqual({
      status: 'warning',
      found: expect.objectContaining({ key: 'runtimeClassNoOverhead' }),
      fix: {
        kind: 'command',
        command: `oc patch runtimeclass kata-remote --type merge -p '{"overhead":{"podFixed":{"cpu":"250m","memory":"350Mi"}}}'`,
      },
    });
  });

  it('fails when the RuntimeClass does not exist, with a command that creates it', () => {
    const result = checkRuntimeClass({ name: 'kata-remote', runtimeClass: undefined, nodeSelector });
    expect(result).toMatchObject({ status: 'fail', found: { message: 'There is no RuntimeClass kata-remote.' } });
    expect((result.fix as { command: string }).command).toBe(
      [
        "oc apply -f - <<'EOF'",
        'apiVersion: node.k8s.io/v1',
        'kind: RuntimeClass',
        'metadata:',
        '  name: kata-remote',
        'handler: kata-remote',
        'overhead:',
        '  podFixed:',
        '    cpu: "250m"',
        '    memory: "350Mi"',
        'scheduling:',
        '  nodeSelector:',
        '    node-role.kubernetes.io/kata-oc: ""',
        'EOF',
      ].join('\n'),
    );
  });
});
