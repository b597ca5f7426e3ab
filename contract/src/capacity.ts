// The per-node VM limit as both sides know it: the objects, annotations and resource it lives in,
// and the rule a limit follows. The backend decides and advertises limits with these
// (backend/src/capacity/desired.ts); the plugin edits them. Browser-safe on purpose: no imports.

/** The node extended resource that counts peer-pod VMs (the backend's default; it can be configured there). */
export const DEFAULT_EXTENDED_RESOURCE = 'kata.peerpods.io/vm';

/** The RuntimeClass whose pods become peer pods (the backend's default; it can be configured there). */
export const DEFAULT_RUNTIME_CLASS = 'kata-remote';

/** The PeerPodConfig the OpenShift sandboxed containers operator creates; it wins when several select a node. */
export const DEFAULT_PEER_POD_CONFIG = {
  namespace: 'openshift-sandboxed-containers-operator',
  name: 'peerpodconfig-openshift',
} as const;

/** Node annotation that overrides the PeerPodConfig limit on one node (a non-negative whole number). */
export const VM_LIMIT_OVERRIDE_ANNOTATION = 'peerpods.openshift.io/vm-limit';

/**
 * Node annotation by which cloud-api-adaptor's DaemonSet (its pod uid) says it advertises the
 * node's capacity itself; the backend then never writes that node.
 */
export const CAA_OWNER_ANNOTATION = 'kata.peerpods.io/caa-owner';

/** A node's pod capacity (the kubelet's maxPods) on OpenShift unless a KubeletConfig raises it. */
export const OPENSHIFT_DEFAULT_MAX_PODS = 250;

/**
 * The largest limit or override: every peer pod is also a pod on its node, so a node runs no
 * more of them than its pod capacity (maxPods, OPENSHIFT_DEFAULT_MAX_PODS by default). Beyond that
 * a value is a typo, and advertising it would let the scheduler promise VMs no node can start.
 */
export const MAX_LIMIT = 1000;

/** The rule a limit breaks: each side words it for its readers (backend logs, plugin i18n keys). */
export type LimitProblem = 'empty' | 'negative' | 'not-whole' | 'not-a-number' | 'too-large';

export type LimitCheck = { ok: true; value: number } | { ok: false; problem: LimitProblem };

/**
 * The rule for a VM limit (PeerPodConfig spec.limit, a node's override annotation): a whole
 * number from 0 to MAX_LIMIT written in plain digits, leading zeros allowed. Anything else —
 * spaces, a sign, an exponent, a quantity suffix such as "1k" — is refused, with the rule it breaks.
 */
export function checkLimit(text: string): LimitCheck {
  if (text === '') return { ok: false, problem: 'empty' };
  if (!/^[0-9]+$/.test(text)) {
    const number = Number(text);
    if (!Number.isFinite(number)) return { ok: false, problem: 'not-a-number' };
    if (number < 0 || text.startsWith('-')) return { ok: false, problem: 'negative' };
    if (!Number.isInteger(number)) return { ok: false, problem: 'not-whole' };
    // "1e3", "+5", "0x10", " 10": whole numbers to Number(), but a limit takes plain digits.
    return { ok: false, problem: 'not-a-number' };
  }
  const value = Number(text);
  if (value > MAX_LIMIT) return { ok: false, problem: 'too-large' };
  return { ok: true, value };
}
