// JSON.parse that builds only the parts of a document its caller reads, and checks all the rest.
//
// An AdmissionReview for a pod is ~2.5 KB, of which the webhook reads a few hundred bytes: the
// envelope, the pod's names and annotations, the runtime class, each container's name and
// resources. JSON.parse builds every object, array and string of the other ~90 % and was the
// largest single cost of an admission (~10 µs of ~17 µs of JavaScript per request; parseLean
// takes ~6). parseLean() checks every byte against the JSON grammar (exactly what JSON.parse
// accepts) but builds only what a Shape names:
//
//   - a Shape describes an object: the fields to build, each with its own Shape or WHOLE, and
//     whether the other fields are built whole (WHOLE) or only checked (SKIP);
//   - a field whose value is not what its Shape expects (an array where an object is expected, a
//     string…) is built whole, so that an error message quotes it exactly as after JSON.parse;
//   - a value built whole is the value JSON.parse makes of its text.
//
// It reads bytes, and only ASCII bodies (virtually all: Kubernetes names, quantities and labels
// are ASCII), for which a byte is the character JSON.parse sees after UTF-8 decoding. Anything
// unusual returns LEAN_FALLBACK, and the caller runs JSON.parse on the whole text: a body that is
// not ASCII, invalid JSON (so that JSON.parse's own message is reported), nesting deeper than
// MAX_DEPTH, an escaped key in a shaped object (it might spell a named field), the key
// "__proto__" where it would be assigned. So the result is either JSON.parse's value restricted to
// the shape, or LEAN_FALLBACK — never a different value. Duplicate keys behave as in JSON.parse:
// the last value wins, at the first one's position.

import { isAscii } from 'node:buffer';

export const WHOLE = 1;
export const SKIP = 0;
type FieldShape = Shape | ArrayShape | typeof WHOLE;

export interface Shape {
  readonly kind: 'object';
  /** parallel arrays: the fields to build and how */
  readonly names: readonly string[];
  readonly fields: readonly FieldShape[];
  /** fields not named: built whole, or only checked */
  readonly rest: typeof WHOLE | typeof SKIP;
  /** by key length: the indices of the names that long (most keys are rejected by length alone) */
  readonly byLength: readonly (readonly number[] | undefined)[];
}

/** An array whose object elements are read with `element` (other elements are built whole). */
export interface ArrayShape {
  readonly kind: 'array';
  readonly element: Shape;
}

export function objectShape(fields: Record<string, FieldShape>, rest: typeof WHOLE | typeof SKIP = SKIP): Shape {
  if (Object.hasOwn(fields, '__proto__')) throw new Error('a shape cannot name __proto__');
  const names = Object.keys(fields);
  const byLength: number[][] = [];
  names.forEach((name, index) => (byLength[name.length] ??= []).push(index));
  return { kind: 'object', names, fields: Object.values(fields), rest, byLength };
}

export function arrayOf(element: Shape): ArrayShape {
  return { kind: 'array', element };
}

/** The body needs JSON.parse: not ASCII, not valid JSON, too deep, or unusual (see above). */
export const LEAN_FALLBACK: unique symbol = Symbol('lean-json-fallback');

/** Deeper documents can still be valid JSON; JSON.parse reads them without recursion. */
export const MAX_DEPTH = 64;

const FALLBACK = new Error('lean JSON fallback');

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

// Skipping functions take the bytes and a position and return the position after what they
// checked; reading functions leave it in `cursor`. Invalid JSON throws FALLBACK.
let cursor = 0;
const EMPTY: Buffer = Buffer.alloc(0);
/** the body being read (ASCII, so byte offsets are character offsets) */
let source: Buffer = EMPTY;

/** The body's characters between start and end. */
function slice(start: number, end: number): string {
  return source.toString('latin1', start, end);
}

// Keys of objects built whole ("requests", "cpu", annotation names…) repeat from pod to pod. A
// key sliced from the body is a new string that V8 must hash and look up in its string table
// before it can name a property, many times the cost of the store itself; keys already seen are
// reused from this table instead (bounded: two candidate slots, the first is overwritten on a miss).
// Short values repeat as well ("500m", "v1", "CREATE", the runtime class) and come from the
// same table: no new string, and already hashed for the Map and Set lookups that follow.
const KEY_SLOTS = 1024;
const INTERNED_VALUE_LENGTH = 16;
const keySlots: string[] = new Array<string>(KEY_SLOTS).fill('');

function isKeyAt(candidate: string, bytes: Uint8Array, start: number, length: number): boolean {
  if (candidate.length !== length) return false;
  for (let i = 0; i < length; i++) if (bytes[start + i] !== candidate.charCodeAt(i)) return false;
  return true;
}

