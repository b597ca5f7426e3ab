import { describe, expect, it } from 'vitest';
import { MEMORY_ANNOTATION, VCPUS_ANNOTATION } from './mutate.ts';
import { NamespaceMatcher, reviewAdmission, type ReviewOptions, type ReviewResult } from './review.ts';
import { admissionReview, container, openShiftPeerPod, peerPodWithSidecars } from './test/fixtures.ts';

const options: ReviewOptions = {
  targetRuntimeClass: 'kata-remote',
  extendedResource: 'kata.peerpods.io/vm',
  excludedNamespaces: new NamespaceMatcher(['kube-system', 'kube-node-lease', 'openshift-*']),
};

/** Reviews the body as the server does (bytes) and as text: one answer. */
function review(body: unknown): ReviewResult {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const result = reviewAdmission(Buffer.from(text), options);
  expect(result).toEqual(reviewAdmission(text, options));
  return result;
}

function responseOf(result: ReviewResult): Record<string, unknown> {
  if (result.httpStatus !== 200) throw new Error(`expected 200, got 400: ${result.message}`);
  const parsed = JSON.parse(result.body) as { apiVersion: string; kind: string; response: Record<string, unknown> };
  expect(parsed.apiVersion).toBe('admission.k8s.io/v1');
  expect(parsed.kind).toBe('AdmissionReview');
  return parsed.response;
}

function withRequest(change: (request: Record<string, unknown>) => void): Record<string, unknown> {
  const body = admissionReview(peerPodWithSidecars());
  change(body.request as Record<string, unknown>);
  return body;
}

describe('reviewAdmission answers', () => {
  it('a peer pod: allowed with a base64 JSONPatch, uid echoed', () => {
    const response = responseOf(review(admissionReview(peerPodWithSidecars(), { uid: 'abc-123' })));
    expect(response).toMatchObject({ uid: 'abc-123', allowed: true, patchType: 'JSONPatch' });
    const patch = JSON.parse(Buffer.from(response.patch as string, 'base64').toString('utf8')) as unknown[];
    // requests 1.85 cpu > limits 1.5 cpu → 2 vCPUs; limits 640Mi ≥ requests 480Mi → 640 MiB
    expect(patch).toContainEqual({ op: 'add', path: `/metadata/annotations/${VCPUS_ANNOTATION}`, value: '2' });
    expect(patch).toContainEqual({ op: 'add', path: `/metadata/annotations/${MEMORY_ANNOTATION}`, value: '640' });
  });

  it('the same pod as OpenShift admission leaves it (the benchmark pod): the same patch', () => {
    const admitted = responseOf(review(admissionReview(openShiftPeerPod(), { uid: 'same' })));
    const plain = responseOf(review(admissionReview(peerPodWithSidecars(), { uid: 'same' })));
    expect(admitted.patch).toBe(plain.patch);
  });

  it('encodes the patch as UTF-8 base64 whatever the extended resource', () => {
    for (const extendedResource of ['kata.peerpods.io/vm', 'example.com/vm-é']) {
      const result = reviewAdmission(Buffer.from(JSON.stringify(admissionReview(peerPodWithSidecars()))), {
        ...options,
        extendedResource,
      });
      const patch = JSON.parse(Buffer.from(responseOf(result).patch as string, 'base64').toString('utf8')) as unknown[];
      expect(patch[0]).toEqual({
        op: 'replace',
        path: '/spec/containers/0/resources',
        value: { requests: { [extendedResource]: '1' }, limits: { [extendedResource]: '1' } },
      });
    }
  });

  it('a pod of another runtime class: allowed without a patch', () => {
    const result = review(admissionReview(peerPodWithSidecars('runc')));
    expect(result.outcome).toBe('not-peer-pod');
    expect(responseOf(result)).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
  });

  it.each(['kube-system', 'kube-node-lease', 'openshift-monitoring', 'openshift-'])(
    'a peer pod in the excluded namespace %s: allowed without a patch, with a warning',
    (namespace) => {
      const result = review(admissionReview(peerPodWithSidecars(), { namespace }));
      expect(result.outcome).toBe('excluded-namespace');
      expect(responseOf(result)).toEqual({
        uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
        allowed: true,
        warnings: [`peer pod in excluded namespace ${namespace}: not counted against kata.peerpods.io/vm`],
      });
    },
  );

  it('a namespace that only resembles an excluded one is not excluded', () => {
    expect(review(admissionReview(peerPodWithSidecars(), { namespace: 'openshift' })).outcome).toBe('mutated');
    expect(review(admissionReview(peerPodWithSidecars(), { namespace: 'kube-system-2' })).outcome).toBe('mutated');
  });

  it('an operation other than CREATE: allowed without a patch', () => {
    const result = review(admissionReview(peerPodWithSidecars(), { operation: 'UPDATE' }));
    expect(result.outcome).toBe('ignored-operation');
    expect(responseOf(result)).not.toHaveProperty('patch');
  });

  it('a CREATE on a subresource: allowed without a patch', () => {
    const result = review(withRequest((request) => (request.subResource = 'binding')));
    expect(result.outcome).toBe('ignored-operation');
  });

  it('an already mutated pod: allowed without a patch', () => {
    const pod = {
      metadata: { name: 'p', namespace: 'shop' },
      spec: {
        runtimeClassName: 'kata-remote',
        containers: [
          container('a', { requests: { 'kata.peerpods.io/vm': '1' }, limits: { 'kata.peerpods.io/vm': '1' } }),
        ],
      },
    };
    const result = review(admissionReview(pod));
    expect(result.outcome).toBe('unchanged');
    expect(responseOf(result)).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
  });

  it('a peer pod that cannot be sized: allowed false, status 400, message naming container and field', () => {
    const pod = peerPodWithSidecars();
    pod.spec!.containers![1]!.resources = { limits: { memory: '12XB' } };
    const result = review(admissionReview(pod));
    expect(result.outcome).toBe('rejected');
    const response = responseOf(result);
    expect(response).toMatchObject({ allowed: false, status: { code: 400, reason: 'BadRequest', status: 'Failure' } });
    expect((response.status as { message: string }).message).toMatch(
      /^cannot size the peer-pod VM: spec\.containers\[1\] "proxy": resources\.limits\.memory: "12XB" is not a valid quantity/,
    );
  });

  it.each(['1constructor', '1__proto__', '1toString', '1hasOwnProperty', '1valueOf'])(
    'a quantity whose suffix names an Object.prototype member (%s), in requests or limits, is a 400 naming it',
    (quantity) => {
      for (const kind of ['requests', 'limits'] as const) {
        const pod = peerPodWithSidecars();
        pod.spec!.containers![0]!.resources = { [kind]: { cpu: quantity } };
        const result = review(admissionReview(pod));
        expect(result.outcome).toBe('rejected');
        const response = responseOf(result);
        expect(response).toMatchObject({ allowed: false, status: { code: 400, reason: 'BadRequest' } });
        expect((response.status as { message: string }).message).toContain(`resources.${kind}.cpu: "${quantity}"`);
      }
    },
  );

  it('echoes a uid that needs JSON escaping', () => {
    const uid = 'quote"back\\slash\u2028';
    expect(responseOf(review(admissionReview(peerPodWithSidecars(), { uid }))).uid).toBe(uid);
  });

  it('tolerates unknown fields inside request (newer API servers may add some)', () => {
    expect(review(withRequest((request) => (request.somethingNew = { x: 1 }))).outcome).toBe('mutated');
  });
});

