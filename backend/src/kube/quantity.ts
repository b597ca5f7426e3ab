// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource) parsed exactly.
//
// A quantity is held as a whole number of nano-units in a BigInt. That is what Go's Quantity
// keeps too: ParseQuantity rounds any finer value up (away from zero) to 1n, so sums and
// round-ups computed here match the API server's arithmetic digit for digit, with no floats.
//
// Grammar (from the Quantity documentation), with the n and u suffixes the Go parser also takes:
//   <quantity>        ::= <signedNumber><suffix>
//   <signedNumber>    ::= <number> | <sign><number>          <sign> ::= "+" | "-"
//   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
//   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
//   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
//   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
//   <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>

export type QuantityErrorReason =
  'empty' | 'too-long' | 'not-a-number' | 'bad-suffix' | 'bad-exponent' | 'out-of-range';

/** A string that is not a Kubernetes quantity, or one too large for Kubernetes to hold. */
export class QuantityError extends Error {
  override readonly name = 'QuantityError';
  constructor(
    readonly input: string,
    readonly reason: QuantityErrorReason,
    detail: string,
  ) {
    super(`"${input.length > 40 ? `${input.slice(0, 40)}…` : input}" is not a valid quantity: ${detail}`);
  }
}

const NANOS_PER_UNIT = 1_000_000_000n;
const MEBIBYTE_NANOS = NANOS_PER_UNIT * 1_048_576n;
/** Go's Quantity cannot hold a magnitude above 2^63-1; anything above it is refused here. */
const MAX_MAGNITUDE_NANOS = (2n ** 63n - 1n) * NANOS_PER_UNIT;
/** Real quantities are a handful of characters; the cap keeps BigInt work bounded on hostile input. */
export const MAX_QUANTITY_LENGTH = 256;

// Maps, not object literals: the suffix is user text, and "1constructor" must not find
// Object.prototype.constructor (it did, and the webhook answered 500).
const DECIMAL_SUFFIX_EXPONENT: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);

const BINARY_SUFFIX_EXPONENT: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);

/** Division that rounds towards +infinity, for a positive divisor. */
function ceilDiv(dividend: bigint, divisor: bigint): bigint {
  const quotient = dividend / divisor;
  return dividend % divisor > 0n ? quotient + 1n : quotient;
}

export class Quantity {
  static readonly ZERO = new Quantity(0n);

  /** @param nanos the value times 10^9, exactly */
  constructor(readonly nanos: bigint) {}

