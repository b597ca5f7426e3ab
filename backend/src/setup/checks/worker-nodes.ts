// Peer pods are scheduled only to nodes the PeerPodConfig's nodeSelector selects: at least one
// node must carry those labels.
import { command, fail, listOf, pass, selectorText, type CheckOutcome } from '../outcome.ts';

export interface NodeFacts {
  name: string;
  labels: Readonly<Record<string, string>>;
}

export interface WorkerNodesInput {
  nodes: readonly NodeFacts[];
  /** The PeerPodConfig's nodeSelector (the operator's default when it has none). */
  nodeSelector: Readonly<Record<string, string>>;
}

const WORKER_ROLE = 'node-role.kubernetes.io/worker';

function matches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

export function checkWorkerNodes(input: WorkerNodesInput): CheckOutcome {
  const selector = selectorText(input.nodeSelector);
  const matching = input.nodes
    .filter((node) => matches(input.nodeSelector, node.labels))
    .map((node) => node.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (matching.length > 0)
    return pass('workerNodesMatch', { selector, number: matching.length, nodes: listOf(matching) });
  // Name a real worker in the command when there is one; the admin picks which workers run peer pods.
  const worker = input.nodes.find((node) => WORKER_ROLE in node.labels)?.name ?? '<worker node>';
  const labels = Object.entries(input.nodeSelector)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return fail('workerNodesNone', { selector }, command(`oc label node ${worker} ${labels}`));
}
