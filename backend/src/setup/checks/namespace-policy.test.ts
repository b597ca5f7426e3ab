import { describe, expect, it } from 'vitest';
import { checkNamespacePolicy } from './namespace-policy.ts';

describe('checkNamespacePolicy', () => {
  it('passes when the policy and its binding are installed', () => {
    expect(checkNamespacePolicy({ policyExists: true, bindingExists: true })).toMatchObject({
      status: 'pass',
      found: {
        message:
          'The ValidatingAdmissionPolicy peer-pods-allowed-namespaces allows peer pods only in namespaces labelled peerpods.openshift.io/allowed=true.',
      },
    });
  });

  it('warns when it is not installed, or only half, offering to install it', () => {
    expect(checkNamespacePolicy({ policyExists: false, bindingExists: false })).toMatchObject({
      status: 'warning',
      found: { key: 'policyNotInstalled' },
      fix: { kind: 'action', action: 'install-policy' },
    });
    expect(checkNamespacePolicy({ policyExists: true, bindingExists: false }).found.key).toBe('policyIncomplete');
  });
});
