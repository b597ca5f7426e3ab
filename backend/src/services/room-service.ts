// Answers GET /api/v1/capacity/room: which VM size peer pods get (peer-pods-cm's default size and
// allowed list, described by the cloud), the vCPU quotas that size counts against, and what the
// VM limits promise against them (contract/src/sizing.ts). The cloud is read with the backend's
// credentials and rarely: sizes are cached for an hour (they do not change), quotas and their use
// for a few minutes (every reader within that shares one reading; concurrent misses join one call).
import type { CapacityRoom, CapacitySnapshot, VcpuQuota, VmSize } from '@peer-pods-console/contract';
import { ADAPTOR_DEFAULT_SIZE, promisedVms, roomVerdict } from '@peer-pods-console/contract/sizing';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { CloudError, type CloudProvider, type VcpuQuotaReading, type VmSizeInfo } from '../cloud/provider.ts';
import type { CloudSettings } from '../cloud/settings.ts';
import type { ObjectRef } from '../kube/peer-pod-config-resolver.ts';
import { ServiceError } from './errors.ts';

export interface RoomServiceOptions {
  /** The cloud as the settings objects describe it now (CloudService.loadedCloud). */
  loadCloud: () => Promise<{ provider: CloudProvider; settings: CloudSettings; configMap: ObjectRef }>;
  /** The capacity model's snapshot: the limits promise what its advertising nodes sum to. */
  snapshot: () => Pick<CapacitySnapshot, 'nodes' | 'totals'>;
  logger: Logger;
  /** How long a size description serves (ms); default 1 h. */
  sizeTtlMs?: number;
  /** How long a quota reading serves (ms); default 5 min. */
  quotaTtlMs?: number;
  /** Told of every call to the cloud this service makes (the cost of the quota reads). */
  onCloudRead?: (read: 'sizes' | 'quotas') => void;
  now?: () => number;
}

interface SizeEntry {
  /** Undefined: the cloud does not know the name. */
  size: VmSizeInfo | undefined;
  at: number;
}

interface QuotaEntry {
  readings: VcpuQuotaReading[];
  at: number;
}

const HOUR = 3_600_000;

const sizeKey = (name: string): string => name.toLowerCase();

function toVmSize(size: VmSizeInfo): VmSize {
  return { name: size.name, vcpus: size.vcpus, memoryMiB: size.memoryMiB, gpus: size.gpus, quota: size.quota ?? null };
}

function toQuota(reading: VcpuQuotaReading): VcpuQuota {
  const known = reading.state === 'known' && reading.limit !== undefined && reading.used !== undefined;
  return {
    code: reading.code,
    name: reading.name,
    state: reading.state,
    limit: reading.limit ?? null,
    used: reading.used ?? null,
    free: known ? Math.max(0, reading.limit! - reading.used!) : null,
    permission: reading.permission ?? null,
    detail: reading.detail ?? null,
  };
}

function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof CloudError || err instanceof ServiceError) return { code: err.code, message: err.message };
  return { code: 'internal', message: 'the cloud could not be read; see the backend log' };
}

export class RoomService {
  private readonly sizes = new Map<string, SizeEntry>();
  private readonly quotas: LRUCache<string, QuotaEntry, VmSizeInfo>;
  /** The provider the caches belong to: new settings (a new provider) start them afresh. */
  private provider: CloudProvider | undefined;
  private sizeReads = new Map<string, Promise<void>>();

