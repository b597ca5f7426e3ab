import { describe, expect, it } from 'vitest';
import {
  allowNamespaceCommand,
  buildNamespacePolicy,
  buildNamespacePolicyBinding,
  isNamespaceAllowed,
  policyRuntimeClass,
} from './namespace-policy.ts';

describe('namespace policy builders', () => {
  it('guard pods of the target runtime class on CREATE only, and bind with Deny', () => {
    const policy = buildNamespacePolicy('kata-remote');
    expect(policy.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: 'Namespaced' },
    ]);
    expect(policy.spec.matchConditions[0]!.expression).toBe(
      "has(object.spec.runtimeClassName) && object.spec.runtimeClassName == 'kata-remote'",
    );
    expect(policyRuntimeClass(policy)).toBe('kata-remote');
    expect(buildNamespacePolicyBinding().spec).toEqual({
      policyName: 'peer-pods-allowed-namespaces',
      validationActions: ['Deny'],
    });
  });

  it('refuses a runtime class name that is not one (it would land inside CEL)', () => {
    expect(() => buildNamespacePolicy("x' || true || '")).toThrow(/^runtimeClass: .* is not a RuntimeClass name/);
  });

  it('allow only namespaces labelled peerpods.openshift.io/allowed=true', () => {
    expect(isNamespaceAllowed({ 'peerpods.openshift.io/allowed': 'true' })).toBe(true);
    expect(isNamespaceAllowed({ 'peerpods.openshift.io/allowed': 'yes' })).toBe(false);
    expect(isNamespaceAllowed(undefined)).toBe(false);
    expect(allowNamespaceCommand('shop')).toBe('oc label namespace shop peerpods.openshift.io/allowed=true');
  });
});
