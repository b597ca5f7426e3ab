// AdmissionReview (admission.k8s.io/v1) in and out, without HTTP: the raw request body becomes
// either an AdmissionReview response body or a bad-request message. The server wraps this.
//
// Strict where a wrong answer would hurt (envelope, uid, the object being a Pod), lenient inside
// `request`, where newer API servers may add fields and a strict webhook would break admission.

import { isPeerPod, mutatePod, type MutationOptions, type PodJson, type PodSizing } from './mutate.ts';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
/** upstream's path, kept so existing configurations keep working */
export const MUTATE_PATH = '/mutate-v1-pod';
const KNOWN_TOP_LEVEL_FIELDS = new Set(['apiVersion', 'kind', 'request', 'response']);

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

/** An AdmissionReview v1 answering the request `uid`. */
function responseBody(response: { uid: string; allowed: boolean; [field: string]: unknown }): string {
  return JSON.stringify({ apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response });
}

function allowedBody(uid: string, warnings?: string[]): string {
  return responseBody(warnings ? { uid, allowed: true, warnings } : { uid, allowed: true });
}

function patchedBody(uid: string, patchJson: string): string {
  const patch = Buffer.from(patchJson, 'utf8').toString('base64');
  return responseBody({ uid, allowed: true, patchType: 'JSONPatch', patch });
}

function deniedBody(uid: string, message: string): string {
  const status = { metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 };
  return responseBody({ uid, allowed: false, status });
}

function badRequest(message: string): ReviewResult {
  return { httpStatus: 400, message, outcome: 'bad-request' };
}

/** Parses and answers one AdmissionReview, as received (UTF-8 bytes) or as text. Never throws for any input. */
export function reviewAdmission(body: Buffer | string, options: ReviewOptions): ReviewResult {
  let review: unknown;
  try {
    // JSON.parse makes a "__proto__" key an own property; nothing below looks a field up with `in`.
    review = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return badRequest(`the body is not valid JSON (${reason.length > 120 ? `${reason.slice(0, 120)}…` : reason})`);
  }
  const request = admissionRequest(review);
  return typeof request === 'string' ? badRequest(request) : answer(request, options);
}

/** What the answer depends on, read from a valid AdmissionReview's request. */
interface AdmissionRequest {
  uid: string;
  namespace: string;
  /** the pod's name, or generateName for pods named by the API server */
  podName: string;
  operation: string;
  subResource: unknown;
  pod: PodJson;
}

/** The request of a valid AdmissionReview for a Pod, or what is wrong with the review. */
function admissionRequest(review: unknown): AdmissionRequest | string {
  if (!isPlainObject(review)) return 'the body must be a JSON object (an AdmissionReview)';
  const unknownField = Object.keys(review).find((field) => !KNOWN_TOP_LEVEL_FIELDS.has(field));
  if (unknownField !== undefined) {
    return `unknown field ${quoted(unknownField)} in the AdmissionReview (expected apiVersion, kind, request)`;
  }
  if (review.apiVersion !== ADMISSION_API_VERSION) {
    return `apiVersion must be "${ADMISSION_API_VERSION}", got ${quoted(review.apiVersion)}; set admissionReviewVersions: [v1]`;
  }
  if (review.kind !== 'AdmissionReview') return `kind must be "AdmissionReview", got ${quoted(review.kind)}`;
  const request = review.request;
  if (!isPlainObject(request)) return 'request is missing or not an object';
  const uid = request.uid;
  if (typeof uid !== 'string' || uid.length === 0) return `request.uid must be a non-empty string, got ${quoted(uid)}`;

  const kind = request.kind;
  if (!isPlainObject(kind) || kind.group !== '' || kind.version !== 'v1' || kind.kind !== 'Pod') {
    return `request.kind must be {group: "", version: "v1", kind: "Pod"}, got ${quoted(kind)}`;
  }
  const pod = request.object;
  if (!isPlainObject(pod)) return `request.object must be a Pod object, got ${quoted(pod)}`;
  if (pod.kind !== undefined && pod.kind !== 'Pod') return `request.object.kind must be "Pod", got ${quoted(pod.kind)}`;
  if (pod.apiVersion !== undefined && pod.apiVersion !== 'v1') {
    return `request.object.apiVersion must be "v1", got ${quoted(pod.apiVersion)}`;
  }
  const operation = request.operation;
  if (typeof operation !== 'string') return `request.operation must be a string, got ${quoted(operation)}`;
  const metadata = isPlainObject(pod.metadata) ? pod.metadata : undefined;
  return {
    uid,
    namespace: firstString(request.namespace, metadata?.namespace),
    podName: firstString(metadata?.name === '' ? undefined : metadata?.name, metadata?.generateName),
    operation,
    subResource: request.subResource,
    pod,
  };
}

/** The first of the values that is a string, else "". */
function firstString(...values: unknown[]): string {
  const found = values.find((value) => typeof value === 'string');
  return typeof found === 'string' ? found : '';
}

function answer(request: AdmissionRequest, options: ReviewOptions): ReviewResult {
  const { uid, namespace, podName, pod } = request;
  const allowed = (
    outcome: 'not-peer-pod' | 'excluded-namespace' | 'ignored-operation',
    warnings?: string[],
  ): ReviewResult => ({ httpStatus: 200, body: allowedBody(uid, warnings), outcome, uid, namespace, podName });
  // Only creation is ours: resources are immutable afterwards, and subresources (binding, eviction,
  // ephemeralcontainers) are not the pod spec being admitted.
  const subResource = request.subResource;
  if (request.operation !== 'CREATE' || (typeof subResource === 'string' && subResource !== '')) {
    return allowed('ignored-operation');
  }
  if (options.excludedNamespaces.matches(namespace)) {
    const warnings = isPeerPod(pod, options.targetRuntimeClass)
      ? [`peer pod in excluded namespace ${namespace}: not counted against ${options.extendedResource}`]
      : undefined;
    return allowed('excluded-namespace', warnings);
  }

  const result = mutatePod(pod, options);
  switch (result.outcome) {
    case 'not-peer-pod':
      return allowed('not-peer-pod');
    case 'unchanged':
      return {
        httpStatus: 200,
        body: allowedBody(uid),
        outcome: 'unchanged',
        uid,
        namespace,
        podName,
        sizing: result.sizing,
      };
    case 'mutated': {
      const body = patchedBody(uid, result.patchJson);
      return { httpStatus: 200, body, outcome: 'mutated', uid, namespace, podName, sizing: result.sizing };
    }
    case 'not-sizable': {
      const message = `cannot size the peer-pod VM: ${result.error.message}`;
      const body = deniedBody(uid, message);
      return { httpStatus: 200, body, outcome: 'rejected', uid, namespace, podName, message };
    }
    case 'invalid-pod':
      return badRequest(`request.object is not a valid Pod: ${result.error.message}`);
  }
}