/** The key between start and end (exclusive; no escapes), as an internalized string. */
function keyAt(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  let hash = length;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
  const slot = hash & (KEY_SLOTS - 1);
  const first = keySlots[slot]!;
  if (isKeyAt(first, bytes, start, length)) return first;
  const second = keySlots[slot ^ 1]!;
  if (isKeyAt(second, bytes, start, length)) return second;
  // A property name is internalized; reading it back gives the string table's copy.
  const key = Object.keys({ [slice(start, end)]: 0 })[0]!;
  if (first === '') keySlots[slot] = key;
  else if (second === '') keySlots[slot ^ 1] = key;
  else keySlots[slot] = key;
  return key;
}

// The body is scanned in a copy that ends with a 0 byte: every loop stops there (0 is not
// whitespace, a digit, a literal's letter or allowed in a string), so no read goes past the end —
// which keeps every load a small integer and the scanning code free of end-of-buffer checks.
const SCRATCH_KEPT_BYTES = 256 * 1024;
let scratch = new Uint8Array(8 * 1024);

/** Characters that continue a string: printable ASCII but the quote and the backslash. */
const IN_STRING = new Uint8Array(256);
for (let code = 32; code < 128; code++) IN_STRING[code] = code === QUOTE || code === BACKSLASH ? 0 : 1;

/** Parses `body` (UTF-8 JSON) like JSON.parse, building only what `shape` names; see the top. */
export function parseLean(body: Buffer, shape: Shape): unknown {
  if (!isAscii(body)) return LEAN_FALLBACK;
  const length = body.length;
  let bytes = scratch;
  if (length >= bytes.length) {
    bytes = new Uint8Array(length + 1);
    if (length < SCRATCH_KEPT_BYTES) scratch = bytes;
  }
  bytes.set(body);
  bytes[length] = 0;
  source = body;
  try {
    const value = readField(bytes, skipWhitespace(bytes, 0), shape, 0);
    return onlyWhitespaceBetween(bytes, cursor, length) ? value : LEAN_FALLBACK;
  } catch (error) {
    if (error === FALLBACK) return LEAN_FALLBACK;
    throw error;
  } finally {
    source = EMPTY;
  }
}

function fail(): never {
  throw FALLBACK;
}

function onlyWhitespaceBetween(bytes: Uint8Array, at: number, end: number): boolean {
  for (; at < end; at++) {
    const code = bytes[at]!;
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return false;
  }
  return true;
}

function skipWhitespace(bytes: Uint8Array, at: number): number {
  let code = bytes[at]!;
  // JSON whitespace is exactly space, tab, line feed and carriage return; compact JSON (what the
  // API server sends) has none, so one comparison usually decides.
  while (code <= 32 && (code === 32 || code === 10 || code === 13 || code === 9)) code = bytes[++at]!;
  return at;
}

/**
 * At an opening quote: returns the position after the closing quote, negated (-position) when
 * the string holds an escape.
 */
function skipString(bytes: Uint8Array, at: number): number {
  at++;
  while (IN_STRING[bytes[at]!] === 1) at++;
  if (bytes[at] === QUOTE) return at + 1;
  return -skipEscapedString(bytes, at);
}

/** The rest of a string from a backslash; a control character or the end of the body is invalid. */
function skipEscapedString(bytes: Uint8Array, at: number): number {
  for (;;) {
    const code = bytes[at]!;
    if (code === QUOTE) return at + 1;
    if (code === BACKSLASH) {
      const next = bytes[at + 1];
      if (
        next === QUOTE ||
        next === BACKSLASH ||
        next === 47 /* / */ ||
        next === 98 /* b */ ||
        next === 102 /* f */ ||
        next === 110 /* n */ ||
        next === 114 /* r */ ||
        next === 116 /* t */
      ) {
        at += 2;
      } else if (next === 117 /* u */) {
        for (let i = at + 2; i < at + 6; i++) {
          const hex = bytes[i]!;
          if (!((hex >= 48 && hex <= 57) || (hex >= 65 && hex <= 70) || (hex >= 97 && hex <= 102))) fail();
        }
        at += 6;
      } else {
        fail();
      }
    } else if (code >= 32) {
      at++;
    } else {
      fail(); // a control character, or the 0 after the body
    }
  }
}

function isDigit(code: number | undefined): boolean {
  return code! >= 48 && code! <= 57;
}

/** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
function skipNumber(bytes: Uint8Array, at: number): number {
  let code = bytes[at];
  if (code === 45 /* - */) code = bytes[++at];
  if (code === 48 /* 0 */) {
    code = bytes[++at];
  } else if (code! >= 49 && code! <= 57) {
    do code = bytes[++at];
    while (isDigit(code));
  } else {
    fail();
  }
  if (code === 46 /* . */) {
    code = bytes[++at];
    if (!isDigit(code)) fail();
    do code = bytes[++at];
    while (isDigit(code));
  }
  if (code === 101 /* e */ || code === 69 /* E */) {
    code = bytes[++at];
    if (code === 43 /* + */ || code === 45 /* - */) code = bytes[++at];
    if (!isDigit(code)) fail();
    do code = bytes[++at];
    while (isDigit(code));
  }
  return at;
}

/** true, false or null (the first letter already matched). */
function skipLiteral(bytes: Uint8Array, at: number, literal: string): number {
  for (let i = 1; i < literal.length; i++) if (bytes[at + i] !== literal.charCodeAt(i)) fail();
  return at + literal.length;
}

/** Which container each open level of skipValue() is in: 1 object, 0 array. */
const openContainers = new Uint8Array(MAX_DEPTH + 2);

/**
 * Checks one value (whitespace before it already skipped) and returns the position after it.
 * One loop with its own stack rather than a recursive descent: most of a review is skipped, and
 * a call per token costs more than the token.
 */
