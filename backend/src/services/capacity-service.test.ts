import { describe, expect, it } from 'vitest';
import type { CapacitySnapshot } from '../api/contract.ts';
import { ModelCapacityService } from './capacity-service.ts';

const model = (revision: number) => ({
  revision,
  snapshot: () => ({ revision, nodes: [], unaccounted: [], pending: [] }) as unknown as CapacitySnapshot,
  subscribe: () => () => {},
});

describe('the capacity summary’s ETag', () => {
  it('changes with the orphan count even when the model’s revision does not, since the body carries both', () => {
    let orphans: number | null = null;
    const service = new ModelCapacityService({ model: model(7), orphanCount: () => orphans });
    const before = service.snapshotJson();
    orphans = 2;
    const after = service.snapshotJson();
    expect(before.etag).toBe('"capacity-7-unknown"');
    expect(after.etag).toBe('"capacity-7-2"');
    expect(JSON.parse(after.json)).toMatchObject({ revision: 7, orphans: 2 });
  });
});
