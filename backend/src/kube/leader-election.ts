// Leader election on a coordination.k8s.io/v1 Lease, after client-go's leaderelection package:
// - a candidate takes the lease when it is free (no holder) or its holder has not renewed it for
//   leaseDuration, measured on this process's clock from when this process last saw it change
//   (so clock skew between replicas does not matter);
// - every write carries the resourceVersion read, so of two candidates only one wins (409);
// - the leader renews every retryPeriod and gives up leading when it could not renew for
//   renewDeadline (< leaseDuration, so it stops before anyone else may start);
// - on graceful stop the leader releases the lease (empty holder), so another replica takes
//   over at its next retry instead of waiting out the lease.
import type { Logger } from 'pino';
import { isConflict, isNotFound, KubeApiError, microTime, type KubeClient } from './client.ts';
import { InterruptibleSleep } from './interruptible-sleep.ts';

export interface LeaderElectionOptions {
  client: KubeClient;
  logger: Logger;
  namespace: string;
  name: string;
  /** Unique per replica, e.g. the pod name plus a random suffix. */
  identity: string;
  /** Default 15 s. */
  leaseDurationMs?: number;
  /** Default 10 s. */
  renewDeadlineMs?: number;
  /** Default 2 s. */
  retryPeriodMs?: number;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  /** Called when the observed holder changes (including to this replica). */
  onNewLeader?(identity: string | undefined): void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: LeaseSpec;
}

const JITTER_FACTOR = 1.2;

