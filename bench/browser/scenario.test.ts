import { describe, expect, it } from 'vitest';
import { expectedFirstPage, nameFilterFor, podsOnNode, stats, totalPods } from './scenario.ts';

describe('the browser benchmark scenario', () => {
  it('spreads 0 to 4 pods per node, 2,000 on 1,000 nodes', () => {
    expect(Array.from({ length: 10 }, (_, i) => podsOnNode(i))).toEqual([3, 0, 2, 4, 1, 3, 0, 2, 4, 1]);
    expect(totalPods(1000)).toBe(2000);
    expect(totalPods(5)).toBe(10);
  });

  it('lists the first page in numeric name order', () => {
    const page = expectedFirstPage(1000, { sort: { column: 'name', direction: 'asc' } });
    expect(page).toHaveLength(20);
    expect(page.slice(0, 12)).toEqual([
      'worker-0',
      'worker-1',
      'worker-2',
      'worker-3',
      'worker-4',
      'worker-5',
      'worker-6',
      'worker-7',
      'worker-8',
      'worker-9',
      'worker-10',
      'worker-11',
    ]);
    expect(expectedFirstPage(1000, { sort: { column: 'name', direction: 'desc' } })[0]).toBe('worker-999');
  });

  it('sorts by utilisation with ties by name, so the top rows differ from the name order', () => {
    expect(expectedFirstPage(1000, { sort: { column: 'utilisation', direction: 'asc' } }).slice(0, 3)).toEqual([
      'worker-1',
      'worker-6',
      'worker-11',
    ]);
    expect(expectedFirstPage(1000, { sort: { column: 'utilisation', direction: 'desc' } }).slice(0, 3)).toEqual([
      'worker-3',
      'worker-8',
      'worker-13',
    ]);
  });

  it('filters by a name that narrows 1,000 nodes to 11', () => {
    expect(nameFilterFor(1000)).toBe('worker-99');
    const page = expectedFirstPage(1000, { sort: { column: 'name', direction: 'asc' }, nameFilter: 'worker-99' });
    expect(page).toEqual(['worker-99', ...Array.from({ length: 10 }, (_, i) => `worker-${990 + i}`)]);
    expect(nameFilterFor(5)).toBe('worker-4');
    expect(expectedFirstPage(5, { sort: { column: 'name', direction: 'asc' }, nameFilter: 'worker-4' })).toEqual([
      'worker-4',
    ]);
  });

  it('reports median, nearest-rank p90, min and max', () => {
    expect(stats([5, 1, 3])).toEqual({ runs: 3, medianMs: 3, p90Ms: 5, minMs: 1, maxMs: 5 });
    expect(stats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toMatchObject({ medianMs: 6, p90Ms: 9 });
    expect(() => stats([])).toThrow(/no samples/);
  });
});
