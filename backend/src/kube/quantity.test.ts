import { describe, expect, it } from 'vitest';
import { parseQuantity, Quantity, QuantityError, type QuantityErrorReason } from './quantity.ts';

describe('parseQuantity reads every legal form exactly', () => {
  it.each([
    // [input, exact decimal value]
    ['0', '0'],
    ['2', '2'],
    ['1.5', '1.5'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['+1', '1'],
    ['-1', '-1'],
    ['-0', '0'],
    ['007', '7'],
    ['500m', '0.5'],
    ['1m', '0.001'],
    ['100u', '0.0001'],
    ['5n', '0.000000005'],
    ['1k', '1000'],
    ['1M', '1000000'],
    ['1G', '1000000000'],
    ['1T', '1000000000000'],
    ['1P', '1000000000000000'],
    ['1E', '1000000000000000000'],
    ['1Ki', '1024'],
    ['0.5Ki', '512'],
    ['123Mi', '128974848'],
    ['2Gi', '2147483648'],
    ['1.5Gi', '1610612736'],
    ['1Ti', '1099511627776'],
    ['1Pi', '1125899906842624'],
    ['1Ei', '1152921504606846976'],
    ['128974848', '128974848'],
    ['129e6', '129000000'],
    ['129E6', '129000000'],
    ['1e3', '1000'],
    ['1e+3', '1000'],
    ['1e-3', '0.001'],
    ['1.5e3', '1500'],
    ['-1.5e-1', '-0.15'],
    ['9223372036854775807', '9223372036854775807'],
  ])('%s = %s', (input, expected) => {
    expect(parseQuantity(input).toDecimalString()).toBe(expected);
  });

  it('rounds a value finer than one nano-unit up to 1n, as the API server does', () => {
    expect(parseQuantity('0.1n').nanos).toBe(1n);
    expect(parseQuantity('1e-30').nanos).toBe(1n);
    expect(parseQuantity('-1e-30').nanos).toBe(-1n);
    expect(parseQuantity('1.0000000001').nanos).toBe(1_000_000_001n);
  });

  it('reads a zero with a huge exponent as zero', () => {
    expect(parseQuantity('0e999999999').isZero()).toBe(true);
  });
});

describe('parseQuantity refuses malformed input with a typed error', () => {
  it.each<[string, QuantityErrorReason]>([
    ['', 'empty'],
    ['abc', 'not-a-number'],
    ['.', 'not-a-number'],
    ['+', 'not-a-number'],
    ['-', 'not-a-number'],
    ['m', 'not-a-number'],
    ['Mi', 'not-a-number'],
    [' 1', 'not-a-number'],
    ['1 ', 'bad-suffix'],
    // Names of Object.prototype members are suffixes like any other unknown text.
    ['1constructor', 'bad-suffix'],
    ['1__proto__', 'bad-suffix'],
    ['1toString', 'bad-suffix'],
    ['1hasOwnProperty', 'bad-suffix'],
    ['1valueOf', 'bad-suffix'],
    ['1KB', 'bad-suffix'],
    ['1kb', 'bad-suffix'],
    ['1K', 'bad-suffix'],
    ['1mi', 'bad-suffix'],
    ['1Mii', 'bad-suffix'],
    ['1.2.3', 'bad-suffix'],
    ['0x10', 'bad-suffix'],
    ['1,5', 'bad-suffix'],
    ['1e', 'bad-exponent'],
    ['1e+', 'bad-exponent'],
    ['1e1.5', 'bad-exponent'],
    ['1e3m', 'bad-exponent'],
    ['1e9999999999', 'out-of-range'],
    ['9223372036854775808', 'out-of-range'],
    ['8Ei', 'out-of-range'],
    ['1' + '0'.repeat(300), 'too-long'],
  ])('%j → %s', (input, reason) => {
    let caught: unknown;
    try {
      parseQuantity(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QuantityError);
    expect((caught as QuantityError).reason).toBe(reason);
    expect((caught as QuantityError).input).toBe(input);
  });

  it('names the input in the message', () => {
    expect(() => parseQuantity('12XB')).toThrow('"12XB" is not a valid quantity: unknown suffix "XB"');
  });
});

describe('rounding up', () => {
  it.each([
    ['100m', 1n],
    ['500m', 1n],
    ['1', 1n],
    ['1001m', 2n],
    ['1.5', 2n],
    ['2', 2n],
    ['0', 0n],
    ['1n', 1n],
  ])('cpu %s → %d whole vCPUs', (input, vcpus) => {
    expect(parseQuantity(input).roundUpToUnits()).toBe(vcpus);
  });

  it.each([
    ['1', 1n],
    ['1Mi', 1n],
    ['1048577', 2n],
    ['1G', 954n],
    ['1Gi', 1024n],
    ['128974848', 123n],
    ['129e6', 124n],
    ['0.5Ki', 1n],
    ['0', 0n],
  ])('memory %s → %d MiB', (input, mebibytes) => {
    expect(parseQuantity(input).roundUpToMebibytes()).toBe(mebibytes);
  });
});

describe('arithmetic stays exact', () => {
  it('adds thirds of a cpu without drift', () => {
    const third = parseQuantity('333333333n');
    expect(third.add(third).add(third).toDecimalString()).toBe('0.999999999');
    expect(third.add(third).add(third).roundUpToUnits()).toBe(1n);
  });

  it('sums ten 0.1 cpus to exactly 1, where floats would give 1.0000000000000002', () => {
    let total = Quantity.ZERO;
    for (let i = 0; i < 10; i++) total = total.add(parseQuantity('0.1'));
    expect(total.compare(Quantity.fromUnits(1))).toBe(0);
    expect(total.roundUpToUnits()).toBe(1n);
  });

  it('compares across suffixes', () => {
    expect(parseQuantity('1Gi').compare(parseQuantity('1G'))).toBe(1);
    expect(parseQuantity('1000m').compare(parseQuantity('1'))).toBe(0);
    expect(parseQuantity('1k').compare(parseQuantity('1Ki'))).toBe(-1);
  });
});