  static fromUnits(units: bigint | number): Quantity {
    return new Quantity(BigInt(units) * NANOS_PER_UNIT);
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos);
  }

  compare(other: Quantity): -1 | 0 | 1 {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos < 0n ? -1 : this.nanos > 0n ? 1 : 0;
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  /** Whole units, rounded up: 100m → 1, 1.5 → 2, 2 → 2 (Go's Quantity.Value()). */
  roundUpToUnits(): bigint {
    return ceilDiv(this.nanos, NANOS_PER_UNIT);
  }

  /** Read as bytes, whole mebibytes rounded up: 1 → 1, 1Mi → 1, 1Mi+1 → 2 (Go's RoundUpToMiB). */
  roundUpToMebibytes(): bigint {
    return ceilDiv(this.nanos, MEBIBYTE_NANOS);
  }

  /** A plain decimal rendering for messages and tests, e.g. "0.5", "1536", "-2". */
  toDecimalString(): string {
    const negative = this.nanos < 0n;
    const magnitude = negative ? -this.nanos : this.nanos;
    const whole = magnitude / NANOS_PER_UNIT;
    const fraction = (magnitude % NANOS_PER_UNIT).toString().padStart(9, '0').replace(/0+$/, '');
    return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Rounds value · 10^scale (value ≥ 0) up to an integer. */
function scaleUp(value: bigint, scale: number): bigint {
  if (scale >= 0) return value * 10n ** BigInt(scale);
  return ceilDiv(value, 10n ** BigInt(-scale));
}

/**
 * Parses a Kubernetes quantity ("500m", "1.5", "2Gi", "129e6", ".5", "+1", "0.5Ki" …).
 * Throws QuantityError for anything the grammar does not allow, and for magnitudes above
 * 2^63-1 (Go would silently cap those; a webhook should say so instead).
 */
export function parseQuantity(input: string): Quantity {
  const cached = parsedQuantities.get(input);
  if (cached !== undefined) return cached;
  const quantity = parseUncached(input);
  // Pods repeat a handful of strings ("500m", "1Gi"); the bound keeps hostile input from growing it.
  if (parsedQuantities.size >= PARSED_QUANTITIES_CAPACITY) parsedQuantities.clear();
  parsedQuantities.set(input, quantity);
  return quantity;
}

const PARSED_QUANTITIES_CAPACITY = 1024;
const parsedQuantities = new Map<string, Quantity>();

function parseUncached(input: string): Quantity {
  if (input.length === 0) throw new QuantityError(input, 'empty', 'the string is empty');
  if (input.length > MAX_QUANTITY_LENGTH) {
    throw new QuantityError(input, 'too-long', `longer than ${MAX_QUANTITY_LENGTH} characters`);
  }
  let position = 0;
  let negative = false;
  const first = input.charCodeAt(0);
  if (first === 43 /* + */ || first === 45 /* - */) {
    negative = first === 45;
    position = 1;
  }
  const integerStart = position;
  while (position < input.length && isDigit(input.charCodeAt(position))) position++;
  const integerDigits = input.slice(integerStart, position);
  let fractionDigits = '';
  if (input.charCodeAt(position) === 46 /* . */) {
    position++;
    const fractionStart = position;
    while (position < input.length && isDigit(input.charCodeAt(position))) position++;
    fractionDigits = input.slice(fractionStart, position);
  }
  if (integerDigits.length === 0 && fractionDigits.length === 0) {
    throw new QuantityError(input, 'not-a-number', 'expected a number such as 1, 0.5 or 250m');
  }

  const suffix = input.slice(position);
  let decimalExponent: number;
  let binaryExponent = 0;
  const decimal = DECIMAL_SUFFIX_EXPONENT.get(suffix);
  const binary = BINARY_SUFFIX_EXPONENT.get(suffix);
  if (decimal !== undefined) {
    decimalExponent = decimal;
  } else if (binary !== undefined) {
    decimalExponent = 0;
    binaryExponent = binary;
  } else if (suffix[0] === 'e' || suffix[0] === 'E') {
    decimalExponent = parseExponent(input, suffix.slice(1));
  } else {
    throw new QuantityError(
      input,
      'bad-suffix',
      `unknown suffix "${suffix.length > 10 ? `${suffix.slice(0, 10)}…` : suffix}" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent like e6)`,
    );
  }

  const digits = (integerDigits + fractionDigits).replace(/^0+/, '');
  if (digits.length === 0) return Quantity.ZERO;
  // value = digits · 10^(decimalExponent - fractionDigits) · 2^binaryExponent; in nano-units the
  // decimal scale grows by 9.
  const scale = decimalExponent - fractionDigits.length + 9;
  if (digits.length + scale > 29) {
    // At least 10^28 nano-units, beyond 2^63-1 units; refuse before building a huge BigInt.
    throw new QuantityError(input, 'out-of-range', 'larger than the maximum quantity Kubernetes can hold (2^63-1)');
  }
  let magnitude: bigint;
  if (scale < -(digits.length + 20)) {
    // Far below one nano-unit (even after a binary multiplier of at most 2^60): Go rounds it up to 1n.
    magnitude = 1n;
  } else {
    magnitude = scaleUp(BigInt(digits) << BigInt(binaryExponent), scale);
  }
  if (magnitude > MAX_MAGNITUDE_NANOS) {
    throw new QuantityError(input, 'out-of-range', 'larger than the maximum quantity Kubernetes can hold (2^63-1)');
  }
  return new Quantity(negative ? -magnitude : magnitude);
}

function parseExponent(input: string, text: string): number {
  let position = 0;
  if (text[0] === '+' || text[0] === '-') position = 1;
  if (position === text.length) {
    throw new QuantityError(input, 'bad-exponent', 'an exponent needs digits after e/E, like 129e6');
  }
  for (let i = position; i < text.length; i++) {
    if (!isDigit(text.charCodeAt(i))) {
      throw new QuantityError(input, 'bad-exponent', 'the exponent after e/E must be a whole number, like e6 or e-3');
    }
  }
  // Beyond a few thousand the value is out of range or rounds to 1n either way; clamping keeps it a safe integer.
  const magnitude = text.length - position > 6 ? 1_000_000 : Number(text.slice(position));
  return text[0] === '-' ? -magnitude : magnitude;
}