function skipValue(bytes: Uint8Array, at: number, depth: number): number {
  const base = depth;
  for (;;) {
    // A value starts at `at`.
    let code = bytes[at];
    if (code === QUOTE) {
      const end = skipString(bytes, at);
      at = end < 0 ? -end : end;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > MAX_DEPTH) fail();
      const isObject = code === OPEN_BRACE;
      openContainers[depth] = isObject ? 1 : 0;
      at = skipWhitespace(bytes, at + 1);
      code = bytes[at];
      if (code === (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        at++;
        depth--;
      } else {
        if (isObject) at = skipKey(bytes, at);
        continue;
      }
    } else if (code === 116 /* t */) {
      at = skipLiteral(bytes, at, 'true');
    } else if (code === 102 /* f */) {
      at = skipLiteral(bytes, at, 'false');
    } else if (code === 110 /* n */) {
      at = skipLiteral(bytes, at, 'null');
    } else {
      at = skipNumber(bytes, at);
    }
    // After a value: close what ends here, then either a next value follows or we are done.
    for (;;) {
      if (depth === base) return at;
      at = skipWhitespace(bytes, at);
      code = bytes[at];
      const isObject = openContainers[depth] === 1;
      if (code === COMMA) {
        at = skipWhitespace(bytes, at + 1);
        if (isObject) at = skipKey(bytes, at);
        break;
      }
      if (code !== (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) fail();
      at++;
      depth--;
    }
  }
}

/** `"key" :` and the whitespace after it; returns where the value starts. */
function skipKey(bytes: Uint8Array, at: number): number {
  if (bytes[at] !== QUOTE) fail();
  const end = skipString(bytes, at);
  at = skipWhitespace(bytes, end < 0 ? -end : end);
  if (bytes[at] !== COLON) fail();
  return skipWhitespace(bytes, at + 1);
}

/** A string at its opening quote, as JSON.parse reads it (escapes are decoded by JSON.parse). */
function readString(bytes: Uint8Array, at: number): string {
  const end = skipString(bytes, at);
  if (end > 0) {
    cursor = end;
    return end - at - 2 <= INTERNED_VALUE_LENGTH ? keyAt(bytes, at + 1, end - 1) : slice(at + 1, end - 1);
  }
  cursor = -end;
  return JSON.parse(slice(at, cursor)) as string;
}

/** One value built whole: the value JSON.parse makes of its text. */
function readWhole(bytes: Uint8Array, at: number, depth: number): unknown {
  const code = bytes[at];
  if (code === QUOTE) return readString(bytes, at);
  if (code === OPEN_BRACE) {
    if (depth >= MAX_DEPTH) fail();
    const result: Record<string, unknown> = {};
    at = skipWhitespace(bytes, at + 1);
    if (bytes[at] === CLOSE_BRACE) {
      cursor = at + 1;
      return result;
    }
    for (;;) {
      if (bytes[at] !== QUOTE) fail();
      const end = skipString(bytes, at);
      const key = end > 0 ? keyAt(bytes, at + 1, end - 1) : (JSON.parse(slice(at, -end)) as string);
      // Assigning "__proto__" would set the prototype; JSON.parse makes it an own property.
      if (key === '__proto__') fail();
      at = skipWhitespace(bytes, end > 0 ? end : -end);
      if (bytes[at] !== COLON) fail();
      result[key] = readWhole(bytes, skipWhitespace(bytes, at + 1), depth + 1);
      at = skipWhitespace(bytes, cursor);
      const next = bytes[at];
      if (next === CLOSE_BRACE) {
        cursor = at + 1;
        return result;
      }
      if (next !== COMMA) fail();
      at = skipWhitespace(bytes, at + 1);
    }
  }
  if (code === OPEN_BRACKET) {
    if (depth >= MAX_DEPTH) fail();
    const result: unknown[] = [];
    at = skipWhitespace(bytes, at + 1);
    if (bytes[at] === CLOSE_BRACKET) {
      cursor = at + 1;
      return result;
    }
    for (;;) {
      result.push(readWhole(bytes, at, depth + 1));
      at = skipWhitespace(bytes, cursor);
      const next = bytes[at];
      if (next === CLOSE_BRACKET) {
        cursor = at + 1;
        return result;
      }
      if (next !== COMMA) fail();
      at = skipWhitespace(bytes, at + 1);
    }
  }
  if (code === 116 /* t */) {
    cursor = skipLiteral(bytes, at, 'true');
    return true;
  }
  if (code === 102 /* f */) {
    cursor = skipLiteral(bytes, at, 'false');
    return false;
  }
  if (code === 110 /* n */) {
    cursor = skipLiteral(bytes, at, 'null');
    return null;
  }
  cursor = skipNumber(bytes, at);
  // Number() of a JSON number's text is the same double JSON.parse makes of it.
  return Number(slice(at, cursor));
}

function readField(bytes: Uint8Array, at: number, shape: FieldShape, depth: number): unknown {
  if (shape === WHOLE) return readWhole(bytes, at, depth);
  const code = bytes[at];
  if (shape.kind === 'object') {
    return code === OPEN_BRACE ? readObject(bytes, at, shape, depth + 1) : readWhole(bytes, at, depth);
  }
  return code === OPEN_BRACKET ? readArray(bytes, at, shape.element, depth + 1) : readWhole(bytes, at, depth);
}

/** Which of the shape's names the key between `start` and `end` (exclusive, no escapes) is; -1 if none. */
function fieldIndex(bytes: Uint8Array, start: number, end: number, shape: Shape): number {
  const length = end - start;
  const candidates = shape.byLength[length];
  if (candidates === undefined) return -1;
  for (let c = 0; c < candidates.length; c++) {
    const index = candidates[c]!;
    const name = shape.names[index]!;
    let j = 0;
    while (j < length && bytes[start + j] === name.charCodeAt(j)) j++;
    if (j === length) return index;
  }
  return -1;
}

function readObject(bytes: Uint8Array, at: number, shape: Shape, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) fail();
  const result: Record<string, unknown> = {};
  at = skipWhitespace(bytes, at + 1);
  if (bytes[at] === CLOSE_BRACE) {
    cursor = at + 1;
    return result;
  }
  const names = shape.names;
  for (;;) {
    if (bytes[at] !== QUOTE) fail();
    const keyStart = at + 1;
    at = skipString(bytes, at);
    // An escaped key might spell a named field ("sp\u0065c"); JSON.parse decides those.
    if (at < 0) fail();
    const field = fieldIndex(bytes, keyStart, at - 1, shape);
    const keyEnd = at - 1;
    at = skipWhitespace(bytes, at);
    if (bytes[at] !== COLON) fail();
    at = skipWhitespace(bytes, at + 1);
    if (field !== -1) {
      result[names[field]!] = readField(bytes, at, shape.fields[field]!, depth);
      at = cursor;
    } else if (shape.rest === WHOLE) {
      const key = keyAt(bytes, keyStart, keyEnd);
      if (key === '__proto__') fail();
      result[key] = readWhole(bytes, at, depth);
      at = cursor;
    } else {
      at = skipValue(bytes, at, depth);
    }
    at = skipWhitespace(bytes, at);
    const code = bytes[at];
    if (code === CLOSE_BRACE) {
      cursor = at + 1;
      return result;
    }
    if (code !== COMMA) fail();
    at = skipWhitespace(bytes, at + 1);
  }
}

function readArray(bytes: Uint8Array, at: number, element: Shape, depth: number): unknown[] {
  if (depth > MAX_DEPTH) fail();
  const result: unknown[] = [];
  at = skipWhitespace(bytes, at + 1);
  if (bytes[at] === CLOSE_BRACKET) {
    cursor = at + 1;
    return result;
  }
  for (;;) {
    result.push(readField(bytes, at, element, depth));
    at = skipWhitespace(bytes, cursor);
    const code = bytes[at];
    if (code === CLOSE_BRACKET) {
      cursor = at + 1;
      return result;
    }
    if (code !== COMMA) fail();
    at = skipWhitespace(bytes, at + 1);
  }
}
