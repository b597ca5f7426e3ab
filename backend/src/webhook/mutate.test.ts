import jsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import {
  escapeJsonPointerToken,
  GPUS_ANNOTATION,
  MEMORY_ANNOTATION,
  mutatePod,
  VCPUS_ANNOTATION,
  type ContainerJson,
  type MutationOptions,
  type PodJson,
} from './mutate.ts';

const options: MutationOptions = { targetRuntimeClass: 'kata-remote', extendedResource: 'kata.peerpods.io/vm' };
const VM = { requests: { 'kata.peerpods.io/vm': '1' }, limits: { 'kata.peerpods.io/vm': '1' } };

type Resources = ContainerJson['resources'];

function container(name: string, resources?: Resources): ContainerJson {
  return resources === undefined ? { name, image: 'busybox' } : { name, image: 'busybox', resources };
}

function pod(
  containers: ContainerJson[],
  extra: {
    initContainers?: ContainerJson[];
    annotations?: Record<string, string>;
    runtimeClassName?: string | null;
  } = {},
): PodJson {
  const spec: NonNullable<PodJson['spec']> = { containers };
  if (extra.runtimeClassName !== null) spec.runtimeClassName = extra.runtimeClassName ?? 'kata-remote';
  if (extra.initContainers) spec.initContainers = extra.initContainers;
  const metadata: NonNullable<PodJson['metadata']> = { name: 'web', namespace: 'team-a' };
  if (extra.annotations) metadata.annotations = extra.annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

/** Runs the mutation and applies its patch with a real RFC 6902 implementation. */
function mutated(input: PodJson): { pod: PodJson; outcome: string } {
  const result = mutatePod(input, options);
  if (!('patch' in result)) throw new Error(`expected a patch, got ${result.outcome}: ${result.error.message}`);
  // The text the webhook sends is the patch, exactly, and ASCII (review.ts base64-encodes it).
  if (result.outcome === 'mutated') {
    expect(result.patchJson).toBe(JSON.stringify(result.patch));
    expect(result.patchJson).toMatch(/^[\x20-\x7e]*$/);
  }
  const copy = jsonPatch.deepClone(input) as PodJson;
  const applied = jsonPatch.applyPatch(copy, jsonPatch.deepClone(result.patch), true, true).newDocument as PodJson;
  return { pod: applied, outcome: result.outcome };
}

function annotationsOf(p: PodJson): Record<string, unknown> | null | undefined {
  return p.metadata?.annotations;
}

function resourcesOf(p: PodJson, list: 'containers' | 'initContainers' = 'containers'): unknown[] {
  return (p.spec?.[list] ?? []).map((c) => c.resources);
}

describe('mutatePod sizes the VM and strips the resources (table)', () => {
  interface Case {
    name: string;
    containers: ContainerJson[];
    initContainers?: ContainerJson[];
    annotations: Record<string, string> | undefined;
  }
  const cases: Case[] = [
    {
      name: 'cpu and memory requests and limits: limits win when limit >= request',
      containers: [container('app', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } })],
      annotations: { [VCPUS_ANNOTATION]: '2', [MEMORY_ANNOTATION]: '2048' },
    },
    {
      name: 'requests only',
      containers: [container('app', { requests: { cpu: '1500m', memory: '512Mi' } })],
      annotations: { [VCPUS_ANNOTATION]: '2', [MEMORY_ANNOTATION]: '512' },
    },
    {
      name: 'limits only (the API server would default requests to them)',
      containers: [container('app', { limits: { cpu: '3', memory: '3Gi' } })],
      annotations: { [VCPUS_ANNOTATION]: '3', [MEMORY_ANNOTATION]: '3072' },
    },
    {
      name: 'GPU',
      containers: [
        container('trainer', {
          requests: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' },
          limits: { 'nvidia.com/gpu': '1' },
        }),
      ],
      annotations: { [VCPUS_ANNOTATION]: '4', [MEMORY_ANNOTATION]: '16384', [GPUS_ANNOTATION]: '1' },
    },
    {
      name: 'no resources: no annotations',
      containers: [container('app')],
      annotations: undefined,
    },
    {
      name: 'init containers summed in',
      containers: [container('app', { requests: { cpu: '1', memory: '256Mi' } })],
      initContainers: [container('setup', { requests: { cpu: '2', memory: '128Mi' } })],
      annotations: { [VCPUS_ANNOTATION]: '3', [MEMORY_ANNOTATION]: '384' },
    },
    {
      name: 'fractional cpu rounded up to whole vCPUs',
      containers: [container('a', { requests: { cpu: '250m' } }), container('b', { requests: { cpu: '0.3' } })],
      annotations: { [VCPUS_ANNOTATION]: '1' },
    },
    {
      name: 'memory rounded up to MiB',
      containers: [container('app', { requests: { memory: '129e6' } })],
      annotations: { [MEMORY_ANNOTATION]: '124' },
    },
    {
      name: 'memory in decimal units rounded up to MiB',
      containers: [container('app', { requests: { memory: '1G' } }), container('log', { requests: { memory: '1Mi' } })],
      annotations: { [MEMORY_ANNOTATION]: '955' }, // 1000000000 + 1048576 bytes = 954.7 MiB
    },
    {
      name: 'several containers: sums of limits against sums of requests',
      containers: [
        container('web', { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } }),
        container('proxy', { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '64Mi' } }),
        container('log', { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '100m', memory: '32Mi' } }),
      ],
      annotations: { [VCPUS_ANNOTATION]: '2', [MEMORY_ANNOTATION]: '352' },
    },
    {
      name: 'limit sum below request sum: requests win',
      containers: [
        container('a', { requests: { cpu: '1' }, limits: { cpu: '2' } }),
        container('b', { requests: { cpu: '3' } }),
      ],
      annotations: { [VCPUS_ANNOTATION]: '4' },
    },
    {
      name: 'zero requests: no annotation for that resource',
      containers: [container('app', { requests: { cpu: '0', memory: '64Mi' } })],
      annotations: { [MEMORY_ANNOTATION]: '64' },
    },
  ];

  it.each(cases)('$name', ({ containers, initContainers, annotations }) => {
    const input = pod(containers, initContainers ? { initContainers } : {});
    const { pod: output, outcome } = mutated(input);
    expect(outcome).toBe('mutated');
    expect(annotationsOf(output)).toEqual(annotations);
    expect(resourcesOf(output)).toEqual(
      containers.map((c, index) => (index === 0 ? VM : c.resources === undefined ? undefined : {})),
    );
    expect(resourcesOf(output, 'initContainers')).toEqual((initContainers ?? []).map(() => ({})));
    // Everything but resources and annotations is left as it was.
    expect(output.spec?.containers?.map((c) => [c.name, c.image])).toEqual(containers.map((c) => [c.name, c.image]));
    expect(output.metadata?.name).toBe('web');
  });
});

