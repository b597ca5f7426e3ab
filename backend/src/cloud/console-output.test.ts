import { describe, expect, it } from 'vitest';
import { consoleTail, TailCollector } from './console-output.ts';

describe('consoleTail', () => {
  it('keeps a text within the limit whole', () => {
    expect(consoleTail('boot\nok\n', 64)).toEqual({ output: 'boot\nok\n', truncated: false });
  });

  it('keeps the last bytes from a line start, and says it cut', () => {
    const text = `${'a'.repeat(50)}\nline two\nline three\n`;
    expect(consoleTail(text, 25)).toEqual({ output: 'line two\nline three\n', truncated: true });
  });

  it('never splits a character at the cut', () => {
    const { output, truncated } = consoleTail('ééééé', 5);
    expect(truncated).toBe(true);
    expect(output).toBe('éé');
  });
});

describe('TailCollector', () => {
  it('gives the same tail as the whole text, holding only about twice the tail', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `[${i}] kata-agent: waiting for the network ✓\n`).join('');
    const collector = new TailCollector(1024);
    const bytes = Buffer.from(lines, 'utf8');
    for (let at = 0; at < bytes.length; at += 97) collector.push(bytes.subarray(at, at + 97));
    expect(collector.result()).toEqual(consoleTail(lines, 1024));
    expect(collector.result().output.endsWith('[1999] kata-agent: waiting for the network ✓\n')).toBe(true);
  });

  it('says nothing was cut when the whole text fits', () => {
    const collector = new TailCollector(1024);
    collector.push(Buffer.from('short\n'));
    expect(collector.result()).toEqual({ output: 'short\n', truncated: false });
  });
});
