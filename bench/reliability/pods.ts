// Peer pods as users write them (before the webhook), in three shapes, and the check that a
// stored pod is exactly what one webhook pass makes of its shape.
import jsonPatch from 'fast-json-patch';
import {
  DEFAULT_EXTENDED_RESOURCE,
  DEFAULT_TARGET_RUNTIME_CLASS,
  mutatePod,
  type PodJson,
} from '../../backend/src/webhook/mutate.ts';

const IMAGE = 'registry.access.redhat.com/ubi9/ubi-minimal';
export const EXTENDED_RESOURCE = DEFAULT_EXTENDED_RESOURCE;

/** Three shapes: one container; containers, a sidecar and an init container; limits only with a GPU. */
export function userPeerPod(name: string, namespace: string, index: number): PodJson {
  const shape = index % 3;
  const containers =
    shape === 0
      ? [
          {
            name: 'app',
            image: IMAGE,
            resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
          },
        ]
      : shape === 1
        ? [
            {
              name: 'web',
              image: IMAGE,
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '750m', memory: '768Mi' } },
            },
            { name: 'proxy', image: IMAGE, resources: { requests: { cpu: '100m', memory: '64Mi' } } },
          ]
        : [{ name: 'train', image: IMAGE, resources: { limits: { cpu: '2', memory: '3Gi', 'nvidia.com/gpu': '1' } } }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'reliability', shape: String(shape) } },
    spec: {
      runtimeClassName: DEFAULT_TARGET_RUNTIME_CLASS,
      containers,
      ...(shape === 1
        ? {
            initContainers: [{ name: 'migrate', image: IMAGE, resources: { requests: { cpu: '1', memory: '128Mi' } } }],
          }
        : {}),
    },
  };
}

interface StoredContainer {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface StoredPod {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: {
    nodeName?: string;
    containers: StoredContainer[];
    initContainers?: StoredContainer[];
  };
}

const expectedByShape = new Map<number, PodJson>();

/** The pod as one webhook pass leaves it (the webhook's own pure function, applied here). */
function expectedFor(index: number): PodJson {
  const shape = index % 3;
  let expected = expectedByShape.get(shape);
  if (!expected) {
    const pod = userPeerPod('x', 'x', shape);
    const result = mutatePod(pod, {
      targetRuntimeClass: DEFAULT_TARGET_RUNTIME_CLASS,
      extendedResource: EXTENDED_RESOURCE,
    });
    if (result.outcome !== 'mutated') throw new Error(`shape ${shape} is not mutated: ${result.outcome}`);
    expected = jsonPatch.applyPatch(structuredClone(pod), result.patch as jsonPatch.Operation[]).newDocument;
    expectedByShape.set(shape, expected);
  }
  return expected;
}

const HYPERVISOR = 'io.katacontainers.config.hypervisor.';

/** What is wrong with a stored pod; empty when it is exactly one webhook pass over its shape. */
export function mutationProblems(pod: StoredPod, index: number): string[] {
  const expected = expectedFor(index);
  const problems: string[] = [];
  const vmRequests = (c: StoredContainer) =>
    Number(c.resources?.requests?.[EXTENDED_RESOURCE] ?? 0) + Number(c.resources?.limits?.[EXTENDED_RESOURCE] ?? 0);
  const [first, ...others] = pod.spec.containers;
  const firstResources = first?.resources ?? {};
  if (
    JSON.stringify(firstResources) !==
    JSON.stringify({ limits: { [EXTENDED_RESOURCE]: '1' }, requests: { [EXTENDED_RESOURCE]: '1' } })
  ) {
    problems.push(`first container resources ${JSON.stringify(firstResources)}`);
  }
  for (const c of [...others, ...(pod.spec.initContainers ?? [])]) {
    if (c.resources && Object.keys(c.resources).length > 0) {
      problems.push(`container ${c.name} kept resources ${JSON.stringify(c.resources)}`);
    }
    if (vmRequests(c) > 0) problems.push(`container ${c.name} asks for a VM too`);
  }
  const wanted = Object.entries(expected.metadata?.annotations ?? {}).filter(([k]) => k.startsWith(HYPERVISOR));
  const got = Object.entries(pod.metadata.annotations ?? {}).filter(([k]) => k.startsWith(HYPERVISOR));
  if (JSON.stringify(Object.fromEntries(wanted.sort())) !== JSON.stringify(Object.fromEntries(got.sort()))) {
    problems.push(
      `annotations ${JSON.stringify(Object.fromEntries(got))}, expected ${JSON.stringify(Object.fromEntries(wanted))}`,
    );
  }
  return problems;
}
