// Readiness is the conjunction of named conditions that components report (informers synced,
// serving certificate loaded, …). /readyz answers 503 and names what is not ready yet.
export class Readiness {
  private readonly conditions = new Map<string, { ready: boolean; detail: string }>();
  private shuttingDown = false;

  /** Declares a condition, initially not ready. */
  register(name: string, detail = 'starting'): void {
    this.conditions.set(name, { ready: false, detail });
  }

  set(name: string, ready: boolean, detail = ready ? 'ok' : 'not ready'): void {
    this.conditions.set(name, { ready, detail });
  }

  /** Called on SIGTERM so that load balancers stop sending new requests. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  report(): { ready: boolean; checks: Record<string, { ready: boolean; detail: string }> } {
    const checks = Object.fromEntries(this.conditions);
    if (this.shuttingDown) checks['shutdown'] = { ready: false, detail: 'the server is shutting down' };
    return { ready: Object.values(checks).every((c) => c.ready), checks };
  }
}
