// The PeerPodConfig must exist and its spec.limit (a string, by the CRD) must be a non-negative
// whole number: otherwise no node gets a VM limit from it.
import { parseLimit } from '../../capacity/desired.ts';
import { action, command, fail, pass, type CheckOutcome } from '../outcome.ts';

export interface PeerPodConfigInput {
  ref: { namespace: string; name: string };
  /** The object's spec, or undefined when the PeerPodConfig does not exist. */
  spec: { limit?: unknown } | undefined;
}

/** The operator's default PeerPodConfig (SPEC), as a command that creates it. */
export function createPeerPodConfigCommand(ref: { namespace: string; name: string }): string {
  return [
    `oc apply -f - <<'EOF'`,
    'apiVersion: confidentialcontainers.org/v1alpha1',
    'kind: PeerPodConfig',
    'metadata:',
    `  name: ${ref.name}`,
    `  namespace: ${ref.namespace}`,
    'spec:',
    '  cloudSecretName: peer-pods-secret',
    '  configMapName: peer-pods-cm',
    '  limit: "10"',
    '  nodeSelector:',
    `    node-role.kubernetes.io/kata-oc: ""`,
    'EOF',
  ].join('\n');
}

export function checkPeerPodConfig(input: PeerPodConfigInput): CheckOutcome {
  const { ref, spec } = input;
  if (!spec) return fail('peerPodConfigMissing', { ...ref }, command(createPeerPodConfigCommand(ref)));
  const parsed = parseLimit(spec.limit);
  if (!parsed.ok) {
    const shown = typeof spec.limit === 'string' ? `"${spec.limit}"` : (JSON.stringify(spec.limit) ?? 'unset');
    return fail('peerPodConfigInvalidLimit', { name: ref.name, limit: shown }, action('edit-limit'));
  }
  return pass('peerPodConfigOk', { name: ref.name, limit: parsed.value });
}
