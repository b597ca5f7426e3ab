// The PeerPodConfig must exist and its spec.limit (a string, by the CRD) must be a non-negative
// whole number: otherwise no node gets a VM limit from it.
import { parseLimit } from '../../capacity/desired.ts';
import { action, command, fail, pass, warning, type CheckOutcome } from '../outcome.ts';

export interface PeerPodConfigInput {
  ref: { namespace: string; name: string };
  /** The object's spec, or undefined when the PeerPodConfig does not exist. */
  spec: { limit?: unknown } | undefined;
  /**
   * PeerPodConfigs in other namespaces, as namespace/name. The product (like the operator) reads
   * only its own namespace's, so these set no capacity; an admin who made one should know.
   */
  elsewhere?: string[];
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
  const elsewhere = input.elsewhere ?? [];
  if (elsewhere.length > 0) {
    return warning(
      'peerPodConfigOthersIgnored',
      { name: ref.name, limit: parsed.value, namespace: ref.namespace, others: elsewhere.join(', ') },
      command(elsewhere.map((o) => `oc delete peerpodconfig ${o.split('/')[1]} -n ${o.split('/')[0]}`).join('\n')),
    );
  }
  return pass('peerPodConfigOk', { name: ref.name, limit: parsed.value });
}
