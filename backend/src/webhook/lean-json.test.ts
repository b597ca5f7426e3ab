// parseLean() must be JSON.parse restricted to a shape, or hand the body back (LEAN_FALLBACK):
// never a value JSON.parse would not give, never a value for text JSON.parse refuses. Checked on
// hand-picked edge cases and on tens of thousands of random documents and mangled texts, against
// JSON.parse itself.

import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LEAN_FALLBACK, MAX_DEPTH, SKIP, WHOLE, arrayOf, objectShape, parseLean, type Shape } from './lean-json.ts';
import { REVIEW_SHAPE } from './review.ts';
import { admissionReview, peerPodWithSidecars } from './test/fixtures.ts';

const EVERYTHING = objectShape({}, WHOLE);
const NOTHING = objectShape({}, SKIP);
const CONTAINERS = objectShape({
  spec: objectShape({ containers: arrayOf(objectShape({ name: WHOLE, resources: WHOLE })) }),
});

/** JSON.parse's value restricted to what `shape` builds, as parseLean documents it. */
function restrict(value: unknown, shape: Shape | typeof WHOLE): unknown {
  if (shape === WHOLE || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const index = shape.names.indexOf(key);
    if (index !== -1) {
      const field = shape.fields[index]!;
      if (field !== WHOLE && field.kind === 'array') {
        result[key] = Array.isArray(inner) ? inner.map((element) => restrict(element, field.element)) : inner;
      } else {
        result[key] = restrict(inner, field);
      }
    } else if (shape.rest === WHOLE) {
      Object.defineProperty(result, key, { value: inner, enumerable: true, writable: true, configurable: true });
    }
  }
  return result;
}

/** Fails the test when parseLean disagrees with JSON.parse on `text`; returns parseLean's answer. */
function agree(text: string | Buffer, shape: Shape = EVERYTHING): unknown {
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  const lean = parseLean(body, shape);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    if (lean !== LEAN_FALLBACK)
      throw new Error(`JSON.parse refuses ${JSON.stringify(body.toString())} but parseLean read it`);
    return lean;
  }
  if (lean !== LEAN_FALLBACK && !isDeepStrictEqual(lean, restrict(parsed, shape))) {
    throw new Error(`parseLean read ${JSON.stringify(body.toString()).slice(0, 300)} differently from JSON.parse`);
  }
  return lean;
}

