// Prometheus metrics of the cloud side: the peer-pod VMs of the last inventory by ownership
// (orphans: claimed by no pod or PeerPod and older than the grace period), dangling PeerPods, and
// the cloud API errors every provider call met, by operation. The gauges read the last inventory
// when Prometheus scrapes, and age it to the scrape's time: a VM whose grace period ran out since
// the inventory counts as an orphan at once. The error counter is fed by observeCloudErrors(), the
// one wrapper every CloudProvider passes through (create-provider.ts).
import { Counter, Gauge, type Registry } from 'prom-client';
import { CloudError, type CloudErrorCode, type CloudProvider, type CloudProviderName } from './provider.ts';
import type { InventoryReport } from './inventory.ts';

/** A failed provider call: the cloud API operation (or the provider method) and the error's code. */
export interface CloudCallFailure {
  provider: CloudProviderName;
  operation: string;
  code: CloudErrorCode;
}

export interface CloudMetrics {
  /** Counts one failed provider call. */
  recordError(failure: CloudCallFailure): void;
  /** Hands the gauges the newest inventory. */
  setInventory(report: InventoryReport): void;
  /** Counts one reading of VM sizes or vCPU quotas from the cloud (the room service's cache misses). */
  recordRoomRead(read: 'sizes' | 'quotas'): void;
}

export interface CloudMetricsOptions {
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

/** Orphans as of now: the report's, plus unclaimed VMs whose grace period has run out since. */
export function inventoryCounts(report: InventoryReport, now: number): { orphan: number; unclaimed: number } {
  let orphan = 0;
  let unclaimed = 0;
  for (const entry of report.vms) {
    if (entry.ownership === 'orphan') orphan += 1;
    else if (entry.ownership === 'unclaimed') {
      const after = entry.orphanAfter === undefined ? NaN : Date.parse(entry.orphanAfter);
      if (!Number.isNaN(after) && after <= now) orphan += 1;
      else unclaimed += 1;
    }
  }
  return { orphan, unclaimed };
}

export function createCloudMetrics(registry: Registry, options: CloudMetricsOptions = {}): CloudMetrics {
  const registers = [registry];
  const now = options.now ?? Date.now;
  let report: InventoryReport | undefined;
  const errors = new Counter({
    name: 'peerpods_cloud_api_errors_total',
    help: 'Cloud API calls that failed, by provider, operation (the cloud API, e.g. DescribeInstances) and error code',
    labelNames: ['provider', 'operation', 'code'],
    registers,
  });
  // Labelled by the cloud, so that before the first inventory a gauge has no sample at all (a
  // gauge without labels always shows 0): "unknown" must not read as "none".
  const fromReport = (name: string, help: string, value: (r: InventoryReport, at: number) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['provider'],
      registers,
      collect() {
        this.reset();
        if (report) this.set({ provider: report.provider }, value(report, now()));
      },
    });
  fromReport('peerpods_cloud_vms', "This cluster's peer-pod VMs in the last cloud inventory", (r) => r.vms.length);
  fromReport(
    'peerpods_cloud_orphan_vms',
    'Peer-pod VMs no pod and no PeerPod claims, older than the orphan grace period (ORPHAN_GRACE_SECONDS)',
    (r, at) => inventoryCounts(r, at).orphan,
  );
  fromReport(
    'peerpods_cloud_unclaimed_vms',
    'Peer-pod VMs no pod and no PeerPod claims yet, still within the orphan grace period',
    (r, at) => inventoryCounts(r, at).unclaimed,
  );
  fromReport(
    'peerpods_cloud_dangling_peerpods',
    'PeerPod objects whose VM the cloud no longer lists',
    (r) => r.dangling.length,
  );
  fromReport(
    'peerpods_cloud_inventory_timestamp_seconds',
    'When the last cloud inventory was taken (Unix time)',
    (r) => Date.parse(r.generatedAt) / 1000,
  );
  fromReport('peerpods_cloud_orphan_grace_seconds', 'The orphan grace period', (r) => r.gracePeriodMs / 1000);
  const roomReads = new Counter({
    name: 'peerpods_cloud_room_reads_total',
    help: 'Readings of VM sizes or vCPU quotas from the cloud for the capacity room (cache misses), by what was read',
    labelNames: ['read'],
    registers,
  });
  return {
    recordError: ({ provider, operation, code }) => errors.inc({ provider, operation, code }),
    recordRoomRead: (read) => roomReads.inc({ read }),
    setInventory: (next) => {
      report = next;
    },
  };
}

/** Operation names are constants in the providers; anything else falls back to the method. */
const OPERATION = /^[A-Za-z][\w.-]{0,63}$/;

function failureOf(provider: CloudProviderName, method: string, error: unknown): CloudCallFailure {
  if (error instanceof CloudError) {
    const operation = error.operation && OPERATION.test(error.operation) ? error.operation : method;
    return { provider: error.provider ?? provider, operation, code: error.code };
  }
  return { provider, operation: method, code: 'unknown' };
}

/**
 * The provider with every method observed: a call that throws or rejects is reported (then the
 * error goes on to the caller unchanged). A Proxy, so that methods added to CloudProvider later
 * are observed without a change here.
 */
export function observeCloudErrors(
  provider: CloudProvider,
  onFailure: (failure: CloudCallFailure) => void,
): CloudProvider {
  const report = (method: string, error: unknown) => {
    try {
      onFailure(failureOf(provider.name, method, error));
    } catch {
      // Counting must never change what the caller sees.
    }
  };
  return new Proxy(provider, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => unknown;
      return function observed(...args: unknown[]): unknown {
        let result: unknown;
        try {
          result = method.apply(target, args);
        } catch (error) {
          report(property, error);
          throw error;
        }
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            report(property, error);
            throw error;
          });
        }
        return result;
      };
    },
  });
}
