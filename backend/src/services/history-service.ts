// The History: recent changes — the limit, node overrides, port rules, VM cleanups — read from the
// Events the backend recorded for them, with the reader's own token (the API server decides who
// may read Events; the backend's service account needs no `list events`). Limit and override
// Events carry the change as JSON (capacity/change-event.ts); the cloud service's Events say
// "<user>: <what> [<cloud ids>]", which is read back here.
//
// Events live as long as the API server keeps them (--event-ttl: 1 h by default, 3 h on OpenShift),
// so the History covers that long at most.
import type { History, HistoryEntry } from '@peer-pods-console/contract';
import { HISTORY_EVENT_REASONS, type HistoryKind } from '@peer-pods-console/contract/operations';
import { limitChangeOf } from '../capacity/change-event.ts';
import type { BearerToken, KubeRequester } from '../kube/client.ts';
import { refusalOf } from './refusal.ts';
import type { HistoryService } from './types.ts';

export interface HistoryServiceOptions {
  client: { asUser(token: BearerToken): KubeRequester };
  /** Where the PeerPodConfig's Events are: the limit, port rules and cleanups. */
  peerPodConfigNamespace: string;
  /** The component the backend records its Events as; Events of any other source are not ours. */
  component: string;
  /** Entries answered at most; default 100. */
  max?: number;
}

/** The Event fields the History reads. */
export interface CoreEvent {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string>; creationTimestamp?: string };
  reason?: string;
  message?: string;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string };
  reportingComponent?: string;
}

/** Node Events go to `default` (nodes have no namespace); everything else is on the PeerPodConfig. */
export const NODE_EVENTS_NAMESPACE = 'default';

/** Where each kind's Events are. */
export function historyNamespaces(peerPodConfigNamespace: string): Record<HistoryKind, string> {
  return {
    limit: peerPodConfigNamespace,
    override: NODE_EVENTS_NAMESPACE,
    'port-rules': peerPodConfigNamespace,
    cleanup: peerPodConfigNamespace,
  };
}

const KIND_OF_REASON = new Map<string, HistoryKind>(
  Object.entries(HISTORY_EVENT_REASONS).map(([kind, reason]) => [reason, kind as HistoryKind]),
);

const timeValue = (at: string): number => Date.parse(at) || 0;

/** When it last happened: the Event's last time, else its first, else its creation. */
function timeOf(event: CoreEvent): string {
  return event.lastTimestamp || event.eventTime || event.firstTimestamp || event.metadata?.creationTimestamp || '';
}

/** The bracketed cloud ids of a cloud-service message, e.g. "… [sg-1, sgr-2]; … [i-3]" → [["sg-1","sgr-2"],["i-3"]]. */
export function cloudIdGroups(text: string): string[][] {
  return [...text.matchAll(/\[([^\][]*)\]/g)].map((match) =>
    match[1]!
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );
}

/**
 * A cloud-service Event: "<user>: <sentence> [<ids>]" (port rules, one rule each) or "<user>:
 * deleted N peer-pod VM(s): <sentence> [<ids>]; …" (cleanups). A username holds no ": " (Kubernetes
 * names use ":" without a space, e.g. system:serviceaccount:ns:name), so the first one ends it.
 */
function cloudEntry(kind: 'port-rules' | 'cleanup', event: CoreEvent, message: string): HistoryEntry | null {
  const colon = message.indexOf(': ');
  if (colon <= 0) return null;
  const groups = cloudIdGroups(message.slice(colon + 2));
  // Port rules: the security group or NSG (the first id; a created rule's own id follows it).
  // Cleanups: each VM's id (the first of its group; Azure lists its disk and NIC after it).
  const target =
    kind === 'port-rules' ? (groups.at(-1)?.[0] ?? '') : groups.flatMap((ids) => ids.slice(0, 1)).join(', ');
  return {
    at: timeOf(event),
    kind,
    actor: message.slice(0, colon),
    via: 'console',
    target,
    old: null,
    new: null,
    message,
  };
}

/** The History entry an Event is, or null when it is none of ours. */
export function historyEntryOf(event: CoreEvent, component: string): HistoryEntry | null {
  const kind = KIND_OF_REASON.get(event.reason ?? '');
  if (!kind) return null;
  if ((event.reportingComponent || event.source?.component) !== component) return null;
  const message = event.message ?? '';
  if (kind === 'port-rules' || kind === 'cleanup') return cloudEntry(kind, event, message);
  const change = limitChangeOf(event.metadata?.annotations);
  if (!change || change.kind !== kind) return null;
  const { actor, via, target, old } = change;
  return { at: change.at || timeOf(event), kind, actor, via, target, old, new: change.new, message };
}

export class EventHistoryService implements HistoryService {
  private readonly options: HistoryServiceOptions;

  constructor(options: HistoryServiceOptions) {
    this.options = options;
  }

  async recent(reader: BearerToken): Promise<History> {
    const kube = this.options.client.asUser(reader);
    const namespaces = historyNamespaces(this.options.peerPodConfigNamespace);
    const lists = await Promise.all(
      (Object.keys(HISTORY_EVENT_REASONS) as HistoryKind[]).map(async (kind) => {
        try {
          const list = await kube.request<{ items?: CoreEvent[] }>({
            method: 'GET',
            path: `/api/v1/namespaces/${encodeURIComponent(namespaces[kind])}/events`,
            query: { fieldSelector: `reason=${HISTORY_EVENT_REASONS[kind]}` },
          });
          return list.items ?? [];
        } catch (err) {
          throw refusalOf(err) ?? err;
        }
      }),
    );
    const entries = lists
      .flat()
      .map((event) => historyEntryOf(event, this.options.component))
      .filter((entry): entry is HistoryEntry => entry !== null)
      .sort((a, b) => timeValue(b.at) - timeValue(a.at) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    return { entries: entries.slice(0, this.options.max ?? 100) };
  }
}
