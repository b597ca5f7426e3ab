// Readiness of this replica, as /readyz on the health port reports it. Gating conditions decide
// whether the pod is Ready, which is what puts it behind its Services — the webhook's as well as
// the API's — so only what every port needs may gate: the ports listening, not shutting down.
// Informational conditions (the informer caches) are reported with their detail but never gate:
// the webhook uses none of them, and the API routes that read a cache still loading answer 503.
export interface ReadinessCheck {
  ready: boolean;
  detail: string;
}

export interface ReadinessReport {
  /** Every gating check holds: the replica may receive traffic. */
  ready: boolean;
  /** Gating checks. */
  checks: Record<string, ReadinessCheck>;
  /** Reported, never gating. */
  informational: Record<string, ReadinessCheck>;
}

/** Where a component reports its conditions (the capacity controller's ReadinessReporter). */
export interface ReadinessReporter {
  register(name: string, detail?: string): void;
  set(name: string, ready: boolean, detail?: string): void;
}

export class Readiness implements ReadinessReporter {
  private readonly conditions = new Map<string, ReadinessCheck & { gating: boolean }>();
  private shuttingDown = false;

  /** Declares a condition, initially not ready; gating unless said otherwise. */
  register(name: string, detail = 'starting', options: { gating?: boolean } = {}): void {
    this.conditions.set(name, { ready: false, detail, gating: options.gating ?? true });
  }

  /** Updates a condition; one not registered before is gating. */
  set(name: string, ready: boolean, detail = ready ? 'ok' : 'not ready'): void {
    this.conditions.set(name, { ready, detail, gating: this.conditions.get(name)?.gating ?? true });
  }

  /** A reporter whose conditions are informational: reported, never gating. */
  informational(): ReadinessReporter {
    return {
      register: (name, detail) => this.register(name, detail, { gating: false }),
      set: (name, ready, detail) => {
        if (!this.conditions.has(name)) this.register(name, detail, { gating: false });
        this.set(name, ready, detail);
      },
    };
  }

  /** Called on SIGTERM so that load balancers stop sending new requests. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  report(): ReadinessReport {
    const checks: Record<string, ReadinessCheck> = {};
    const informational: Record<string, ReadinessCheck> = {};
    for (const [name, { ready, detail, gating }] of this.conditions) {
      (gating ? checks : informational)[name] = { ready, detail };
    }
    if (this.shuttingDown) checks['shutdown'] = { ready: false, detail: 'the server is shutting down' };
    return { ready: Object.values(checks).every((c) => c.ready), checks, informational };
  }
}
