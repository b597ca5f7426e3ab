import { mkdirSync, mkdtempSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLock } from './file-lock.ts';

const lockIn = () => join(mkdtempSync(join(tmpdir(), 'ppc-lock-')), 'cache.lock');

describe('withLock', () => {
  it('runs holders of one lock one after the other', async () => {
    const path = lockIn();
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => (firstStarted = resolve));
    const first = withLock(path, async () => {
      events.push('first in');
      firstStarted();
      await firstHolds;
      events.push('first out');
    });
    await started;
    const second = withLock(path, async () => {
      events.push('second in');
    });
    // Time for the second to get in if the lock did not hold it (a delay, not a budget: a slow
    // machine can only make this test weaker, never make it fail).
    await new Promise((resolve) => setTimeout(resolve, 300));
    events.push('first still holds');
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first still holds', 'first out', 'second in']);
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock a dead process left behind (not refreshed for over a minute)', async () => {
    const path = lockIn();
    mkdirSync(path);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(path, longAgo, longAgo);
    expect(await withLock(path, async () => 'ran')).toBe('ran');
  });

  it('removes a plain lock file of the earlier implementation', async () => {
    const path = lockIn();
    writeFileSync(path, '');
    expect(await withLock(path, async () => 'ran')).toBe('ran');
  });

  it('releases the lock when the holder throws', async () => {
    const path = lockIn();
    await expect(withLock(path, async () => Promise.reject(new Error('build failed')))).rejects.toThrow('build failed');
    expect(await withLock(path, async () => 'next')).toBe('next');
  });
});
