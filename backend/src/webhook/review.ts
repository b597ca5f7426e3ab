// AdmissionReview (admission.k8s.io/v1) in and out, without HTTP: the raw request body becomes
// either an AdmissionReview response body or a bad-request message. The server wraps this.
//
// Strict where a wrong answer would hurt (envelope, uid, the object being a Pod), lenient inside
// `request`, where newer API servers may add fields and a strict webhook would break admission.
//
// The body as bytes (the server's case) is read with parseLean(), which checks all of it but
// builds only REVIEW_SHAPE — the fields this file and mutate.ts read; a string, or a body
// parseLean leaves to it, goes through JSON.parse. Both give the same answer (review.test.ts and
// the robustness test compare them); a new field read here or in mutate.ts goes into REVIEW_SHAPE.

import { isPeerPod, mutatePod, type MutationOptions, type PodJson, type PodSizing } from './mutate.ts';
import { LEAN_FALLBACK, WHOLE, arrayOf, objectShape, parseLean } from './lean-json.ts';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
/** upstream's path, kept so existing configurations keep working */
export const MUTATE_PATH = '/mutate-v1-pod';
const KNOWN_TOP_LEVEL_FIELDS = new Set(['apiVersion', 'kind', 'request', 'response']);

/** Everything reviewAdmission() and mutatePod() read; parseLean() builds only these fields. */
const CONTAINER_SHAPE = objectShape({ name: WHOLE, resources: WHOLE });
export const REVIEW_SHAPE = objectShape(
  {
    request: objectShape({
      uid: WHOLE,
      kind: WHOLE,
      namespace: WHOLE,
      operation: WHOLE,
      subResource: WHOLE,
      object: objectShape({
        apiVersion: WHOLE,
        kind: WHOLE,
        metadata: objectShape({ name: WHOLE, generateName: WHOLE, namespace: WHOLE, annotations: WHOLE }),
        spec: objectShape({
          runtimeClassName: WHOLE,
          containers: arrayOf(CONTAINER_SHAPE),
          initContainers: arrayOf(CONTAINER_SHAPE),
          resources: WHOLE,
        }),
      }),
    }),
  },
  // Every top-level field is built: unknown ones are refused by name.
  WHOLE,
);

/** Every way an admission request can end; used as the metrics label. */
export type AdmissionOutcome =
  'mutated' | 'unchanged' | 'not-peer-pod' | 'excluded-namespace' | 'ignored-operation' | 'rejected' | 'bad-request';

export interface ReviewOptions extends MutationOptions {
  excludedNamespaces: NamespaceMatcher;
}

export type ReviewResult =
  | {
      httpStatus: 200;
      /** the serialized AdmissionReview response */
      body: string;
      outcome: Exclude<AdmissionOutcome, 'bad-request'>;
      uid: string;
      namespace: string;
      /** the pod's name, or generateName for pods named by the API server */
      podName: string;
      sizing?: PodSizing;
      message?: string;
    }
  | { httpStatus: 400; message: string; outcome: 'bad-request' };

/** Matches namespace names against exact names and `prefix-*` patterns. */
export class NamespaceMatcher {
  private readonly exact: Set<string>;
  private readonly prefixes: string[];

  constructor(readonly patterns: readonly string[]) {
    this.exact = new Set(patterns.filter((pattern) => !pattern.endsWith('*')));
    this.prefixes = patterns.filter((pattern) => pattern.endsWith('*')).map((pattern) => pattern.slice(0, -1));
  }

