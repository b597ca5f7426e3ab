// A work queue with client-go's guarantees, for level-triggered controllers:
// - a key is queued at most once however often it is added (dirty set);
// - a key is processed by one worker at a time; added again while processing, it is processed
//   once more after done() (so no change is lost and no two workers race on one object);
// - addRateLimited() retries a failed key after max(per-key exponential backoff, global token
//   bucket), so one broken object backs off alone while a storm of failures stays bounded;
// - addUrgent() puts a key ahead of every key added with add() (a value another writer just
//   changed, which the controller sets back first);
// - shutDown() wakes every waiting worker with `undefined`.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Token bucket: `qps` tokens per second, at most `burst` saved up. */
export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  private readonly clock: Pick<Clock, 'now'>;
  private tokens: number;
  private last: number;

  constructor(qps: number, burst: number, clock: Pick<Clock, 'now'> = realClock) {
    this.qps = qps;
    this.burst = burst;
    this.clock = clock;
    if (!(qps > 0) || !(burst >= 1))
      throw new Error(`token bucket needs qps > 0 and burst >= 1 (got ${qps}, ${burst})`);
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token now or in the future; returns how long to wait for it (ms). */
  reserve(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  /** Waits for a token. */
  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

export interface WorkQueueOptions {
  /** First retry delay of a failing key; doubled per failure. Default 100 ms. */
  baseDelayMs?: number;
  /** Cap of the per-key delay. Default 5 min. */
  maxDelayMs?: number;
  /** Global retry budget (token bucket). Default 20 per second, burst 200. */
  qps?: number;
  burst?: number;
  clock?: Clock;
}

export class WorkQueue<K extends string = string> {
  private readonly queue: K[] = [];
  private head = 0;
  /** Keys added with addUrgent(), served before `queue`. */
  private readonly urgent: K[] = [];
  /** Urgent keys being processed that were added again: done() queues them as urgent. */
  private readonly urgentAgain = new Set<K>();
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private readonly delayed = new Map<K, { at: number; handle: unknown }>();
  private readonly waiters: ((key: K | undefined) => void)[] = [];
  private readonly bucket: TokenBucket;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly clock: Clock;
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 300_000;
    this.bucket = new TokenBucket(options.qps ?? 20, options.burst ?? 200, this.clock);
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // done() queues it again
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.queue.push(key);
    }
  }

  /**
   * Adds the key ahead of every key added with add(), moving it forward if it already waits there.
   * O(queue length) when it does: meant for the rare key that cannot wait its turn.
   */
  addUrgent(key: K): void {
    if (this.shuttingDown) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      this.urgentAgain.add(key);
      return;
    }
    if (this.dirty.has(key)) {
      if (this.urgent.includes(key)) return;
      const index = this.queue.indexOf(key, this.head);
      if (index >= 0) this.queue.splice(index, 1);
      this.urgent.push(key);
      return;
    }
    this.dirty.add(key);
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.urgent.push(key);
    }
  }

  /** Adds the key after a delay; an earlier pending delay for the same key wins. */
  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + delayMs;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) this.clock.clearTimeout(pending.handle);
    const handle = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    (handle as { unref?: () => void })?.unref?.();
    this.delayed.set(key, { at, handle });
  }

  /** Retry after a failure: max(per-key exponential backoff, global token bucket). */
  addRateLimited(key: K): void {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    const perKey = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** failures);
    this.addAfter(key, Math.max(perKey, this.bucket.reserve()));
  }

  /** The key succeeded: its next failure starts from the base delay again. */
  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** Next key to process, or undefined once the queue is shut down. Call done(key) after. */
  get(): Promise<K | undefined> {
    const urgent = this.urgent.shift();
    if (urgent !== undefined) {
      this.dirty.delete(urgent);
      this.processing.add(urgent);
      return Promise.resolve(urgent);
    }
    if (this.head < this.queue.length) {
      const key = this.queue[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    const urgent = this.urgentAgain.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      if (urgent) this.addUrgent(key);
      else this.add(key);
    }
  }

  /** Keys waiting (not counting those being processed or delayed). */
  len(): number {
    return this.queue.length - this.head + this.urgent.length;
  }

  /** Nothing queued, processing or delayed. */
  idle(): boolean {
    return this.len() === 0 && this.processing.size === 0 && this.delayed.size === 0;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops accepting keys, drops delayed ones, and releases every waiting worker. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { handle } of this.delayed.values()) this.clock.clearTimeout(handle);
    this.delayed.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    this.queue.length = 0;
    this.head = 0;
    this.urgent.length = 0;
    this.urgentAgain.clear();
    this.dirty.clear();
  }
}
