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
import type { Logger } from 'pino';
import { changeEvent, type LimitChange } from '../capacity/change-event.ts';
import { KubeApiError, type BearerToken, type KubeRequester } from '../kube/client.ts';
import type { EventRecorder } from '../kube/events.ts';
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
}

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

  async changeLimit(config: ConfigRef, limit: number, actor: Actor): Promise<LimitChangeResult> {
    const wanted = checkedValue('limit', limit);
    const target = `${config.namespace}/${config.name}`;
    return this.change(
      {
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
      },
      wanted,
      actor,
    );
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
    const event = changeEvent(change, { name: meta.name ?? location.target, namespace: meta.namespace, uid: meta.uid });
    this.options.logger.info({ audit: { ...change, resourceVersion: undefined } }, event.message);
    const recorded = this.options.recorder.event(event.ref, 'Normal', event.reason, event.message, {
      annotations: event.annotations,
    });
    return { target: location.target, old, new: wanted, event: recorded };
  }
}
