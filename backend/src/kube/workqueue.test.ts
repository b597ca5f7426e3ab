import { describe, expect, it } from 'vitest';
import { TokenBucket, WorkQueue, type Clock } from './workqueue.ts';

/** A clock whose time moves only when the test says so. */
class FakeClock implements Clock {
  time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  advance(ms: number) {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
  }
}

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.len()).toBe(0);
  });

  it('processes a key re-added while in flight once more after done, never twice at once', async () => {
    const q = new WorkQueue();
    q.add('a');
    const first = await q.get();
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0); // not handed to a second worker while the first holds it
    q.done(first!);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    expect(q.idle()).toBe(true);
  });

  it('hands a key to a worker that is already waiting', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.add('x');
    expect(await waiting).toBe('x');
    q.add('x'); // in flight: held back until done
    expect(q.len()).toBe(0);
    q.done('x');
    expect(await q.get()).toBe('x');
  });

  it('retries a failing key with per-key exponential backoff, reset by forget', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, baseDelayMs: 100, maxDelayMs: 1000, qps: 1000, burst: 1000 });
    const delays: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const before = clock.time;
      q.addRateLimited('a');
      let waited = 0;
      while (q.len() === 0) {
        clock.advance(10);
        waited += 10;
      }
      delays.push(clock.time - before);
      expect(waited).toBeGreaterThan(0);
      const key = await q.get();
      q.done(key!);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000]);
    expect(q.numRequeues('a')).toBe(5);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('keeps one failing key from delaying others', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, baseDelayMs: 100, qps: 1000, burst: 1000 });
    q.addRateLimited('broken');
    q.addRateLimited('broken');
    q.add('healthy');
    expect(await q.get()).toBe('healthy');
  });

  it('lets the global token bucket bound a storm of retries', () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, baseDelayMs: 1, qps: 10, burst: 2 });
    for (const key of ['a', 'b', 'c', 'd']) q.addRateLimited(key);
    clock.advance(1);
    expect(q.len()).toBe(2); // the burst
    clock.advance(100);
    expect(q.len()).toBe(3);
    clock.advance(100);
    expect(q.len()).toBe(4);
  });

  it('addAfter keeps the earlier of two pending delays', () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter('a', 500);
    q.addAfter('a', 100);
    q.addAfter('a', 900);
    clock.advance(100);
    expect(q.len()).toBe(1);
    clock.advance(1000);
    expect(q.len()).toBe(1);
  });

  it('serves an urgent key before every key added normally, moving it forward if it already waits', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('c');
    q.addUrgent('c');
    q.addUrgent('d');
    q.add('d');
    expect(q.len()).toBe(4);
    expect([await q.get(), await q.get(), await q.get(), await q.get()]).toEqual(['c', 'd', 'a', 'b']);
    expect(q.len()).toBe(0);
  });

  it('keeps an urgent key re-added while in flight urgent, and processes it once more after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    expect(await q.get()).toBe('a');
    q.add('b');
    q.addUrgent('a');
    q.addUrgent('a');
    expect(q.len()).toBe(1);
    q.done('a');
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    q.done('a');
    q.done('b');
    expect(q.idle()).toBe(true);
  });

  it('hands an urgent key to a worker that is already waiting', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.addUrgent('a');
    expect(await waiting).toBe('a');
    q.shutDown();
    q.addUrgent('b');
    expect(q.len()).toBe(0);
  });

  it('shutDown releases waiting workers and refuses new keys', async () => {
    const q = new WorkQueue();
    const waiting = [q.get(), q.get()];
    q.shutDown();
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
    q.add('late');
    expect(await q.get()).toBeUndefined();
    expect(q.isShuttingDown()).toBe(true);
  });
});

describe('TokenBucket', () => {
  it('spends the burst at once, then one token per 1/qps', () => {
    const clock = { now: () => 0 };
    const bucket = new TokenBucket(5, 3, clock);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    expect(bucket.reserve()).toBe(200);
    expect(bucket.reserve()).toBe(400);
  });

  it('refills over time up to the burst', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, { now: () => now });
    bucket.reserve();
    bucket.reserve();
    now = 10_000;
    expect([bucket.reserve(), bucket.reserve()]).toEqual([0, 0]);
    expect(bucket.reserve()).toBe(100);
  });

  it('rejects a bucket that could never hand out a token', () => {
    expect(() => new TokenBucket(0, 1)).toThrow(/qps > 0/);
  });
});
