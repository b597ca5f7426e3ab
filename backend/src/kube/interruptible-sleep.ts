// A sleep that stop() can cut short, shared by the loops that wait between retries (informer
// reconnects, leader-election renewals) so that shutting down never waits out a backoff.
export class InterruptibleSleep {
  private wakeCurrent: (() => void) | undefined;
  private interrupted = false;

  sleep(ms: number): Promise<void> {
    if (this.interrupted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeCurrent = done;
    }).then(() => {
      this.wakeCurrent = undefined;
    });
  }

  /** Ends the current sleep, and every later one at once. */
  interrupt(): void {
    this.interrupted = true;
    this.wakeCurrent?.();
  }
}
