import { renderHook } from '@testing-library/react';
import { applyCapacityDelta, diffCapacity } from '@peer-pods-console/contract/capacity-delta';

import type { CapacityDelta, CapacitySummary } from '../api/backend';
import { capacitySummary, nodeCapacity, serveBackend } from '../test/capacityFixtures';
import { FakeEventSource } from '../test/fakeEventSource';
import { httpError } from '../test/sdk-mock';
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

  /** Renders the hook and waits for its stream, which opens once the read has answered. */
  const renderWithStream = async () => {
    const rendered = renderHook(() => useCapacitySummary());
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    return rendered;
  };

  it('opens the stream after the read, from its summary, and applies the first delta to it', async () => {
    serveBackend({ '/capacity': first });
    const { result } = await renderWithStream();
    expect(FakeEventSource.instances[0]!.url).toMatch(/\/events\?since=5$/);
    await vi.waitFor(() => expect(result.current.summary).toEqual(first));
    const untouched = result.current.summary!.nodes[1];
    const next = withUsed(first, 6, 4);
    FakeEventSource.emit('capacity-delta', diffCapacity(first, next));
    expect(result.current.summary).toEqual(next);
    expect(result.current.summary!.nodes[1]).toBe(untouched);
  });

  it('opens the stream without since when the read failed, to start from a whole summary', async () => {
    serveBackend({ '/capacity': httpError(503, 'not_ready') });
    await renderWithStream();
    expect(FakeEventSource.instances[0]!.url).toMatch(/\/events$/);
  });

  it('applies each delta to the summary the stream sent, keeping the rows it does not change', async () => {
    const { result } = await renderWithStream();
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

  it('opens the stream again for a whole summary when a delta does not follow the one it holds', async () => {
    const { result } = await renderWithStream();
    FakeEventSource.emit('capacity', first);
    const skipped = withUsed(first, 7, 3);

    FakeEventSource.emit('capacity-delta', diffCapacity(skipped, withUsed(skipped, 8, 4)));

    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.instances[0]!.closed).toBe(true);
    expect(FakeEventSource.instances[1]!.url).toMatch(/\/events$/);
    expect(result.current.summary).toEqual(first);
    const now = withUsed(first, 8, 4);
    FakeEventSource.emit('capacity', now);
    expect(result.current.summary).toEqual(now);
  });

  it('asks for a whole summary when a delta does not follow the summary read', async () => {
    await renderWithStream();
    FakeEventSource.emit('capacity-delta', { from: 0, to: 2 } satisfies Partial<CapacityDelta>);
    expect(FakeEventSource.instances.map((source) => source.closed)).toEqual([true, false]);
  });

  it('asks for a whole summary when a delta reaches past the end of a list', async () => {
    await renderWithStream();
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
