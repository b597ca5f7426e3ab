// Robustness: 10,000+ random and mutated AdmissionReview bodies against the real HTTPS server.
// Every answer must be a valid AdmissionReview echoing the uid we sent (with a patch that applies
// to the pod we sent and leaves it in a state the webhook no longer changes), or a 400 — or a 413
// for bodies we made oversize on purpose. Never a 500, never a dropped connection, and the server
// stays up. Each answer must also be, byte for byte, the one reviewAdmission() gives for the same
// text outside the server. A seeded PRNG makes
// every run send the same bodies; a failure names the seed and case.

import jsonPatch from 'fast-json-patch';
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXTENDED_RESOURCE, DEFAULT_TARGET_RUNTIME_CLASS, mutatePod, type PodJson } from './mutate.ts';
import { NamespaceMatcher, reviewAdmission } from './review.ts';
import { DEFAULT_EXCLUDED_NAMESPACES } from './server.ts';
import {
  admissionReview,
  container,
  peerPodWithSidecars,
  send,
  startTestWebhook,
  type TestWebhook,
} from './test/fixtures.ts';

const SEED = 0x5eed_9e11;
// 1,024 cases prove the behaviour in CI; bench/reliability/bad-input.ts runs 10,240 (the size that
// measures staying power belongs to the benchmark) through WEBHOOK_FUZZ_CASES.
const CASES = Number(process.env.WEBHOOK_FUZZ_CASES) || 1_024;
const MAX_BODY_BYTES = 256 * 1024;
const CONCURRENCY = 8;
const referenceOptions = {
  targetRuntimeClass: DEFAULT_TARGET_RUNTIME_CLASS,
  extendedResource: DEFAULT_EXTENDED_RESOURCE,
  excludedNamespaces: new NamespaceMatcher(DEFAULT_EXCLUDED_NAMESPACES),
};

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Case {
  kind: string;
  body: Buffer | string;
  /** we made it larger than the limit on purpose, so 413 is also a right answer */
  oversize: boolean;
}

const QUANTITY_NOISE = [
  '',
  '1',
  '-1',
  '0',
  '1e999',
  '1e-999',
  '9'.repeat(300),
  '1.5.5',
  'NaN',
  '∞',
  '1Ki ',
  '1Ei',
  '8Ei',
  '0x1',
  '1e3m',
  '.',
];
const VALUE_NOISE: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e308,
  2 ** 53 + 1,
  0.1,
  '',
  'x',
  '\u0000',
  '\ud800',
  '__proto__',
  [],
  {},
  [null],
  { __proto__: { polluted: true } } as unknown as Json,
  'A'.repeat(5000),
];