export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly log: Logger;
  private readonly path: string;
  private observed: Lease | undefined;
  private observedRaw = '';
  private observedAt = 0;
  private lastRenewAt = 0;
  private leading = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly sleeper = new InterruptibleSleep();
  private reportedLeader: string | undefined = undefined;
  private readonly options: LeaderElectionOptions;

  constructor(options: LeaderElectionOptions) {
    this.options = options;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.leaseDurationMs <= this.renewDeadlineMs) {
      throw new Error('leader election: leaseDuration must be greater than renewDeadline');
    }
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) {
      throw new Error('leader election: renewDeadline must be greater than retryPeriod × 1.2');
    }
    this.log = options.logger.child({ lease: `${options.namespace}/${options.name}`, identity: options.identity });
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(options.namespace)}/leases`;
  }

  get identity(): string {
    return this.options.identity;
  }

  /**
   * True while this replica holds a lease it renewed within renewDeadline. Checked before each
   * write, so a leader whose renewals hang stops writing on time even before its loop notices.
   */
  isLeader(): boolean {
    return this.leading && Date.now() - this.lastRenewAt < this.renewDeadlineMs;
  }

  /** The holder this replica last observed. */
  leader(): string | undefined {
    return this.observed?.spec.holderIdentity || undefined;
  }

  start(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.run().catch((err: unknown) => this.log.error({ err }, 'leader election loop ended unexpectedly'));
  }

  /**
   * Stops campaigning. With release (the default) a leader hands the lease back at once;
   * without it the lease simply expires, as when the process dies.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.sleeper.interrupt();
    await this.loop;
    const wasLeading = this.leading;
    if (wasLeading) this.stopLeading();
    if (wasLeading && options.release !== false) await this.release();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      // Campaign.
      while (!this.stopped && !(await this.tryAcquireOrRenew())) {
        await this.sleep(this.retryPeriodMs * (1 + Math.random() * JITTER_FACTOR));
      }
      if (this.stopped) return;
      this.leading = true;
      this.log.info('started leading');
      this.safely(() => this.options.onStartedLeading());
      // Renew until a renewal round fails for renewDeadline.
      while (!this.stopped) {
        await this.sleep(this.retryPeriodMs);
        if (this.stopped) return;
        if (!(await this.renewWithinDeadline())) {
          this.log.warn(
            { renewDeadlineMs: this.renewDeadlineMs },
            'could not renew the lease in time; stopped leading',
          );
          this.stopLeading();
          break;
        }
      }
    }
  }

  private async renewWithinDeadline(): Promise<boolean> {
    const deadline = Date.now() + this.renewDeadlineMs;
    while (!this.stopped && Date.now() < deadline) {
      if (await this.tryAcquireOrRenew(deadline - Date.now())) return true;
      if (!this.leading || this.leader() !== this.options.identity) return false; // someone else holds it now
      await this.sleep(Math.min(this.retryPeriodMs, Math.max(0, deadline - Date.now())));
    }
    return false;
  }

  private stopLeading(): void {
    if (!this.leading) return;
    this.leading = false;
    this.safely(() => this.options.onStoppedLeading());
  }

  /** One round: read the lease, and take or renew it when allowed. True when this replica holds it now. */
  private async tryAcquireOrRenew(timeoutMs = this.retryPeriodMs * 2): Promise<boolean> {
    const { client, identity, namespace, name } = this.options;
    const now = new Date();
    const timeout = Math.max(500, Math.min(timeoutMs, this.renewDeadlineMs));
    let current: Lease | undefined;
    try {
      current = await client.request<Lease>({
        method: 'GET',
        path: `${this.path}/${encodeURIComponent(name)}`,
        timeoutMs: timeout,
      });
    } catch (err) {
      if (!isNotFound(err)) {
        this.log.debug({ err: (err as Error).message }, 'could not read the lease');
        return false;
      }
    }
    if (!current) {
      const lease: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: this.spec(identity, now, now, 0),
      };
      try {
        const created = await client.request<Lease>({
          method: 'POST',
          path: this.path,
          body: lease,
          timeoutMs: timeout,
        });
        this.observe(created, Date.now());
        this.lastRenewAt = now.getTime();
        return true;
      } catch (err) {
        this.log.debug({ err: (err as Error).message }, 'could not create the lease');
        return false;
      }
    }

    const raw = JSON.stringify(current.spec ?? {});
    if (raw !== this.observedRaw) this.observe(current, now.getTime());
    const holder = current.spec?.holderIdentity ?? '';
    const heldByOther = holder !== '' && holder !== identity;
    if (heldByOther && this.observedAt + this.leaseDurationMs > now.getTime()) return false;

    const spec =
      holder === identity
        ? this.spec(identity, parseTime(current.spec.acquireTime) ?? now, now, current.spec.leaseTransitions ?? 0)
        : this.spec(identity, now, now, (current.spec?.leaseTransitions ?? 0) + 1);
    try {
      const updated = await client.request<Lease>({
        method: 'PUT',
        path: `${this.path}/${encodeURIComponent(name)}`,
        body: { ...current, spec } satisfies Lease,
        timeoutMs: timeout,
      });
      this.observe(updated, Date.now());
      this.lastRenewAt = now.getTime();
      return true;
    } catch (err) {
      if (!isConflict(err)) this.log.debug({ err: (err as Error).message }, 'could not update the lease');
      return false;
    }
  }

  private async release(): Promise<void> {
    const { client, name } = this.options;
    const current = this.observed;
    if (!current || current.spec.holderIdentity !== this.options.identity) return;
    const now = new Date();
    try {
      await client.request<Lease>({
        method: 'PUT',
        path: `${this.path}/${encodeURIComponent(name)}`,
        body: {
          ...current,
          spec: {
            leaseDurationSeconds: 1,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: current.spec.leaseTransitions ?? 0,
          },
        } satisfies Lease,
        timeoutMs: 5_000,
      });
      this.log.info('released the lease');
    } catch (err) {
      // Not fatal: the lease expires on its own after leaseDuration.
      this.log.warn({ err: err instanceof KubeApiError ? err.message : String(err) }, 'could not release the lease');
    }
  }

  private spec(holder: string, acquired: Date, renewed: Date, transitions: number): LeaseSpec {
    return {
      holderIdentity: holder,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: microTime(acquired),
      renewTime: microTime(renewed),
      leaseTransitions: transitions,
    };
  }

  private observe(lease: Lease, at: number): void {
    this.observed = lease;
    this.observedRaw = JSON.stringify(lease.spec ?? {});
    this.observedAt = at;
    const holder = lease.spec?.holderIdentity || undefined;
    if (holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      if (this.options.onNewLeader) this.safely(() => this.options.onNewLeader!(holder));
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.sleeper.sleep(ms);
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, 'leader election callback threw');
    }
  }
}

function parseTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