  matches(namespace: string): boolean {
    if (this.exact.has(namespace)) return true;
    for (const prefix of this.prefixes) if (namespace.startsWith(prefix)) return true;
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a value for an error message; safe for any parsed JSON (deep, huge). */
function quoted(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  if (typeof value === 'object' && value !== null) {
    try {
      // Long strings are cut; a value nested too deep to serialize is named by its type.
      text = JSON.stringify(value, (_key, inner: unknown) =>
        typeof inner === 'string' && inner.length > 60 ? `${inner.slice(0, 60)}…` : inner,
      );
    } catch {
      text = Array.isArray(value) ? 'an array' : 'an object';
    }
  } else {
    text = JSON.stringify(value);
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

const RESPONSE_PREFIX = `{"apiVersion":"${ADMISSION_API_VERSION}","kind":"AdmissionReview","response":{"uid":`;
const ALLOWED_SUFFIX = ',"allowed":true}}';

function allowedBody(uidJson: string, warnings?: string[]): string {
  if (!warnings) return RESPONSE_PREFIX + uidJson + ALLOWED_SUFFIX;
  return `${RESPONSE_PREFIX}${uidJson},"allowed":true,"warnings":${JSON.stringify(warnings)}}}`;
}

/** The extended resource whose patches were last checked, and whether they are ASCII. */
let asciiPatches = { extendedResource: '', ascii: true };

function patchedBody(uidJson: string, patchJson: string, extendedResource: string): string {
  // A patch's text is ASCII but for the extended resource's name (a Kubernetes resource name, so
  // ASCII too — but it is configuration); btoa() encodes ASCII as UTF-8 would, at half the cost.
  if (asciiPatches.extendedResource !== extendedResource) {
    asciiPatches = { extendedResource, ascii: /^[\x20-\x7e]*$/.test(extendedResource) };
  }
  const encoded = asciiPatches.ascii ? btoa(patchJson) : Buffer.from(patchJson).toString('base64');
  return `${RESPONSE_PREFIX}${uidJson},"allowed":true,"patchType":"JSONPatch","patch":"${encoded}"}}`;
}

function deniedBody(uidJson: string, message: string): string {
  const status = { metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 };
  return `${RESPONSE_PREFIX}${uidJson},"allowed":false,"status":${JSON.stringify(status)}}}`;
}

function allowedResult(
  outcome: 'not-peer-pod' | 'excluded-namespace' | 'ignored-operation',
  uidJson: string,
  uid: string,
  namespace: string,
  podName: string,
  warnings?: string[],
): ReviewResult {
  return { httpStatus: 200, body: allowedBody(uidJson, warnings), outcome, uid, namespace, podName };
}

function badRequest(message: string): ReviewResult {
  return { httpStatus: 400, message, outcome: 'bad-request' };
}

/**
 * Parses and answers one AdmissionReview: a UTF-8 body as received (read lean), or its text
 * (read with JSON.parse). Never throws for any input.
 */
export function reviewAdmission(body: Buffer | string, options: ReviewOptions): ReviewResult {
  let review = typeof body === 'string' ? LEAN_FALLBACK : parseLean(body, REVIEW_SHAPE);
  if (review === LEAN_FALLBACK) {
    try {
      review = JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return badRequest(`the body is not valid JSON (${reason.length > 120 ? `${reason.slice(0, 120)}…` : reason})`);
    }
  }
  return reviewParsed(review, options);
}

/** Answers a parsed AdmissionReview (JSON.parse's value, or parseLean's restricted to REVIEW_SHAPE). */
export function reviewParsed(review: unknown, options: ReviewOptions): ReviewResult {
  if (!isPlainObject(review)) return badRequest('the body must be a JSON object (an AdmissionReview)');
  for (const field in review) {
    if (!KNOWN_TOP_LEVEL_FIELDS.has(field)) {
      return badRequest(`unknown field ${quoted(field)} in the AdmissionReview (expected apiVersion, kind, request)`);
    }
  }
  if (review.apiVersion !== ADMISSION_API_VERSION) {
    return badRequest(
      `apiVersion must be "${ADMISSION_API_VERSION}", got ${quoted(review.apiVersion)}; set admissionReviewVersions: [v1]`,
    );
  }
  if (review.kind !== 'AdmissionReview') {
    return badRequest(`kind must be "AdmissionReview", got ${quoted(review.kind)}`);
  }
  const request = review.request;
  if (!isPlainObject(request)) return badRequest('request is missing or not an object');
  const uid = request.uid;
  if (typeof uid !== 'string' || uid.length === 0) {
    return badRequest(`request.uid must be a non-empty string, got ${quoted(uid)}`);
  }

  const kind = request.kind;
  if (!isPlainObject(kind) || kind.group !== '' || kind.version !== 'v1' || kind.kind !== 'Pod') {
    return badRequest(`request.kind must be {group: "", version: "v1", kind: "Pod"}, got ${quoted(kind)}`);
  }
  const pod = request.object;
  if (!isPlainObject(pod)) return badRequest(`request.object must be a Pod object, got ${quoted(pod)}`);
  if (pod.kind !== undefined && pod.kind !== 'Pod') {
    return badRequest(`request.object.kind must be "Pod", got ${quoted(pod.kind)}`);
  }
  if (pod.apiVersion !== undefined && pod.apiVersion !== 'v1') {
    return badRequest(`request.object.apiVersion must be "v1", got ${quoted(pod.apiVersion)}`);
  }
  const metadata = isPlainObject(pod.metadata) ? pod.metadata : undefined;
  const namespace =
    typeof request.namespace === 'string'
      ? request.namespace
      : typeof metadata?.namespace === 'string'
        ? metadata.namespace
        : '';
  const podName =
    typeof metadata?.name === 'string' && metadata.name !== ''
      ? metadata.name
      : typeof metadata?.generateName === 'string'
        ? metadata.generateName
        : '';
  const uidJson = JSON.stringify(uid);

  const operation = request.operation;
  if (typeof operation !== 'string') return badRequest(`request.operation must be a string, got ${quoted(operation)}`);
  // Only creation is ours: resources are immutable afterwards, and subresources (binding, eviction,
  // ephemeralcontainers) are not the pod spec being admitted.
  const subResource = request.subResource;
  if (operation !== 'CREATE' || (typeof subResource === 'string' && subResource !== '')) {
    return allowedResult('ignored-operation', uidJson, uid, namespace, podName);
  }

  if (options.excludedNamespaces.matches(namespace)) {
    const warnings = isPeerPod(pod as PodJson, options.targetRuntimeClass)
      ? [`peer pod in excluded namespace ${namespace}: not counted against ${options.extendedResource}`]
      : undefined;
    return allowedResult('excluded-namespace', uidJson, uid, namespace, podName, warnings);
  }

  const result = mutatePod(pod as PodJson, options);
  switch (result.outcome) {
    case 'not-peer-pod':
      return allowedResult('not-peer-pod', uidJson, uid, namespace, podName);
    case 'unchanged':
      return {
        httpStatus: 200,
        body: allowedBody(uidJson),
        outcome: 'unchanged',
        uid,
        namespace,
        podName,
        sizing: result.sizing,
      };
    case 'mutated':
      return {
        httpStatus: 200,
        body: patchedBody(uidJson, result.patchJson, options.extendedResource),
        outcome: 'mutated',
        uid,
        namespace,
        podName,
        sizing: result.sizing,
      };
    case 'not-sizable': {
      const message = `cannot size the peer-pod VM: ${result.error.message}`;
      return {
        httpStatus: 200,
        body: deniedBody(uidJson, message),
        outcome: 'rejected',
        uid,
        namespace,
        podName,
        message,
      };
    }
    case 'invalid-pod':
      return badRequest(`request.object is not a valid Pod: ${result.error.message}`);
  }
}
