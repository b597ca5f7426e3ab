// The RuntimeClass of peer pods must exist, and carry a pod overhead: the overhead is what the
// scheduler charges the worker node for each peer pod's shim, tunnel and adaptor (SPEC: cpu 0.25,
// memory 350Mi upstream), since the pod's own resources are stripped and run in the VM.
import { command, fail, pass, shellQuoteJson, warning, type CheckOutcome } from '../outcome.ts';

export const UPSTREAM_POD_OVERHEAD: Readonly<Record<string, string>> = { cpu: '250m', memory: '350Mi' };

export interface RuntimeClassInput {
  name: string;
  /** The RuntimeClass; undefined when it does not exist. */
  runtimeClass: { handler?: string; overhead?: { podFixed?: Record<string, string> } } | undefined;
  /** Where peer pods may run (the PeerPodConfig's nodeSelector), for the command that creates it. */
  nodeSelector: Readonly<Record<string, string>>;
}

export function createRuntimeClassCommand(name: string, nodeSelector: Readonly<Record<string, string>>): string {
  const selector = Object.entries(nodeSelector).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`);
  return [
    `oc apply -f - <<'EOF'`,
    'apiVersion: node.k8s.io/v1',
    'kind: RuntimeClass',
    'metadata:',
    `  name: ${name}`,
    `handler: ${name}`,
    'overhead:',
    '  podFixed:',
    ...Object.entries(UPSTREAM_POD_OVERHEAD).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`),
    ...(selector.length > 0 ? ['scheduling:', '  nodeSelector:', ...selector] : []),
    'EOF',
  ].join('\n');
}

export function checkRuntimeClass(input: RuntimeClassInput): CheckOutcome {
  const { name, runtimeClass } = input;
  if (!runtimeClass)
    return fail('runtimeClassMissing', { name }, command(createRuntimeClassCommand(name, input.nodeSelector)));
  const overhead = runtimeClass.overhead?.podFixed ?? {};
  if (Object.keys(overhead).length === 0) {
    const patch = { overhead: { podFixed: UPSTREAM_POD_OVERHEAD } };
    return warning(
      'runtimeClassNoOverhead',
      { name },
      command(`oc patch runtimeclass ${name} --type merge -p ${shellQuoteJson(patch)}`),
    );
  }
  return pass('runtimeClassOk', {
    name,
    handler: runtimeClass.handler ?? '—',
    overhead: Object.entries(overhead)
      .map(([key, value]) => `${key} ${value}`)
      .join(', '),
  });
}
