// Changes the VM limit — a PeerPodConfig's spec.limit, a node's override annotation — as the
// signed-in user: every read and write carries the user's own token (no impersonation, none of the
// backend's privileges), so whether the user may is the API server's decision and its refusal is
// passed on as it came. A change the API server accepted is recorded as an Event naming the user,
// old → new, written with the backend's own identity (users need not be allowed to create Events).
//
// Between reading the old value and writing the new one someone else may write: the JSON Patch
// first tests that the value is still the one read (or, when there was none, that the object is
// unchanged), so a concurrent change is refused as a conflict instead of being overwritten and
// the Event's "old" is always what the write replaced.
import type { ConfigRef, LimitChangeResult } from '@peer-pods-console/contract';
import { checkLimit, MAX_LIMIT, VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import { CONSOLE_FIELD_MANAGER } from '@peer-pods-console/contract/operations';
import { ADAPTOR_LIMIT_KEY } from '@peer-pods-console/contract/sizing';
import type { Logger } from 'pino';
import { changeEvent, type LimitChange } from '../capacity/change-event.ts';
import { KubeApiError, type BearerToken, type KubeRequester } from '../kube/client.ts';
import type { EventRecorder, ObjectReference } from '../kube/events.ts';
import { ApiServerRefusedError, InvalidValueError } from './errors.ts';
import { refusalOf } from './refusal.ts';
import type { Actor, LimitChangeService } from './types.ts';

export interface LimitServiceOptions {
  /** The backend's client; only its `asUser` is used here. */
  client: { asUser(token: BearerToken): KubeRequester };
  /** Records with the backend's own identity. */
  recorder: Pick<EventRecorder, 'event'>;
  logger: Logger;
  now?: () => Date;
}

interface KubeObject {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
}

type PatchOperation = { op: 'test' | 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

/** Where one value lives in an object, and how it reads. */
interface ValueLocation {
  kind: LimitChange['kind'];
  field: 'limit' | 'override';
  /** What the user reads in messages, e.g. `the limit of PeerPodConfig ns/name`. */
  description: string;
  target: string;
  path: string;
  /** The value's JSON Pointer and its parent map's. */
  pointer: string;
  parent: string;
  key: string;
  /** The value as found: a string, null when absent (anything else is shown as its JSON). */
  read(object: KubeObject): { raw: unknown; text: string | null };
  hasParent(object: KubeObject): boolean;
  /**
   * The Event of a change that is not a VM limit the History lists (PEERPODS_LIMIT_PER_NODE in the
   * ConfigMap): about which object, its reason and sentence. Absent: the limit/override Event.
   */
  event?: (
    old: string | null,
    wanted: string | null,
    actor: string,
  ) => { ref: ObjectReference; reason: string; message: string };
}

/** The ConfigMap the cloud-api-adaptor reads when the PeerPodConfig names none (the operator's default). */
const DEFAULT_CONFIG_MAP = 'peer-pods-cm';

/** Reason of the Event that records a console change of PEERPODS_LIMIT_PER_NODE. */
export const ADAPTOR_LIMIT_EVENT_REASON = 'AdaptorLimitChanged';

/** RFC 6901: `~` is written `~0`, `/` is written `~1`. */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

const textOf = (raw: unknown): string | null =>
  raw === undefined || raw === null ? null : typeof raw === 'string' ? raw : JSON.stringify(raw);

/** The API server's answer to a JSON Patch whose test operation failed (evanphx/json-patch). */
function isFailedTest(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 422 && /test(ing value .*)? failed/i.test(err.detail);
}

/** Whole numbers from 0 to MAX_LIMIT, as the reconciler accepts them; the field is named. */
function checkedValue(field: 'limit' | 'override', value: number): string {
  const check = checkLimit(String(value));
  if (check.ok) return String(check.value);
  const fix = `enter a whole number from 0 to ${MAX_LIMIT}`;
  if (check.problem === 'too-large') {
    throw new InvalidValueError(
      field,
      `${field} ${value} is more than ${MAX_LIMIT}, the most VMs a node can run (a node runs no more pods than its pod capacity); ${fix}`,
    );
  }
  throw new InvalidValueError(field, `${field} ${value} is not a VM limit; ${fix}`);
}

/**
 * The patch that sets (or, with null, removes) the value: a test that it is still `old` (or, when
 * there was none, that the object is unchanged), then the smallest write; other keys stay.
 */
export function changePatch(
  location: Pick<ValueLocation, 'pointer' | 'parent' | 'key'>,
  found: { raw: unknown; text: string | null; resourceVersion: string; hasParent: boolean },
  wanted: string | null,
): PatchOperation[] {
  const guard: PatchOperation =
    found.text !== null
      ? { op: 'test', path: location.pointer, value: found.raw }
      : { op: 'test', path: '/metadata/resourceVersion', value: found.resourceVersion };
  if (wanted === null) return [guard, { op: 'remove', path: location.pointer }];
  if (found.text !== null) return [guard, { op: 'replace', path: location.pointer, value: wanted }];
  if (found.hasParent) return [guard, { op: 'add', path: location.pointer, value: wanted }];
  return [guard, { op: 'add', path: location.parent, value: { [location.key]: wanted } }];
}

/** A conflicting writer gets this many fresh tries when the object changed but the value did not. */
const ATTEMPTS = 3;

export class LimitService implements LimitChangeService {
  private readonly options: LimitServiceOptions;

  constructor(options: LimitServiceOptions) {
    this.options = options;
  }

  /**
   * Sets the PeerPodConfig's limit; with `syncConfigMap`, then also PEERPODS_LIMIT_PER_NODE in the
   * ConfigMap it names (the cloud-api-adaptor's own per-node limit), each as the user, each its own
   * guarded write and Event. The limit is written first: when the ConfigMap write is refused, the
   * limit stays saved and the refusal says so.
   */
  async changeLimit(
    config: ConfigRef,
    limit: number,
    actor: Actor,
    options: { syncConfigMap?: boolean } = {},
  ): Promise<LimitChangeResult> {
    const result = await this.changeConfigLimit(config, limit, actor);
    if (!options.syncConfigMap || result.new === null) return result;
    const kube = this.options.client.asUser(actor.token);
    const peerPodConfig = await this.read(kube, this.configLocation(config));
    const configMapName =
      typeof peerPodConfig.spec?.configMapName === 'string' && peerPodConfig.spec.configMapName
        ? peerPodConfig.spec.configMapName
        : DEFAULT_CONFIG_MAP;
    const ref = { namespace: config.namespace, name: configMapName };
    try {
      const synced = await this.change(this.adaptorLimitLocation(ref, peerPodConfig), result.new, actor);
      return { ...result, configMap: { ...ref, old: synced.old, new: result.new } };
    } catch (err) {
      if (err instanceof ApiServerRefusedError) {
        throw new ApiServerRefusedError(
          err.refusal,
          `The limit was saved (${result.old ?? 'none'} → ${result.new}), but ${ADAPTOR_LIMIT_KEY} in ConfigMap ${ref.namespace}/${ref.name} was not: ${err.message}`,
          'syncConfigMap',
        );
      }
      throw err;
    }
  }

  private adaptorLimitLocation(ref: ConfigRef, peerPodConfig: KubeObject): ValueLocation {
    const target = `${ref.namespace}/${ref.name}`;
    return {
      kind: 'limit',
      field: 'limit',
      description: `${ADAPTOR_LIMIT_KEY} of ConfigMap ${target}`,
      target,
      path: `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/configmaps/${encodeURIComponent(ref.name)}`,
      pointer: `/data/${pointerToken(ADAPTOR_LIMIT_KEY)}`,
      parent: '/data',
      key: ADAPTOR_LIMIT_KEY,
      read: (object) => {
        const raw = (object as { data?: Record<string, unknown> }).data?.[ADAPTOR_LIMIT_KEY];
        return { raw, text: textOf(raw) };
      },
      hasParent: (object) => {
        const data = (object as { data?: unknown }).data;
        return data !== undefined && data !== null;
      },
      // Recorded on the PeerPodConfig, beside its limit's own Event.
      event: (old, wanted, user) => ({
        ref: {
          apiVersion: 'confidentialcontainers.org/v1alpha1',
          kind: 'PeerPodConfig',
          namespace: peerPodConfig.metadata?.namespace,
          name: peerPodConfig.metadata?.name ?? '',
          uid: peerPodConfig.metadata?.uid,
        },
        reason: ADAPTOR_LIMIT_EVENT_REASON,
        message: `${user} changed ${ADAPTOR_LIMIT_KEY} in ConfigMap ${target}: ${old ?? 'none'} → ${wanted ?? 'none'}`,
      }),
    };
  }

  private configLocation(config: ConfigRef): ValueLocation {
    const target = `${config.namespace}/${config.name}`;
    return {
      kind: 'limit',
      field: 'limit',
      description: `the limit of PeerPodConfig ${target}`,
      target,
      path: `/apis/confidentialcontainers.org/v1alpha1/namespaces/${encodeURIComponent(config.namespace)}/peerpodconfigs/${encodeURIComponent(config.name)}`,
      pointer: '/spec/limit',
      parent: '/spec',
      key: 'limit',
      read: (object) => ({ raw: object.spec?.limit, text: textOf(object.spec?.limit) }),
      hasParent: (object) => object.spec !== undefined && object.spec !== null,
    };
  }

  private async changeConfigLimit(config: ConfigRef, limit: number, actor: Actor): Promise<LimitChangeResult> {
    const wanted = checkedValue('limit', limit);
    return this.change(this.configLocation(config), wanted, actor);
  }

  async changeOverride(node: string, override: number | null, actor: Actor): Promise<LimitChangeResult> {
    const wanted = override === null ? null : checkedValue('override', override);
    return this.change(
      {
        kind: 'override',
        field: 'override',
        description: `the VM limit override of node ${node}`,
        target: node,
        path: `/api/v1/nodes/${encodeURIComponent(node)}`,
        pointer: `/metadata/annotations/${pointerToken(VM_LIMIT_OVERRIDE_ANNOTATION)}`,
        parent: '/metadata/annotations',
        key: VM_LIMIT_OVERRIDE_ANNOTATION,
        read: (object) => {
          const raw = object.metadata?.annotations?.[VM_LIMIT_OVERRIDE_ANNOTATION];
          return { raw, text: textOf(raw) };
        },
        hasParent: (object) => object.metadata?.annotations !== undefined && object.metadata.annotations !== null,
      },
      wanted,
      actor,
    );
  }

  private async change(location: ValueLocation, wanted: string | null, actor: Actor): Promise<LimitChangeResult> {
    const kube = this.options.client.asUser(actor.token);
    for (let attempt = 1; ; attempt += 1) {
      const object = await this.read(kube, location);
      const found = location.read(object);
      if (found.text === wanted) return { target: location.target, old: found.text, new: wanted, event: null };
      const patch = changePatch(
        location,
        { ...found, resourceVersion: object.metadata?.resourceVersion ?? '', hasParent: location.hasParent(object) },
        wanted,
      );
      let written: KubeObject;
      try {
        written = await kube.request<KubeObject>({
          method: 'PATCH',
          path: location.path,
          query: { fieldManager: CONSOLE_FIELD_MANAGER },
          contentType: 'application/json-patch+json',
          body: patch,
        });
      } catch (err) {
        if (isFailedTest(err)) {
          // Only the object moved on (there was no value to test): read again and retry.
          if (found.text === null && attempt < ATTEMPTS) continue;
          throw await this.conflict(kube, location, found.text, wanted);
        }
        throw refusalOf(err, location.field) ?? err;
      }
      return this.record(location, written, found.text, wanted, actor);
    }
  }

  private async read(kube: KubeRequester, location: ValueLocation): Promise<KubeObject> {
    try {
      return await kube.request<KubeObject>({ method: 'GET', path: location.path });
    } catch (err) {
      throw refusalOf(err, location.field) ?? err;
    }
  }

  /** Someone else changed the value between our read and our write: say what it is now. */
  private async conflict(
    kube: KubeRequester,
    location: ValueLocation,
    old: string | null,
    wanted: string | null,
  ): Promise<ApiServerRefusedError> {
    let now = 'changed';
    try {
      const text = location.read(await this.read(kube, location)).text;
      now = text === null ? 'now none' : `now ${text}`;
    } catch {
      // The conflict is the news; what the value is now, the next read shows.
    }
    return new ApiServerRefusedError(
      'conflict',
      `${location.description} changed while yours was being saved (it was ${old ?? 'none'}, it is ${now}); nothing was written. Look at the new value and save ${wanted ?? 'the removal'} again if you still want it.`,
      location.field,
    );
  }

  private record(
    location: ValueLocation,
    written: KubeObject,
    old: string | null,
    wanted: string | null,
    actor: Actor,
  ): LimitChangeResult {
    const change: LimitChange = {
      kind: location.kind,
      actor: actor.user.username,
      via: 'console',
      target: location.target,
      old,
      new: wanted,
      at: (this.options.now?.() ?? new Date()).toISOString(),
      resourceVersion: written.metadata?.resourceVersion ?? '',
    };
    const meta = written.metadata ?? {};
    if (location.event) {
      const other = location.event(old, wanted, actor.user.username);
      this.options.logger.info(
        { audit: { ...change, target: location.description, resourceVersion: undefined } },
        other.message,
      );
      const recorded = this.options.recorder.event(other.ref, 'Normal', other.reason, other.message);
      return { target: location.target, old, new: wanted, event: recorded };
    }
    const event = changeEvent(change, { name: meta.name ?? location.target, namespace: meta.namespace, uid: meta.uid });
    this.options.logger.info({ audit: { ...change, resourceVersion: undefined } }, event.message);
    const recorded = this.options.recorder.event(event.ref, 'Normal', event.reason, event.message, {
      annotations: event.annotations,
    });
    return { target: location.target, old, new: wanted, event: recorded };
  }
}
