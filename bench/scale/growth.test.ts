import { describe, expect, it } from 'vitest';
import { slopePerThousandNodes, textTable } from './growth.ts';

describe('slopePerThousandNodes', () => {
  it('is what 1,000 more nodes add, for figures on a line', () => {
    const points = [50, 1000, 2000, 5000].map((nodes) => ({ nodes, value: 100 + (nodes / 1000) * 30 }));
    expect(slopePerThousandNodes(points)).toBe(30);
  });

  it('fits the line closest to scattered figures', () => {
    expect(
      slopePerThousandNodes([
        { nodes: 0, value: 1 },
        { nodes: 1000, value: 3 },
        { nodes: 2000, value: 2 },
      ]),
    ).toBe(0.5);
  });

  it('has no slope from a single size', () => {
    expect(slopePerThousandNodes([{ nodes: 5000, value: 1 }])).toBeNull();
    expect(
      slopePerThousandNodes([
        { nodes: 5000, value: 1 },
        { nodes: 5000, value: 2 },
      ]),
    ).toBeNull();
  });
});

describe('textTable', () => {
  it('right-aligns every column to its widest cell', () => {
    expect(textTable(['nodes', 'RSS'], [['50', '120 MB'], ['5000', '9 MB'], ['per 1,000']])).toBe(
      ['    nodes     RSS', '       50  120 MB', '     5000    9 MB', 'per 1,000        '].join('\n'),
    );
  });
});