describe('parseLean reads like JSON.parse', () => {
  it.each([
    ['an object', '{"a":1,"b":"x","c":[true,false,null],"d":{"e":-0.5e-3}}'],
    ['whitespace everywhere', ' \t\r\n{ "a" : [ 1 , 2 ] ,\n"b" : { } , "c" : [ ] }\n '],
    ['numbers', '[0,-0,1,-1,0.5,1e3,1E+3,1e-3,123456789012345678901234567890,1e400,-1e400,5e-324]'],
    ['escapes', '[{"a":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\ud83d\\ude00","b\\u0041":1}]'],
    ['duplicate keys: the last value, the first position', '{"a":1,"b":2,"a":3}'],
    ['integer-like keys', '{"b":1,"10":2,"2":3,"a":4}'],
    ['empty key and values', '{"":"","x":{},"y":[]}'],
    ['a string at the top', '"x"'],
    ['a number at the top', ' 42 '],
    ['null at the top', 'null'],
    ['an array at the top', '[{"a":[{"b":{}}]}]'],
  ])('%s', (_name, text) => {
    expect(agree(text)).not.toBe(LEAN_FALLBACK);
    expect(agree(text, NOTHING)).toBeDefined();
    agree(text, CONTAINERS);
  });

  it('builds only what the shape names, and everything else when asked to', () => {
    const text = '{"spec":{"containers":[{"name":"a","image":"x","resources":{"limits":{"cpu":"1"}}},7],"y":1},"z":2}';
    expect(agree(text, CONTAINERS)).toEqual({
      spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1' } } }, 7] },
    });
    expect(agree(text, NOTHING)).toEqual({});
  });

  it('builds a value whole where the shape expects another type', () => {
    expect(agree('{"spec":[1,{"containers":2}]}', CONTAINERS)).toEqual({ spec: [1, { containers: 2 }] });
    expect(agree('{"spec":{"containers":{"0":{"name":"a","image":"x"}}}}', CONTAINERS)).toEqual({
      spec: { containers: { 0: { name: 'a', image: 'x' } } },
    });
  });

  it.each([
    ['empty', ''],
    ['only whitespace', '  '],
    ['trailing comma in an object', '{"a":1,}'],
    ['trailing comma in an array', '[1,]'],
    ['leading zero', '[01]'],
    ['a bare minus', '[-]'],
    ['a dot without digits', '[1.]'],
    ['an exponent without digits', '[1e]'],
    ['a plus sign', '[+1]'],
    ['single quotes', "{'a':1}"],
    ['an unquoted key', '{a:1}'],
    ['a control character in a string', '["a\u0001b"]'],
    ['a raw newline in a string', '["a\nb"]'],
    ['an invalid escape', '["\\x41"]'],
    ['a short unicode escape', '["\\u004"]'],
    ['an unterminated string', '["abc'],
    ['an unclosed object', '{"a":1'],
    ['two values', '{} {}'],
    ['a NUL byte', '{"a":1}\u0000'],
    ['a byte-order mark', '\ufeff{}'],
    ['NaN', '[NaN]'],
    ['a truncated literal', '[tru]'],
    ['a misspelled literal', '[nul1]'],
    ['a missing colon', '{"a" 1}'],
    ['a missing comma', '[1 2]'],
  ])('refuses what JSON.parse refuses: %s', (_name, text) => {
    expect(agree(text)).toBe(LEAN_FALLBACK);
  });

  it('leaves to JSON.parse what it does not read itself', () => {
    // not ASCII (JSON.parse decodes the UTF-8), too deep, an escaped key where a field is named
    expect(agree('{"a":"é"}')).toBe(LEAN_FALLBACK);
    expect(agree(`${'['.repeat(MAX_DEPTH + 5)}${']'.repeat(MAX_DEPTH + 5)}`)).toBe(LEAN_FALLBACK);
    expect(agree('{"sp\\u0065c":{"containers":[]}}', CONTAINERS)).toBe(LEAN_FALLBACK);
    expect(agree(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toBe(LEAN_FALLBACK);
    // "__proto__" where it would be assigned (JSON.parse makes it an own property), but not where skipped
    expect(agree('{"__proto__":{"polluted":true},"a":1}')).toBe(LEAN_FALLBACK);
    expect(agree('[{"__proto__":1}]')).toBe(LEAN_FALLBACK);
    expect(agree('{"__proto__":{"polluted":true},"a":1}', NOTHING)).toEqual({});
  });

  it('reads an AdmissionReview as JSON.parse restricted to the fields the webhook reads', () => {
    const text = JSON.stringify(admissionReview(peerPodWithSidecars()));
    const lean = agree(text, REVIEW_SHAPE) as { request: { object: { spec: { containers: unknown[] } } } };
    expect(lean.request.object.spec.containers).toHaveLength(3);
    expect(JSON.stringify(lean).length).toBeLessThan(text.length / 2);
  });
});

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

describe('parseLean agrees with JSON.parse on random input', () => {
  const random = prng(0x1ea4_0f5e);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const KEYS = ['spec', 'containers', 'name', 'resources', 'limits', 'cpu', 'a', '', '__proto__', '0', 'x"y', 'ü'];
  const STRINGS = ['', 'x', 'kata-remote', '500m', 'a"b', 'a\\b', '\n', '\u0000', 'é', '\ud800', '😀'];

  function value(depth: number): unknown {
    const roll = int(depth > 4 ? 6 : 9);
    if (roll === 0) return null;
    if (roll === 1) return random() < 0.5;
    if (roll === 2) return pick([0, -0, 1, -1.5, 1e21, 1e-7, 2 ** 53 + 1, Number.MAX_VALUE, 123.456]);
    if (roll <= 5) return pick(STRINGS);
    if (roll <= 6) return Array.from({ length: int(4) }, () => value(depth + 1));
    const object: Record<string, unknown> = {};
    for (let i = int(5); i > 0; i--) object[pick(KEYS)] = value(depth + 1);
    return object;
  }

  function mangle(text: string): string {
    const action = int(6);
    const at = int(text.length + 1);
    if (action === 0) return text.slice(0, at);
    if (action === 1) return text.slice(0, at) + text.slice(at + 1);
    if (action === 2)
      return (
        text.slice(0, at) +
        pick([' ', ',', ':', '"', '\\', '{', '}', '[', ']', '0', '-', 'e', '.', 't']) +
        text.slice(at)
      );
    if (action === 3) return text.slice(0, at) + String.fromCharCode(int(128)) + text.slice(at + 1);
    if (action === 4)
      return text.replace(
        /"([^"\\]*)"/,
        (_match, inner: string) => `"${inner}\\u00${int(16).toString(16)}${int(16).toString(16)}"`,
      );
    return ` ${text}\t`;
  }

  it('30,000 random documents and 30,000 mangled ones, in four shapes', () => {
    const shapes = [EVERYTHING, NOTHING, CONTAINERS, REVIEW_SHAPE];
    let read = 0;
    let fellBack = 0;
    for (let i = 0; i < 30_000; i++) {
      const text = JSON.stringify(value(0));
      const mangled = mangle(text);
      for (const shape of shapes) {
        if (agree(text, shape) === LEAN_FALLBACK) fellBack++;
        else read++;
        agree(mangled, shape);
      }
    }
    // The lean path itself was exercised (non-ASCII documents are handed back, by design).
    expect(read).toBeGreaterThan(30_000);
    expect(fellBack).toBeGreaterThan(1_000);
  });

  it('AdmissionReviews with random changes, in the review shape', () => {
    for (let i = 0; i < 5_000; i++) {
      const review = admissionReview(peerPodWithSidecars(pick(['kata-remote', 'runc'])));
      const request = review.request as Record<string, unknown>;
      const target = pick([request, request.object as Record<string, unknown>, review]);
      target[pick(['uid', 'kind', 'object', 'spec', 'metadata', 'extra', 'request', 'namespace'])] = value(2);
      const text = JSON.stringify(review);
      agree(text, REVIEW_SHAPE);
      agree(mangle(text), REVIEW_SHAPE);
    }
  });
});
