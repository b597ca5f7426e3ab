import { renderHook } from '@testing-library/react';
import { applyCapacityDelta, diffCapacity } from '@peer-pods-console/contract/capacity-delta';

import type { CapacityDelta, CapacitySummary } from '../api/backend';
import { capacitySummary, nodeCapacity, serveBackend } from '../test/capacityFixtures';
import { FakeEventSource } from '../test/fakeEventSource';
import { useCapacitySummary } from './useCapacitySummary';

const first = capacitySummary([nodeCapacity('worker-a', { used: 1 }), nodeCapacity('worker-b', { used: 2 })], {
  revision: 5,
});
const withUsed = (summary: CapacitySummary, revision: number, used: number): CapacitySummary => ({
  ...summary,
  revision,
  nodes: summary.nodes.map((node) => (node.name === 'worker-a' ? { ...node, used } : node)),
});

describe('useCapacitySummary', () => {
  beforeEach(() => {
    FakeEventSource.reset();
    vi.stubGlobal('EventSource', FakeEventSource);
    serveBackend({ '/capacity': capacitySummary([]) });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('applies each delta to the summary the stream sent, keeping the rows it does not change', () => {
    const { result } = renderHook(() => useCapacitySummary());
    FakeEventSource.emit('capacity', first);
    const untouched = result.current.summary!.nodes[1];
    const second = withUsed(first, 6, 7);
    const third = withUsed(second, 9, 8);

    FakeEventSource.emit('capacity-delta', diffCapacity(first, second));
    FakeEventSource.emit('capacity-delta', diffCapacity(second, third));

    expect(result.current.summary).toEqual(third);
    expect(result.current.live).toBe(true);
    expect(result.current.summary!.nodes[1]).toBe(untouched);
  });

  it('opens the stream again for a whole summary when a delta does not follow the one it holds', () => {
    const { result } = renderHook(() => useCapacitySummary());
    FakeEventSource.emit('capacity', first);
    const skipped = withUsed(first, 7, 3);

    FakeEventSource.emit('capacity-delta', diffCapacity(skipped, withUsed(skipped, 8, 4)));

    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.instances[0]!.closed).toBe(true);
    expect(result.current.summary).toEqual(first);
    const now = withUsed(first, 8, 4);
    FakeEventSource.emit('capacity', now);
    expect(result.current.summary).toEqual(now);
  });

  it('asks for a whole summary when a delta comes before any', () => {
    renderHook(() => useCapacitySummary());
    FakeEventSource.emit('capacity-delta', { from: 1, to: 2 } satisfies Partial<CapacityDelta>);
    expect(FakeEventSource.instances.map((source) => source.closed)).toEqual([true, false]);
  });

  it('asks for a whole summary when a delta reaches past the end of a list', () => {
    renderHook(() => useCapacitySummary());
    FakeEventSource.emit('capacity', first);
    const delta: CapacityDelta = {
      ...diffCapacity(first, withUsed(first, 6, 2)),
      nodes: [{ at: 2, remove: 1, insert: [] }],
    };
    expect(applyCapacityDelta(first, delta)).toBeUndefined();
    FakeEventSource.emit('capacity-delta', delta);
    expect(FakeEventSource.instances).toHaveLength(2);
  });
});
