// The Event that records a change of a VM limit — a PeerPodConfig's spec.limit or a node's
// override annotation — made through the console (naming the signed-in user) or outside it (naming
// the field manager that wrote it). Its message says it for people, as `oc get events` shows it;
// the annotation CHANGE_ANNOTATION says the same for the History, as JSON of a fixed shape, so
// that no one has to parse a sentence (a username may hold any character).
import { HISTORY_EVENT_REASONS } from '@peer-pods-console/contract/operations';
import type { ObjectReference } from '../kube/events.ts';

/** The Event annotation holding the change as JSON (LimitChange). */
export const CHANGE_ANNOTATION = 'peerpods.openshift.io/change';

export const PEERPODCONFIG_API_VERSION = 'confidentialcontainers.org/v1alpha1';

export interface LimitChange {
  kind: 'limit' | 'override';
  /** The signed-in user (console) or the field manager (outside). */
  actor: string;
  via: 'console' | 'outside';
  /** "<namespace>/<name>" of the PeerPodConfig, or the node's name. */
  target: string;
  /** The value before and after, as written in the object; null: none. */
  old: string | null;
  new: string | null;
  /** When it changed (RFC 3339). */
  at: string;
  /** The object's resourceVersion after the change: two equal changes at the same second stay two Events. */
  resourceVersion: string;
}

const shown = (value: string | null): string => (value === null ? 'none' : value);

/** The sentence of the Event, e.g. `test-admin changed the VM limit of PeerPodConfig ns/name: 10 → 12`. */
export function changeMessage(change: LimitChange): string {
  const what =
    change.kind === 'limit'
      ? `the VM limit of PeerPodConfig ${change.target}`
      : `the VM limit override of node ${change.target}`;
  const who = change.via === 'console' ? change.actor : `outside the console: ${change.actor}`;
  return `${who} changed ${what}: ${shown(change.old)} → ${shown(change.new)}`;
}

/** What to hand the EventRecorder: the object the Event is about, its reason, message and annotation. */
export function changeEvent(
  change: LimitChange,
  object: { name: string; namespace?: string; uid?: string },
): { ref: ObjectReference; reason: string; message: string; annotations: Record<string, string> } {
  const ref: ObjectReference =
    change.kind === 'limit'
      ? { apiVersion: PEERPODCONFIG_API_VERSION, kind: 'PeerPodConfig', ...object }
      : { apiVersion: 'v1', kind: 'Node', name: object.name, uid: object.uid };
  return {
    ref,
    reason: HISTORY_EVENT_REASONS[change.kind],
    message: changeMessage(change),
    annotations: { [CHANGE_ANNOTATION]: JSON.stringify(change) },
  };
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isValue = (value: unknown): value is string | null => value === null || typeof value === 'string';

/** The change an Event's annotations record, or null when they hold none (or not of this shape). */
export function limitChangeOf(annotations: Record<string, string> | undefined): LimitChange | null {
  const text = annotations?.[CHANGE_ANNOTATION];
  if (text === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const c = parsed as Record<string, unknown>;
  if (c.kind !== 'limit' && c.kind !== 'override') return null;
  if (c.via !== 'console' && c.via !== 'outside') return null;
  if (!isText(c.actor) || !isText(c.target) || !isText(c.at) || !isText(c.resourceVersion)) return null;
  if (!isValue(c.old) || !isValue(c.new)) return null;
  return {
    kind: c.kind,
    actor: c.actor,
    via: c.via,
    target: c.target,
    old: c.old,
    new: c.new,
    at: c.at,
    resourceVersion: c.resourceVersion,
  };
}
