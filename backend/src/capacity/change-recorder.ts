// Records limit and override changes made outside the console (`oc patch`, `oc annotate`, GitOps):
// when a PeerPodConfig's spec.limit or a node's override annotation changes and the field manager
// that owns the new value (managedFields) is not the console's, the leader records an Event
// "outside the console: <manager> changed … old → new", old from the informer's previous object.
// Changes made through the console are recorded by the API call itself, naming the user.
//
// Only the leader records, so two replicas never write the same change twice (and a new leader
// recording a change again continues the same Event: its name derives from the change).
//
// A removal leaves no owner behind (the API server drops a field from every manager), so it cannot
// be attributed from managedFields: the console's own removals are told apart by their Event,
// which names the object's resourceVersion after the write; a removal with no such Event after a
// short while is recorded as made outside the console by an unknown manager.
import { VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import { CONSOLE_FIELD_MANAGER } from '@peer-pods-console/contract/operations';
import type { Logger } from 'pino';
import type { KubeRequester } from '../kube/client.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { InformerHandlers } from '../kube/informer.ts';
import { changeEvent, limitChangeOf, type LimitChange } from './change-event.ts';
import type { CapacityInformers } from './informers.ts';
import type { FieldOwner, NodeView, PeerPodConfigView } from './objects.ts';

/** The actor named when a removal cannot be attributed. */
export const UNKNOWN_MANAGER = 'unknown field manager';

/** One watched value before and after an update. */
export interface ValueUpdate {
  old: string | null;
  new: string | null;
  /** Owners of the new value, newest first. */
  owners: readonly FieldOwner[] | undefined;
}

/**
 * Who changed a value, as far as managedFields say: nothing (unchanged), the console (recorded
 * already), a manager outside it (with when), or nobody can tell (a removal).
 */
export function attributeChange(
  update: ValueUpdate,
  consoleManager: string = CONSOLE_FIELD_MANAGER,
): { by: 'nobody' } | { by: 'console' } | { by: 'outside'; manager: string; at: string } | { by: 'unknown' } {
  if (update.old === update.new) return { by: 'nobody' };
  const owner = update.new === null ? undefined : update.owners?.[0];
  if (!owner) return { by: 'unknown' };
  if (owner.manager === consoleManager) return { by: 'console' };
  return { by: 'outside', manager: owner.manager, at: owner.time };
}

/**
 * When a change happened: managedFields keep whole seconds, so a change seen within two seconds
 * of its write takes the moment it was seen (the History orders it with the console's own
 * changes, which carry milliseconds); one seen later (a relist) keeps its write's time.
 */
export function preciseTime(written: string, seen: Date): string {
  const writtenMs = Date.parse(written);
  if (Number.isNaN(writtenMs)) return seen.toISOString();
  const lag = seen.getTime() - writtenMs;
  return lag >= 0 && lag < 2000 ? seen.toISOString() : written;
}

const textOf = (raw: unknown): string | null =>
  raw === undefined || raw === null ? null : typeof raw === 'string' ? raw : JSON.stringify(raw);

export interface ChangeRecorderOptions {
  recorder: Pick<EventRecorder, 'event'>;
  isLeader: () => boolean;
  logger: Logger;
  /** The annotation the override lives in. */
  overrideAnnotation: string;
  /** The Events of one object and reason, read with the backend's own identity (to find the console's removals). */
  listEvents: (
    namespace: string,
    reason: string,
    objectName: string,
  ) => Promise<{ metadata?: { annotations?: Record<string, string> } }[]>;
  /** How long to wait for the console's Event of a removal, try by try; default 0.5, 1, 2, 4 and 8 s. */
  removalWaitsMs?: readonly number[];
  now?: () => Date;
}

export class ChangeRecorder {
  private readonly options: ChangeRecorderOptions;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(options: ChangeRecorderOptions) {
    this.options = options;
  }

  nodeHandlers(): InformerHandlers<NodeView> {
    const key = this.options.overrideAnnotation;
    return {
      update: (before, after) =>
        this.observe(
          'override',
          { name: after.metadata.name, uid: after.metadata.uid },
          after.metadata.name,
          after.metadata.resourceVersion,
          {
            old: textOf(before.metadata.annotations[key]),
            new: textOf(after.metadata.annotations[key]),
            owners: after.overrideOwners,
          },
        ),
    };
  }

  configHandlers(): InformerHandlers<PeerPodConfigView> {
    return {
      update: (before, after) => {
        const { name, namespace, uid, resourceVersion } = after.metadata;
        this.observe('limit', { name, namespace, uid }, `${namespace}/${name}`, resourceVersion, {
          old: textOf(before.limit),
          new: textOf(after.limit),
          owners: after.limitOwners,
        });
      },
    };
  }

  /** Ends the waits for removals still unattributed. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private observe(
    kind: LimitChange['kind'],
    object: { name: string; namespace?: string; uid?: string },
    target: string,
    resourceVersion: string,
    update: ValueUpdate,
  ): void {
    if (this.stopped || !this.options.isLeader()) return;
    const who = attributeChange(update);
    if (who.by === 'nobody' || who.by === 'console') return;
    const now = this.options.now?.() ?? new Date();
    const change = (actor: string, at: string): LimitChange => ({
      kind,
      actor,
      via: 'outside',
      target,
      old: update.old,
      new: update.new,
      at: preciseTime(at, now),
      resourceVersion,
    });
    if (who.by === 'outside') {
      this.record(change(who.manager, who.at), object);
      return;
    }
    void this.awaitConsoleEvent(change(UNKNOWN_MANAGER, ''), object);
  }

  private record(change: LimitChange, object: { name: string; namespace?: string; uid?: string }): void {
    const event = changeEvent(change, object);
    this.options.logger.info({ change: { ...change, resourceVersion: undefined } }, event.message);
    this.options.recorder.event(event.ref, 'Normal', event.reason, event.message, { annotations: event.annotations });
  }

  /** A removal: recorded unless the console's Event of the same write shows up meanwhile. */
  private async awaitConsoleEvent(
    change: LimitChange,
    object: { name: string; namespace?: string; uid?: string },
  ): Promise<void> {
    const { reason, ref } = changeEvent(change, object);
    const namespace = ref.namespace || 'default';
    let read = false;
    for (const waitMs of this.options.removalWaitsMs ?? [500, 1000, 2000, 4000, 8000]) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, waitMs);
        this.timers.add(timer);
      });
      if (this.stopped) return;
      try {
        const events = await this.options.listEvents(namespace, reason, object.name);
        read = true;
        const byConsole = events.some((event) => {
          const recorded = limitChangeOf(event.metadata?.annotations);
          return recorded?.via === 'console' && recorded.resourceVersion === change.resourceVersion;
        });
        if (byConsole) return;
      } catch (err) {
        this.options.logger.warn({ err: (err as Error).message, target: change.target }, 'could not read Events');
      }
    }
    if (this.stopped || !this.options.isLeader()) return;
    if (!read) {
      // Without the Events there is no telling the console's removal from another's: say nothing rather than wrong.
      this.options.logger.warn(
        { target: change.target, kind: change.kind },
        'a removal was not recorded: its Events could not be read',
      );
      return;
    }
    this.record(change, object);
  }
}

/** Hooks a ChangeRecorder to the node and PeerPodConfig informers; its Events are read with `client`. */
export function recordOutsideChanges(options: {
  client: KubeRequester;
  informers: Pick<CapacityInformers, 'nodes' | 'configs'>;
  recorder: Pick<EventRecorder, 'event'>;
  isLeader: () => boolean;
  logger: Logger;
}): ChangeRecorder {
  const { client, informers } = options;
  const changes = new ChangeRecorder({
    ...options,
    overrideAnnotation: VM_LIMIT_OVERRIDE_ANNOTATION,
    listEvents: async (namespace, reason, objectName) => {
      const list = await client.request<{ items?: { metadata?: { annotations?: Record<string, string> } }[] }>({
        method: 'GET',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
        query: { fieldSelector: `reason=${reason},involvedObject.name=${objectName}` },
      });
      return list.items ?? [];
    },
  });
  informers.nodes.addHandlers(changes.nodeHandlers());
  informers.configs.addHandlers(changes.configHandlers());
  return changes;
}
