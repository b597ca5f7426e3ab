import { describe, expect, it } from 'vitest';
import { checkUnaccountedPods } from './unaccounted-pods.ts';

describe('checkUnaccountedPods', () => {
  it('passes when every peer pod requests the resource', () => {
    expect(checkUnaccountedPods({ extendedResource: 'kata.peerpods.io/vm', unaccounted: [] }).status).toBe('pass');
  });

  it('warns and lists the unaccounted peer pods, pointing to the capacity page', () => {
    const result = checkUnaccountedPods({
      extendedResource: 'kata.peerpods.io/vm',
      unaccounted: [{ namespace: 'kube-system', name: 'sneaky' }],
    });
    expect(result).toMatchObject({
      status: 'warning',
      found: { values: { number: 1, pods: 'kube-system/sneaky' } },
      fix: { kind: 'action', action: 'open-capacity' },
    });
  });
});