  constructor(private readonly options: RoomServiceOptions) {
    this.quotas = new LRUCache<string, QuotaEntry, VmSizeInfo>({
      max: 32,
      ttl: options.quotaTtlMs ?? 5 * 60_000,
      fetchMethod: async (_key, _stale, { context }) => {
        this.options.onCloudRead?.('quotas');
        const readings = await this.provider!.readVcpuQuotas(context);
        return { readings, at: this.now() };
      },
    });
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private adopt(provider: CloudProvider): void {
    if (this.provider === provider) return;
    this.provider = provider;
    this.sizes.clear();
    this.sizeReads.clear();
    this.quotas.clear();
  }

  /** vCPUs and memory of a size already described (the inventory's columns); never reads the cloud. */
  sizeOf(name: string): VmSizeInfo | undefined {
    return this.sizes.get(sizeKey(name))?.size;
  }

  /**
   * Describes the sizes not yet known (or known too long): one cloud call for all of them, joined
   * by concurrent callers asking for the same names.
   */
  async learnSizes(names: readonly string[], provider?: CloudProvider): Promise<void> {
    if (provider) this.adopt(provider);
    const current = this.provider;
    if (!current) return;
    const ttl = this.options.sizeTtlMs ?? HOUR;
    const wanted = [...new Set(names.filter(Boolean))];
    const stale = wanted.filter((name) => {
      const entry = this.sizes.get(sizeKey(name));
      return !entry || this.now() - entry.at >= ttl;
    });
    const missing = stale.filter((name) => !this.sizeReads.has(sizeKey(name)));
    if (missing.length > 0) {
      const read = (async () => {
        this.options.onCloudRead?.('sizes');
        const described = await current.describeSizes(missing);
        if (this.provider !== current) return;
        const at = this.now();
        const byKey = new Map(described.map((size) => [sizeKey(size.name), size]));
        for (const name of missing) this.sizes.set(sizeKey(name), { size: byKey.get(sizeKey(name)), at });
      })().finally(() => {
        for (const name of missing) this.sizeReads.delete(sizeKey(name));
      });
      for (const name of missing) this.sizeReads.set(sizeKey(name), read);
    }
    await Promise.all(stale.map((name) => this.sizeReads.get(sizeKey(name))).filter(Boolean));
  }

  /** The room; `fresh` reads the quotas again (the sizes keep their hour). */
  async room(options: { fresh?: boolean } = {}): Promise<CapacityRoom> {
    const snapshot = this.options.snapshot();
    const promised = promisedVms(snapshot.nodes);
    const used = snapshot.totals.used;
    const empty = (error: CapacityRoom['error'], partial: Partial<CapacityRoom> = {}): CapacityRoom => ({
      provider: null,
      region: null,
      fetchedAt: null,
      defaultSize: null,
      defaultSizeSource: null,
      allowedSizes: [],
      sizes: [],
      quotas: [],
      adaptorLimit: null,
      ...roomVerdict(promised, used, null, null),
      usedVms: used,
      vcpusPerVm: null,
      error,
      ...partial,
    });
    let loaded: Awaited<ReturnType<RoomServiceOptions['loadCloud']>>;
    try {
      loaded = await this.options.loadCloud();
    } catch (err) {
      return empty(errorOf(err));
    }
    const { provider, settings, configMap } = loaded;
    this.adopt(provider);
    const defaultSize = settings.sizes.defaultSize ?? ADAPTOR_DEFAULT_SIZE[settings.provider];
    const base: Partial<CapacityRoom> = {
      provider: settings.provider,
      defaultSize,
      defaultSizeSource: settings.sizes.defaultSize ? 'config-map' : 'adaptor-default',
      allowedSizes: settings.sizes.allowed,
      adaptorLimit: {
        namespace: configMap.namespace,
        name: configMap.name,
        text: settings.limitPerNode === undefined ? null : String(settings.limitPerNode),
        value: settings.limitPerNode ?? null,
      },
    };
    try {
      const region = await provider.region();
      const names = [defaultSize, ...settings.sizes.allowed];
      await this.learnSizes(names);
      const sizes = [...new Map(names.map((n) => [sizeKey(n), this.sizeOf(n)])).values()].filter(
        (size): size is VmSizeInfo => size !== undefined,
      );
      const chosen = this.sizeOf(defaultSize);
      let quotas: VcpuQuota[] = [];
      let fetchedAt = this.sizes.get(sizeKey(defaultSize))?.at;
      if (chosen) {
        const key = `${chosen.quota ?? `size:${sizeKey(chosen.name)}`}`;
        const entry = await this.quotas.fetch(key, { context: chosen, forceRefresh: options.fresh === true });
        quotas = (entry?.readings ?? []).map(toQuota);
        fetchedAt = entry?.at ?? fetchedAt;
      }
      const known = quotas.filter((q) => q.free !== null);
      const freeVcpus = known.length > 0 ? Math.min(...known.map((q) => q.free!)) : null;
      const vcpusPerVm = chosen?.vcpus ?? null;
      return {
        ...empty(null, base),
        region,
        fetchedAt: fetchedAt === undefined ? null : new Date(fetchedAt).toISOString(),
        sizes: sizes.map(toVmSize),
        quotas,
        ...roomVerdict(promised, used, vcpusPerVm, freeVcpus),
        usedVms: used,
        vcpusPerVm,
      };
    } catch (err) {
      const error = errorOf(err);
      this.options.logger.warn({ error }, 'could not read the VM sizes or vCPU quotas');
      return empty(error, base);
    }
  }
}