describe('mutatePod leaves pods that are not peer pods alone', () => {
  it('other runtime class: no patch', () => {
    const input = pod([container('app', { requests: { cpu: '1' } })], { runtimeClassName: 'kata' });
    expect(mutatePod(input, options)).toEqual({ outcome: 'not-peer-pod', patch: [] });
  });

  it('no runtime class: no patch', () => {
    const input = pod([container('app', { requests: { cpu: '1' } })], { runtimeClassName: null });
    expect(mutatePod(input, options)).toEqual({ outcome: 'not-peer-pod', patch: [] });
  });

  it('null runtime class: no patch', () => {
    const input = pod([container('app')], { runtimeClassName: null });
    input.spec!.runtimeClassName = null;
    expect(mutatePod(input, options).outcome).toBe('not-peer-pod');
  });

  it('honours a configured runtime class and extended resource', () => {
    const input = pod([container('app', { requests: { cpu: '1' } })], { runtimeClassName: 'kata-remote-cc' });
    const result = mutatePod(input, { targetRuntimeClass: 'kata-remote-cc', extendedResource: 'example.com/podvm' });
    expect(result.outcome).toBe('mutated');
    const output = jsonPatch.applyPatch(input, 'patch' in result ? result.patch : [], true, false)
      .newDocument as PodJson;
    expect(output.spec?.containers?.[0]?.resources).toEqual({
      requests: { 'example.com/podvm': '1' },
      limits: { 'example.com/podvm': '1' },
    });
  });
});