function generator(random: () => number) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

  function basePod(): PodJson {
    const roll = int(6);
    if (roll === 0) return peerPodWithSidecars('runc');
    const pod = peerPodWithSidecars();
    if (roll === 1) pod.metadata!.annotations = undefined;
    if (roll === 2) pod.spec!.containers = [container('only', { limits: { cpu: '250m', 'nvidia.com/gpu': '2' } })];
    return pod;
  }

  function baseReview(index: number): Record<string, Json> {
    const namespace = pick(['shop', 'shop', 'shop', 'kube-system', 'openshift-etcd', 'default']);
    return admissionReview(basePod(), {
      uid: `uid-${index}`,
      namespace,
      operation: pick(['CREATE', 'CREATE', 'CREATE', 'UPDATE']),
    }) as Record<string, Json>;
  }

  /** Every container (object, key) pair in the document, to choose one at random. */
  function slots(root: Json): { parent: Json[] | { [key: string]: Json }; key: string | number }[] {
    const found: { parent: Json[] | { [key: string]: Json }; key: string | number }[] = [];
    const stack: Json[] = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (Array.isArray(node)) {
        node.forEach((child, index) => {
          found.push({ parent: node, key: index });
          stack.push(child);
        });
      } else if (node !== null && typeof node === 'object') {
        for (const key of Object.keys(node)) {
          found.push({ parent: node, key });
          stack.push(node[key]!);
        }
      }
    }
    return found;
  }

  function set(slot: { parent: Json[] | { [key: string]: Json }; key: string | number }, value: Json): void {
    (slot.parent as Record<string | number, Json>)[slot.key] = value;
  }

  function deepNesting(depth: number): string {
    return pick([
      () => '['.repeat(depth) + ']'.repeat(depth),
      () => '{"a":'.repeat(depth) + 'null' + '}'.repeat(depth),
    ])();
  }

  function structural(review: Record<string, Json>): string {
    const all = slots(review);
    const times = 1 + int(3);
    for (let i = 0; i < times && all.length > 0; i++) {
      const slot = pick(all);
      const action = int(6);
      if (action === 0 && !Array.isArray(slot.parent)) delete (slot.parent as Record<string, Json>)[slot.key as string];
      else if (action === 1) set(slot, pick(VALUE_NOISE));
      else if (action === 2) set(slot, pick(QUANTITY_NOISE));
      else if (action === 3) set(slot, int(2) === 0 ? Number.MAX_SAFE_INTEGER * (1 + random()) : -int(1e9));
      else if (action === 4) set(slot, [(slot.parent as Record<string | number, Json>)[slot.key]!]);
      else set(slot, { wrapped: (slot.parent as Record<string | number, Json>)[slot.key]! });
    }
    return JSON.stringify(review);
  }

  function quantities(review: Record<string, Json>): string {
    const text = JSON.stringify(review);
    return text.replace(/"(\d+m?|\d+[MG]i)"/g, (match) =>
      random() < 0.3 ? JSON.stringify(pick(QUANTITY_NOISE)) : match,
    );
  }

  function textual(review: Record<string, Json>): string {
    const text = JSON.stringify(review);
    const action = int(5);
    if (action === 0) return text.slice(0, int(text.length));
    if (action === 1) {
      const chars = text.split('');
      for (let i = 0, flips = 1 + int(8); i < flips; i++) chars[int(chars.length)] = String.fromCharCode(int(128));
      return chars.join('');
    }
    if (action === 2) {
      // Deep nesting where the pod should be.
      return text.replace(/"object":\{/, `"object":${deepNesting(1000 + int(50_000))},"x":{`);
    }
    if (action === 3) return text.replace(/"uid":"[^"]*"/, `"uid":${JSON.stringify('u'.repeat(1 + int(100_000)))}`);
    // Duplicate keys: JSON.parse keeps the last one.
    return text.replace(/^\{/, `{"request":{"uid":"shadowed"},`);
  }

  return (index: number): Case => {
    const strategy = int(100);
    if (strategy < 10) return { kind: 'valid', body: JSON.stringify(baseReview(index)), oversize: false };
    if (strategy < 45) return { kind: 'structural', body: structural(baseReview(index)), oversize: false };
    if (strategy < 60) return { kind: 'quantities', body: quantities(baseReview(index)), oversize: false };
    if (strategy < 85) {
      const body = textual(baseReview(index));
      return { kind: 'textual', body, oversize: Buffer.byteLength(body) > MAX_BODY_BYTES };
    }
    if (strategy < 92) {
      const bytes = Buffer.alloc(int(4096));
      for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
      return { kind: 'random-bytes', body: bytes, oversize: false };
    }
    if (strategy < 96) {
      return { kind: 'random-json', body: JSON.stringify(pick(VALUE_NOISE)), oversize: false };
    }
    const huge = JSON.stringify({ ...baseReview(index), padding: 'p'.repeat(MAX_BODY_BYTES) });
    return { kind: 'oversize', body: huge, oversize: true };
  };
}

function expectedUid(body: Buffer | string): string | undefined {
  try {
    const parsed = JSON.parse(body.toString()) as { request?: { uid?: unknown } };
    return typeof parsed.request?.uid === 'string' ? parsed.request.uid : undefined;
  } catch {
    return undefined;
  }
}

function sentPod(body: Buffer | string): PodJson {
  return (JSON.parse(body.toString()) as { request: { object: PodJson } }).request.object;
}

describe('webhook robustness', () => {
  let webhook: TestWebhook;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  beforeAll(async () => {
    webhook = await startTestWebhook({ maxBodyBytes: MAX_BODY_BYTES });
  });

  afterAll(async () => {
    agent.destroy();
    await webhook?.stop();
  });

  it(
    `answers ${CASES} random and mutated reviews with a valid AdmissionReview or a 400, and stays up`,
    { timeout: 300_000 },
    async () => {
      const next = generator(prng(SEED));
      const cases = Array.from({ length: CASES }, (_, index) => next(index));
      const tally = new Map<string, number>();
      const failures: string[] = [];
      let denied = 0;

      const check = async (testCase: Case, index: number) => {
        const where = `seed ${SEED.toString(16)} case ${index} (${testCase.kind})`;
        const answer = await send(webhook, '/mutate-v1-pod', testCase.body, { agent });
        tally.set(`${testCase.kind} → ${answer.status}`, (tally.get(`${testCase.kind} → ${answer.status}`) ?? 0) + 1);
        if (!(answer.status === 413 && testCase.oversize)) {
          // The same text reviewed outside the server: the same answer.
          const reference = reviewAdmission(Buffer.from(testCase.body).toString('utf8'), referenceOptions);
          const expected = reference.httpStatus === 200 ? reference.body : `${reference.message}\n`;
          if (answer.status !== reference.httpStatus || answer.body !== expected) {
            failures.push(
              `${where}: answered ${answer.status} ${answer.body.slice(0, 120)}; reviewAdmission gives ${expected.slice(0, 120)}`,
            );
          }
        }
        if (answer.status === 400 || (answer.status === 413 && testCase.oversize)) {
          if (answer.body.trim().length === 0) failures.push(`${where}: ${answer.status} without a message`);
          return;
        }
        if (answer.status !== 200) {
          failures.push(`${where}: HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
          return;
        }
        let review: {
          apiVersion?: unknown;
          kind?: unknown;
          response?: { uid?: unknown; allowed?: unknown; patch?: unknown; patchType?: unknown };
        };
        try {
          review = JSON.parse(answer.body) as typeof review;
        } catch {
          failures.push(`${where}: 200 with a body that is not JSON`);
          return;
        }
        const response = review.response;
        if (review.apiVersion !== 'admission.k8s.io/v1' || review.kind !== 'AdmissionReview' || !response) {
          failures.push(`${where}: 200 with something that is not an AdmissionReview`);
          return;
        }
        if (response.uid !== expectedUid(testCase.body)) {
          failures.push(`${where}: uid ${String(response.uid)} not echoed`);
        }
        if (typeof response.allowed !== 'boolean') failures.push(`${where}: allowed is not a boolean`);
        if (response.allowed === false) denied++;
        if (response.patch !== undefined) {
          if (response.patchType !== 'JSONPatch' || typeof response.patch !== 'string') {
            failures.push(`${where}: patch without patchType JSONPatch`);
            return;
          }
          const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as jsonPatch.Operation[];
          try {
            const pod = sentPod(testCase.body);
            const patched = jsonPatch.applyPatch(pod, patch, true, false).newDocument;
            const again = mutatePod(patched, {
              targetRuntimeClass: 'kata-remote',
              extendedResource: 'kata.peerpods.io/vm',
            });
            if (again.outcome !== 'unchanged') {
              failures.push(`${where}: the patched pod is not a fixed point (${again.outcome})`);
            }
          } catch (error) {
            failures.push(`${where}: the patch does not apply to the pod sent: ${(error as Error).message}`);
          }
        }
      };

      let cursor = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (cursor < cases.length) {
            const index = cursor++;
            await check(cases[index]!, index);
          }
        }),
      );

      expect(failures.slice(0, 20)).toEqual([]);
      const count = (predicate: (key: string) => boolean) =>
        [...tally].filter(([key]) => predicate(key)).reduce((sum, [, value]) => sum + value, 0);
      expect(count(() => true)).toBe(CASES);
      // The generator really exercised every path: answers, refusals and oversize bodies (in the
      // same shares at any size: over a tenth answered and refused, over a hundredth too large).
      expect(count((key) => key.endsWith('→ 200'))).toBeGreaterThan(CASES / 10);
      expect(count((key) => key.endsWith('→ 400'))).toBeGreaterThan(CASES / 10);
      expect(count((key) => key.endsWith('→ 413'))).toBeGreaterThan(CASES / 100);
      expect(denied).toBeGreaterThan(CASES / 100);
      expect((await send(webhook, '/healthz')).status).toBe(200);
    },
  );
});