describe('reviewAdmission refuses malformed reviews with a message naming the problem', () => {
  it.each<[string, unknown, string]>([
    ['non-JSON', 'not json {', 'the body is not valid JSON'],
    ['empty body', '', 'the body is not valid JSON'],
    ['a JSON array', '[]', 'the body must be a JSON object'],
    ['a JSON string', '"AdmissionReview"', 'the body must be a JSON object'],
    ['null', 'null', 'the body must be a JSON object'],
    [
      'wrong apiVersion',
      { ...admissionReview(peerPodWithSidecars()), apiVersion: 'admission.k8s.io/v1beta1' },
      'apiVersion must be "admission.k8s.io/v1", got "admission.k8s.io/v1beta1"',
    ],
    [
      'wrong kind',
      { ...admissionReview(peerPodWithSidecars()), kind: 'Pod' },
      'kind must be "AdmissionReview", got "Pod"',
    ],
    ['unknown top-level field', { ...admissionReview(peerPodWithSidecars()), extra: 1 }, 'unknown field "extra"'],
    ['no request', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, 'request is missing'],
    ['no request.uid', withRequest((r) => delete r.uid), 'request.uid must be a non-empty string, got nothing'],
    ['empty request.uid', withRequest((r) => (r.uid = '')), 'request.uid must be a non-empty string, got ""'],
    ['numeric request.uid', withRequest((r) => (r.uid = 42)), 'request.uid must be a non-empty string, got 42'],
    [
      'a Deployment',
      withRequest((r) => (r.kind = { group: 'apps', version: 'v1', kind: 'Deployment' })),
      'request.kind must be {group: "", version: "v1", kind: "Pod"}',
    ],
    ['no request.kind', withRequest((r) => delete r.kind), 'request.kind must be'],
    ['no object', withRequest((r) => delete r.object), 'request.object must be a Pod object, got nothing'],
    [
      'object of another kind',
      withRequest((r) => ((r.object as Record<string, unknown>).kind = 'Secret')),
      'request.object.kind must be "Pod", got "Secret"',
    ],
    [
      'object of another version',
      withRequest((r) => ((r.object as Record<string, unknown>).apiVersion = 'v2')),
      'request.object.apiVersion must be "v1"',
    ],
    ['no operation', withRequest((r) => delete r.operation), 'request.operation must be a string'],
    [
      'a peer pod without containers',
      withRequest((r) => ((r.object as { spec: Record<string, unknown> }).spec.containers = 'web')),
      'request.object is not a valid Pod: spec.containers must be an array',
    ],
  ])('%s', (_name, body, message) => {
    const result = review(body);
    expect(result.httpStatus).toBe(400);
    expect(result.httpStatus === 400 && result.message).toContain(message);
  });
});

describe('NamespaceMatcher', () => {
  it('matches exact names and prefix patterns only', () => {
    const matcher = new NamespaceMatcher(['kube-system', 'openshift-*', 'team-*']);
    expect(['kube-system', 'openshift-etcd', 'team-a'].map((ns) => matcher.matches(ns))).toEqual([true, true, true]);
    expect(['kube-public', 'openshift', 'my-team-a', ''].map((ns) => matcher.matches(ns))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