describe('mutatePod patchJson', () => {
  it.each(['kata.peerpods.io/vm', 'example.com/pod"vm\\', 'example.com/vm-é'])(
    'is JSON.stringify(patch), whatever the extended resource (%s)',
    (extendedResource) => {
      for (const annotations of [undefined, { team: 'a' }]) {
        const input = pod([container('app', { requests: { cpu: '1', memory: '1Gi' } }), container('b', {})], {
          annotations,
          initContainers: [container('init', { limits: { 'nvidia.com/gpu': '1' } })],
        });
        const result = mutatePod(input, { targetRuntimeClass: 'kata-remote', extendedResource });
        if (result.outcome !== 'mutated') throw new Error(`expected a patch, got ${result.outcome}`);
        expect(result.patchJson).toBe(JSON.stringify(result.patch));
      }
    },
  );
});

describe('mutatePod is idempotent', () => {
  it('already mutated (first container holds exactly the VM resource, nothing else has resources): no patch', () => {
    const input = pod([container('app', VM), container('sidecar', {}), container('log')], {
      initContainers: [container('setup', {})],
      annotations: { [VCPUS_ANNOTATION]: '2', [MEMORY_ANNOTATION]: '2048' },
    });
    expect(mutatePod(input, options)).toEqual({
      outcome: 'unchanged',
      patch: [],
      sizing: { vcpus: 0n, memoryMiB: 0n, gpus: 0n },
    });
  });

  it('the VM resource in the canonical form "1000m" also counts as already mutated', () => {
    const input = pod([
      container('app', { requests: { 'kata.peerpods.io/vm': '1000m' }, limits: { 'kata.peerpods.io/vm': '1' } }),
    ]);
    expect(mutatePod(input, options).outcome).toBe('unchanged');
  });

  it('mutating the mutated pod again changes nothing (reinvocationPolicy: IfNeeded)', () => {
    const first = mutated(
      pod([container('app', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2' } }), container('b')], {
        initContainers: [container('init', { limits: { memory: '64Mi' } })],
      }),
    );
    expect(first.outcome).toBe('mutated');
    expect(mutatePod(first.pod, options)).toMatchObject({ outcome: 'unchanged', patch: [] });
  });

  it('a VM resource of 2 is not the mutated form: it is reset to 1', () => {
    const input = pod([
      container('app', { requests: { 'kata.peerpods.io/vm': '2' }, limits: { 'kata.peerpods.io/vm': '2' } }),
    ]);
    expect(mutated(input).pod.spec?.containers?.[0]?.resources).toEqual(VM);
  });

  it('the VM resource plus cpu on the first container is not the mutated form: cpu is stripped and sized', () => {
    const input = pod([
      container('app', { requests: { 'kata.peerpods.io/vm': '1', cpu: '2' }, limits: { 'kata.peerpods.io/vm': '1' } }),
    ]);
    const output = mutated(input).pod;
    expect(output.spec?.containers?.[0]?.resources).toEqual(VM);
    expect(annotationsOf(output)).toEqual({ [VCPUS_ANNOTATION]: '2' });
  });

  it('a resource added to another container after the first pass is stripped again, keeping the annotations', () => {
    const input = pod([container('app', VM), container('injected', { requests: { cpu: '100m' } })], {
      annotations: { [VCPUS_ANNOTATION]: '2' },
    });
    const output = mutated(input).pod;
    expect(resourcesOf(output)).toEqual([VM, {}]);
    expect(annotationsOf(output)).toEqual({ [VCPUS_ANNOTATION]: '2' });
  });
});

describe('mutatePod annotations', () => {
  it('never overwrites an annotation the user set, and still adds the others', () => {
    const input = pod([container('app', { requests: { cpu: '4', memory: '8Gi' } })], {
      annotations: { [VCPUS_ANNOTATION]: '1', team: 'a' },
    });
    expect(annotationsOf(mutated(input).pod)).toEqual({
      [VCPUS_ANNOTATION]: '1',
      [MEMORY_ANNOTATION]: '8192',
      team: 'a',
    });
  });

  it('keeps a user-set annotation even when it is empty', () => {
    const input = pod([container('app', { requests: { memory: '1Gi' } })], {
      annotations: { [MEMORY_ANNOTATION]: '' },
    });
    expect(annotationsOf(mutated(input).pod)).toEqual({ [MEMORY_ANNOTATION]: '' });
  });

  it('adds the annotations object when the pod has none', () => {
    const input = pod([container('app', { requests: { cpu: '1' } })]);
    expect(input.metadata).not.toHaveProperty('annotations');
    const result = mutatePod(input, options);
    expect('patch' in result && result.patch).toContainEqual({
      op: 'add',
      path: '/metadata/annotations',
      value: { [VCPUS_ANNOTATION]: '1' },
    });
  });

  it('replaces a null annotations object', () => {
    const input = pod([container('app', { requests: { cpu: '1' } })]);
    input.metadata!.annotations = null;
    expect(annotationsOf(mutated(input).pod)).toEqual({ [VCPUS_ANNOTATION]: '1' });
  });

  it('adds metadata when the object has none', () => {
    const input: PodJson = {
      spec: { runtimeClassName: 'kata-remote', containers: [container('app', { requests: { cpu: '1' } })] },
    };
    expect(mutated(input).pod.metadata).toEqual({ annotations: { [VCPUS_ANNOTATION]: '1' } });
  });

  it('adds each annotation under an escaped JSON Pointer when annotations exist', () => {
    const input = pod([container('app', { requests: { cpu: '1' } })], { annotations: { 'example.com/owner': 'x' } });
    const result = mutatePod(input, options);
    expect('patch' in result && result.patch).toContainEqual({
      op: 'add',
      path: `/metadata/annotations/${VCPUS_ANNOTATION}`,
      value: '1',
    });
    expect(annotationsOf(mutated(input).pod)).toEqual({ 'example.com/owner': 'x', [VCPUS_ANNOTATION]: '1' });
  });
});

describe('escapeJsonPointerToken', () => {
  it.each([
    ['kata.peerpods.io/vm', 'kata.peerpods.io~1vm'],
    ['a~b', 'a~0b'],
    ['~/', '~0~1'],
    ['a/~1', 'a~1~01'],
    ['plain', 'plain'],
  ])('%s → %s', (token, escaped) => {
    expect(escapeJsonPointerToken(token)).toBe(escaped);
    // The escaped token addresses exactly that key in a real JSON Patch implementation.
    const document = { map: { [token]: 'old' } };
    const result = jsonPatch.applyPatch(
      document,
      [{ op: 'replace', path: `/map/${escaped}`, value: 'new' }],
      true,
      false,
    );
    expect(result.newDocument).toEqual({ map: { [token]: 'new' } });
  });
});

describe('mutatePod strips every resource spec', () => {
  it('removes claims, unknown fields and extended resources, and leaves ephemeral containers alone', () => {
    const input = pod(
      [
        container('app', {
          requests: { cpu: '1', 'example.com/fpga': '1', 'ephemeral-storage': '1Gi' },
          limits: { 'hugepages-2Mi': '64Mi', cpu: '1' },
          claims: [{ name: 'gpu-claim' }],
        }),
        container('second', { claims: [{ name: 'other' }] }),
      ],
      { initContainers: [container('init', { limits: { cpu: '1' } }), container('init-bare')] },
    );
    input.spec!.ephemeralContainers = [{ name: 'debug', image: 'busybox', resources: { requests: { cpu: '1' } } }];
    const output = mutated(input).pod;
    expect(resourcesOf(output)).toEqual([VM, {}]);
    expect(resourcesOf(output, 'initContainers')).toEqual([{}, undefined]);
    expect(output.spec?.ephemeralContainers).toEqual([
      { name: 'debug', image: 'busybox', resources: { requests: { cpu: '1' } } },
    ]);
    expect(annotationsOf(output)).toEqual({ [VCPUS_ANNOTATION]: '2' });
  });

  it('adds resources to a first container that has none, and does not touch empty ones elsewhere', () => {
    const input = pod([container('app'), container('b', {}), container('c', { requests: {} })]);
    const result = mutatePod(input, options);
    expect('patch' in result && result.patch).toEqual([{ op: 'add', path: '/spec/containers/0/resources', value: VM }]);
  });

  it('removes pod-level resources and sizes the VM from them', () => {
    const input = pod([container('app', { requests: { cpu: '100m' } })]);
    input.spec!.resources = { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '4' } };
    const output = mutated(input).pod;
    expect(output.spec).not.toHaveProperty('resources');
    expect(annotationsOf(output)).toEqual({ [VCPUS_ANNOTATION]: '4', [MEMORY_ANNOTATION]: '1024' });
  });
});

