import { describe, expect, it } from 'vitest';
import { checkLimit, MAX_LIMIT } from './capacity.ts';

describe('checkLimit: a whole number from 0 to MAX_LIMIT, in plain digits', () => {
  it.each([
    ['0', 0],
    ['10', 10],
    ['007', 7],
    [String(MAX_LIMIT), MAX_LIMIT],
  ])('accepts %j as %d', (text, value) => {
    expect(checkLimit(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['-1', 'negative'],
    ['-0', 'negative'],
    ['1.5', 'not-whole'],
    ['0.0001', 'not-whole'],
    ['ten', 'not-a-number'],
    ['Infinity', 'not-a-number'],
    ['1e3', 'not-a-number'],
    ['+5', 'not-a-number'],
    ['0x10', 'not-a-number'],
    ['1k', 'not-a-number'],
    [' 10', 'not-a-number'],
    ['10 ', 'not-a-number'],
    ['1 000', 'not-a-number'],
    [String(MAX_LIMIT + 1), 'too-large'],
    ['99999999999999999999999', 'too-large'],
  ])('refuses %j as %s', (text, problem) => {
    expect(checkLimit(text)).toEqual({ ok: false, problem });
  });
});