describe('mutatePod refuses a peer pod it cannot size, naming container and field', () => {
  it.each([
    {
      name: 'malformed quantity',
      containers: [container('app', { requests: { cpu: '1' } }), container('sidecar', { limits: { memory: '12XB' } })],
      message:
        'spec.containers[1] "sidecar": resources.limits.memory: "12XB" is not a valid quantity: unknown suffix "XB" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent like e6)',
    },
    {
      name: 'negative quantity',
      containers: [container('app', { requests: { cpu: '-1' } })],
      message: 'spec.containers[0] "app": resources.requests.cpu: must not be negative, got "-1"',
    },
    {
      name: 'quantity of the wrong type',
      containers: [container('app', { requests: { memory: { value: 1 } } })],
      message:
        'spec.containers[0] "app": resources.requests.memory: must be a quantity string such as "500m" or "1Gi", got an object',
    },
    {
      name: 'requests that are not a map',
      containers: [container('app', { requests: ['cpu'] as unknown as Record<string, unknown> })],
      message: 'spec.containers[0] "app": resources.requests: must be a map of resource name to quantity, got an array',
    },
  ])('$name', ({ containers, message }) => {
    const result = mutatePod(pod(containers), options);
    expect(result.outcome).toBe('not-sizable');
    expect('error' in result && result.error.message).toBe(message);
  });

  it('names init containers by their own list', () => {
    const result = mutatePod(
      pod([container('app')], { initContainers: [container('setup', { requests: { cpu: 'lots' } })] }),
      options,
    );
    expect('error' in result && result.error).toMatchObject({
      container: 'spec.initContainers[0] "setup"',
      field: 'resources.requests.cpu',
    });
  });

  it('reads a JSON number as a quantity, as the API server does', () => {
    const input = pod([
      container('app', { requests: { cpu: 2 as unknown as string, memory: 1048576 as unknown as string } }),
    ]);
    expect(annotationsOf(mutated(input).pod)).toEqual({ [VCPUS_ANNOTATION]: '2', [MEMORY_ANNOTATION]: '1' });
  });
});

describe('mutatePod reports an object that is not a Pod', () => {
  it.each([
    [{ spec: { runtimeClassName: 'kata-remote' } }, 'spec.containers is missing'],
    [{ spec: { runtimeClassName: 'kata-remote', containers: [] } }, 'spec.containers is empty'],
    [
      { spec: { runtimeClassName: 'kata-remote', containers: 'app' } },
      'spec.containers must be an array, got string "app"',
    ],
    [
      { spec: { runtimeClassName: 'kata-remote', containers: [null] } },
      'spec.containers[0] must be an object, got null',
    ],
    [{ spec: { runtimeClassName: 7, containers: [] } }, 'spec.runtimeClassName must be a string, got number 7'],
    [{ spec: [] }, 'spec must be an object, got an array'],
    [
      { metadata: { annotations: 'x' }, spec: { runtimeClassName: 'kata-remote', containers: [{}] } },
      'metadata.annotations must be a map of strings',
    ],
  ])('%j', (input, message) => {
    const result = mutatePod(input as unknown as PodJson, options);
    expect(result.outcome).toBe('invalid-pod');
    expect('error' in result && result.error.message).toContain(message);
  });
});
