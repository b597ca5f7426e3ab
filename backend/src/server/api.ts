// REST API for the plugin under /api/v1. Every route authenticates the caller and checks the
// caller's own RBAC before touching a service: reading needs `list nodes` (and pod names in it
// `list pods` cluster-wide), changing anything in a cloud needs `patch peerpodconfigs` in the
// PeerPodConfig's namespace.
import express, { type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { z } from 'zod';
import {
  limitChangeRequest,
  objectName,
  orphanCleanupRequest,
  overrideChangeRequest,
  portRulesRequest,
  type NodeCapacityDetail,
  type Permissions,
  type PodNames,
} from '@peer-pods-console/contract';
import {
  API_PREFIX,
  LIVE_EVENT_CAPACITY,
  LIVE_EVENT_CAPACITY_DELTA,
  LIVE_EVENT_END,
  LIVE_SINCE_PARAM,
  liveEventId,
  type LiveStreamEndReason,
} from '@peer-pods-console/contract/endpoints';
import { BearerToken } from '../kube/client.ts';
import type {
  CapacityService,
  HistoryService,
  LimitChangeService,
  PortRuleService,
  RoomReadService,
  SetupReportService,
  StuckPodService,
  UserInfo,
  VmService,
} from '../services/types.ts';
import { stuckForReader } from '../services/stuck-service.ts';
import { NODE_EVENTS_NAMESPACE } from '../services/history-service.ts';
import {
  bearerTokenOf,
  tokenKey,
  requirePermission,
  requireUser,
  type AccessReviewer,
  type Permission,
} from './auth.ts';
import { CAPACITY_CACHES, CLAIM_CACHES, requireCaches, type CacheStatus } from './cache-gate.ts';
import { ApiError } from './errors.ts';

export interface ApiServices {
  capacity: CapacityService;
  vms: VmService;
  ports: PortRuleService;
  setup: SetupReportService;
  /** Namespace of the PeerPodConfig; cloud actions need `patch peerpodconfigs` there. */
  peerPodConfigNamespace: string;
  /** The cloud credentials Secret: cloud data and cloud changes need `get` on it. */
  cloudCredential: () => Promise<{ namespace: string; name: string }>;
  /** The informer caches: a route reading one that is still loading answers 503 (absent: all loaded). */
  caches?: CacheStatus;
  /** Limit and override writes as the user (absent: those routes are not served). */
  limits?: LimitChangeService;
  /** The History of changes (absent: not served). */
  history?: HistoryService;
  /** Stuck peer pods (absent: not served). */
  stuck?: StuckPodService;
  /** Sizes and vCPU quotas against the promise of the limits (absent: not served). */
  room?: RoomReadService;
}

export interface ApiOptions {
  reviewer: AccessReviewer;
  services: ApiServices;
  /** Mutating calls per user per minute. */
  mutationsPerMinute?: number;
  /** Interval of SSE keep-alive comments (ms). */
  keepAliveMs?: number;
  /** How often an open stream checks again that its token and permission still hold (ms). */
  streamRecheckMs?: number;
  /** Longest life of one stream before the client is asked to reconnect (ms). */
  streamLifetimeMs?: number;
  /** Open live-update streams one user may hold. */
  streamsPerUser?: number;
  /** Requests per token per minute to the routes that read or change the cloud. */
  cloudRequestsPerMinute?: number;
}

const READ: Permission = { verb: 'list', resource: 'nodes' };
/** Capacity data names pods (pending, unaccounted, each VM's): only for who may list them all. */
const LIST_PODS: Permission = { verb: 'list', resource: 'pods' };
/** Why a pod is stuck quotes its Events: only for who may list them all. */
const LIST_EVENTS: Permission = { verb: 'list', resource: 'events' };
/** An EC2 instance id, or an Azure VM resource id (sent URL-encoded: it holds slashes). */
const VM_ID =
  /^(i-[0-9a-zA-Z]{1,40}|\/subscriptions\/[^/\s]+\/resourceGroups\/[^/\s]+\/providers\/Microsoft\.Compute\/virtualMachines\/[^/\s]+)$/i;

function parseBody<T extends z.ZodType>(schema: T, body: unknown, name?: string): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || name;
    throw new ApiError(400, 'invalid_request', `${field ? `${field}: ` : ''}${issue.message}`, field);
  }
  return parsed.data;
}

export function createApiRouter(options: ApiOptions): Router {
  const { reviewer, services } = options;
  const router = express.Router();
  const cloudAction: Permission = {
    verb: 'patch',
    resource: 'peerpodconfigs',
    group: 'confidentialcontainers.org',
    namespace: services.peerPodConfigNamespace,
  };
  const mutationLimit = rateLimit({
    windowMs: 60_000,
    limit: options.mutationsPerMinute ?? 30,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => req.user?.username ?? 'anonymous',
    handler: (_req, _res, next) =>
      next(new ApiError(429, 'rate_limited', 'too many changes in a minute; wait a moment and try again')),
  });

  const openStreams = new Map<string, number>();
  const streamsPerUser = options.streamsPerUser ?? 5;

  // Cloud-touching routes are limited per token before any authentication work: a reader cannot
  // turn the backend into a way to spend the account's API rate limit or the API server's reviews.
  const cloudLimit = rateLimit({
    windowMs: 60_000,
    limit: options.cloudRequestsPerMinute ?? 60,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => tokenKey(bearerTokenOf(req) ?? ''),
    handler: (_req, _res, next) =>
      next(new ApiError(429, 'rate_limited', 'too many cloud requests in a minute; wait a moment and try again')),
  });

  const podNamesFor = async (user: UserInfo): Promise<PodNames> =>
    (await reviewer.check(user, LIST_PODS)).allowed ? 'shown' : 'hidden';

  router.use(express.json({ limit: '64kb', strict: true, type: 'application/json' }));
  router.use(['/vms', '/ports', '/capacity/room'], cloudLimit);
  router.use(requireUser(reviewer));

  const capacityCaches = requireCaches(services.caches, CAPACITY_CACHES);
  const claimCaches = requireCaches(services.caches, CLAIM_CACHES);
  const capacityLoading = () => (services.caches?.loading(CAPACITY_CACHES).length ?? 0) > 0;

  router.get('/capacity', requirePermission(reviewer, READ), capacityCaches, async (req: Request, res: Response) => {
    const { etag, json, gzip } = services.capacity.snapshotJson(await podNamesFor(req.user!));
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.type('application/json');
    // Without an Accept-Encoding header negotiation would allow anything; send gzip only when asked.
    if (req.headers['accept-encoding'] && req.acceptsEncodings('gzip') === 'gzip') {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(gzip());
    } else {
      res.send(json);
    }
  });

  router.get(
    '/capacity/nodes/:name',
    requirePermission(reviewer, READ),
    capacityCaches,
    async (req: Request, res: Response) => {
      const name = parseBody(objectName, req.params.name, 'name');
      const podNames = await podNamesFor(req.user!);
      const snapshot = services.capacity.snapshot(podNames);
      const node = snapshot.nodes.find((n) => n.name === name);
      if (!node) throw new ApiError(404, 'not_found', `node "${name}" is not known to the capacity model`, 'name');
      const body: NodeCapacityDetail = {
        revision: snapshot.revision,
        node,
        unaccounted: snapshot.unaccounted.filter((p) => p.nodeName === name),
        podNames,
      };
      res.json(body);
    },
  );

  // Live updates: Server-Sent Events. One long-lived response per open page: the summary first,
  // then per coalesced model change only what changed (a delta from the revision the reader holds),
  // shared by every stream; a stream that cannot go on by deltas gets a whole summary again. So the
  // UI follows within a second without polling, and one pod changing costs a row, not the cluster.
  // Each stream checks again, every streamRecheckMs, that its token is still accepted and still
  // allows reading (a revoked token or binding ends it) and whether it may list pods (the stream
  // switches to the variant with or without pod names); it lives streamLifetimeMs at most, and a
  // user holds streamsPerUser at most.
  router.get('/events', requirePermission(reviewer, READ), async (req: Request, res: Response) => {
    const user = req.user!;
    const token = bearerTokenOf(req)!;
    const since = req.query[LIVE_SINCE_PARAM];
    if (since !== undefined && (typeof since !== 'string' || !/^\d{1,15}$/.test(since))) {
      throw new ApiError(
        400,
        'invalid_request',
        `${LIVE_SINCE_PARAM} is not a revision; give the revision of the capacity summary you hold (a whole number, GET /capacity's "revision"), or leave ${LIVE_SINCE_PARAM} out to start with a whole summary`,
        LIVE_SINCE_PARAM,
      );
    }
    let podNames = await podNamesFor(user);
    const held = openStreams.get(user.username) ?? 0;
    if (held >= streamsPerUser) {
      throw new ApiError(
        429,
        'rate_limited',
        `user "${user.username}" already has ${held} live update streams open, the most one user may; close other Peer pods pages`,
      );
    }
    openStreams.set(user.username, held + 1);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // HEAD: the headers and nothing more. Node drops a HEAD response's writes without flushing
    // its headers, so a stream left open would never answer at all.
    if (req.method === 'HEAD') {
      openStreams.set(user.username, (openStreams.get(user.username) ?? 1) - 1);
      res.end();
      return;
    }
    // A stream the server ends for its lifetime is reopened within a second.
    res.write('retry: 1000\n\n');
    let ended = false;
    const end = (reason: LiveStreamEndReason) => {
      if (ended) return;
      ended = true;
      res.write(`event: ${LIVE_EVENT_END}\ndata: ${JSON.stringify({ reason })}\n\n`);
      res.end();
    };
    /** The revision of the summary the reader holds, in the variant podNames; undefined before the first. */
    let readerAt: number | undefined;
    const send = (event: string, revision: number, json: string) => {
      readerAt = revision;
      res.write(`id: ${liveEventId(revision, podNames)}\nevent: ${event}\ndata: ${json}\n\n`);
    };
    const sendSnapshot = () => {
      const { revision, json } = services.capacity.liveSnapshot(podNames);
      send(LIVE_EVENT_CAPACITY, revision, json());
    };
    // A half-listed cluster is never streamed: the first event waits for the caches.
    const unsubscribe = services.capacity.subscribeLive((update) => {
      if (ended || capacityLoading()) return;
      if (readerAt === update.from) send(LIVE_EVENT_CAPACITY_DELTA, update.to, update.json(podNames));
      else sendSnapshot();
    });
    // EventSource reconnects with the id of the last event it got: when that summary is still the
    // newest, the stream goes on by deltas without sending it again. A page that has just read GET
    // /capacity says which summary it holds with ?since= (same variant: the same user asks).
    let resumeId = req.get('last-event-id') ?? (since === undefined ? undefined : liveEventId(Number(since), podNames));
    const sendFirst = () => {
      if (ended || readerAt !== undefined || capacityLoading()) return;
      const newest = services.capacity.liveSnapshot(podNames).revision;
      const resumes = resumeId === liveEventId(newest, podNames);
      resumeId = undefined;
      if (resumes) readerAt = newest;
      else sendSnapshot();
    };
    const recheck = setInterval(() => {
      void (async () => {
        try {
          const now = await reviewer.authenticate(token);
          if (!now || now.username !== user.username || !(await reviewer.check(now, READ)).allowed) {
            end('access');
            return;
          }
          const nowPodNames = await podNamesFor(now);
          if (nowPodNames !== podNames && !ended) {
            // From now on every event is the other variant, starting with a whole summary at once.
            podNames = nowPodNames;
            readerAt = undefined;
            sendFirst();
          }
        } catch {
          // The API server did not answer this time (or the review budget is spent): check again next time.
        }
      })();
    }, options.streamRecheckMs ?? 15_000);
    const lifetime = setTimeout(() => end('lifetime'), options.streamLifetimeMs ?? 30 * 60_000);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), options.keepAliveMs ?? 15_000);
    // Opened while the backend starts (the stream stays open rather than failing): the first
    // event goes out as soon as the caches hold a complete listing.
    const waitForCaches = capacityLoading()
      ? setInterval(() => {
          if (capacityLoading()) return;
          clearInterval(waitForCaches);
          sendFirst();
        }, 500)
      : undefined;
    sendFirst();
    res.on('close', () => {
      ended = true;
      unsubscribe();
      clearInterval(waitForCaches);
      clearInterval(keepAlive);
      clearInterval(recheck);
      clearTimeout(lifetime);
      const left = (openStreams.get(user.username) ?? 1) - 1;
      if (left > 0) openStreams.set(user.username, left);
      else openStreams.delete(user.username);
    });
  });

  // Cloud data is read, and the cloud changed, with the backend's cloud credentials on the user's
  // behalf: that needs `get` on the Secret holding them, besides what the route itself needs.
  const requireCloudCredential = async (req: Request, _res: Response, next: (err?: unknown) => void) => {
    try {
      const secret = await services.cloudCredential();
      const permission: Permission = { verb: 'get', resource: 'secrets', ...secret };
      const decision = await reviewer.check(req.user!, permission);
      if (!decision.allowed) {
        next(
          new ApiError(
            403,
            'forbidden',
            `user "${req.user!.username}" may not get secrets ${secret.name} in namespace ${secret.namespace}, the cloud credentials this reads or changes the cloud with; ask a cluster administrator for that permission`,
          ),
        );
        return;
      }
      next();
    } catch (err) {
      next(err);
    }
  };

  router.get(
    '/vms',
    requirePermission(reviewer, READ),
    // Each VM is shown with its pod's namespace and name (and its name embeds the pod's).
    requirePermission(reviewer, LIST_PODS),
    claimCaches,
    requireCloudCredential,
    async (_req: Request, res: Response) => {
      res.json(await services.vms.inventory());
    },
  );

  // The VM's serial console: cloud data, gated like the inventory it comes from (and only for its VMs).
  router.get(
    '/vms/:id/console-output',
    requirePermission(reviewer, READ),
    requirePermission(reviewer, LIST_PODS),
    claimCaches,
    requireCloudCredential,
    async (req: Request, res: Response) => {
      const id = String(req.params.id ?? '');
      if (id.length > 400 || !VM_ID.test(id)) {
        throw new ApiError(
          400,
          'invalid_request',
          'id: must be a VM id as GET /vms lists it: an EC2 instance id (i-…) or an Azure VM resource id, URL-encoded',
          'id',
        );
      }
      const output = await services.vms.consoleOutput(id);
      if (!output) {
        throw new ApiError(
          404,
          'not_found',
          `VM ${id} is not among this cluster's peer-pod VMs in the last inventory; reload the Virtual machines tab`,
          'id',
        );
      }
      // The guest's own words: never cached on the way.
      res.setHeader('Cache-Control', 'no-store');
      res.json(output);
    },
  );

  router.post(
    '/vms/cleanup',
    requirePermission(reviewer, cloudAction),
    claimCaches,
    requireCloudCredential,
    mutationLimit,
    async (req: Request, res: Response) => {
      const request = parseBody(orphanCleanupRequest, req.body);
      res.json(await services.vms.cleanup(request, req.user!));
    },
  );

  // The room reads the cloud with the backend's credentials (sizes, quotas: account data), and sums
  // the nodes' limits (what `list nodes` shows): no pod is named.
  const { room } = services;
  if (room) {
    router.get(
      '/capacity/room',
      requirePermission(reviewer, READ),
      capacityCaches,
      requireCloudCredential,
      async (req: Request, res: Response) => {
        // ?fresh=true: the reader pressed Refresh; others share the cached quota reading.
        res.json(await room.room({ fresh: req.query.fresh === 'true' }));
      },
    );
  }

  router.get(
    '/ports',
    requirePermission(reviewer, READ),
    requireCloudCredential,
    async (req: Request, res: Response) => {
      const request = parseBody(portRulesRequest, { includeUdp: req.query.includeUdp === 'true' });
      // ?fresh=true: the reader is a person looking now (the wizard); others share the last reading.
      res.json(await services.ports.status(request, { fresh: req.query.fresh === 'true' }));
    },
  );

  router.post(
    '/ports/apply',
    requirePermission(reviewer, cloudAction),
    requireCloudCredential,
    mutationLimit,
    async (req, res) => {
      const request = parseBody(portRulesRequest, req.body);
      res.json(await services.ports.apply(request, req.user!));
    },
  );

  router.get(
    '/setup',
    requirePermission(reviewer, READ),
    // It names the unaccounted peer pods and the namespaces that run peer pods.
    requirePermission(reviewer, LIST_PODS),
    requireCloudCredential,
    async (_req: Request, res: Response) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await services.setup.report());
    },
  );

  // The limit and the node overrides are written with the user's own token: the API server's RBAC
  // decides (and refuses in its own words), the backend only records the change. Anonymous callers
  // were refused above without a review; the per-user mutation limit applies.
  const { limits, history } = services;
  if (limits) {
    const actorOf = (req: Request) => ({ user: req.user!, token: new BearerToken(bearerTokenOf(req)!) });
    router.put('/configs/:namespace/:name/limit', mutationLimit, async (req: Request, res: Response) => {
      const namespace = parseBody(objectName, req.params.namespace, 'namespace');
      const name = parseBody(objectName, req.params.name, 'name');
      const { limit, syncConfigMap } = parseBody(limitChangeRequest, req.body);
      res.json(await limits.changeLimit({ namespace, name }, limit, actorOf(req), { syncConfigMap }));
    });
    router.put('/nodes/:name/override', mutationLimit, async (req: Request, res: Response) => {
      const name = parseBody(objectName, req.params.name, 'name');
      const { override } = parseBody(overrideChangeRequest, req.body);
      res.json(await limits.changeOverride(name, override, actorOf(req)));
    });
  }

  // The History says who changed what: only for who may read the Events it comes from (`list
  // events` where they are), and read with the reader's own token besides.
  if (history) {
    router.get(
      '/history',
      requirePermission(reviewer, { verb: 'list', resource: 'events', namespace: services.peerPodConfigNamespace }),
      requirePermission(reviewer, { verb: 'list', resource: 'events', namespace: NODE_EVENTS_NAMESPACE }),
      async (req: Request, res: Response) => {
        res.setHeader('Cache-Control', 'no-store');
        res.json(await history.recent(new BearerToken(bearerTokenOf(req)!)));
      },
    );
  }

  // Why peer pods are stuck. Reading needs `list nodes`; pod names (and VM ids) need `list pods`
  // cluster-wide, the Events' messages `list events` cluster-wide: each hidden without.
  const { stuck } = services;
  if (stuck) {
    router.get('/stuck', requirePermission(reviewer, READ), capacityCaches, async (req: Request, res: Response) => {
      const node = req.query.node === undefined ? undefined : parseBody(objectName, req.query.node, 'node');
      const [podNames, events] = await Promise.all([podNamesFor(req.user!), reviewer.check(req.user!, LIST_EVENTS)]);
      const all = await stuck.stuck({ node });
      res.setHeader('Cache-Control', 'no-store');
      res.json(stuckForReader(all, { podNames, messages: events.allowed ? 'shown' : 'hidden' }));
    });
  }

  router.get('/permissions', async (req: Request, res: Response) => {
    const user = req.user!;
    const secret = await services.cloudCredential();
    const [read, act, credential, pods] = await Promise.all([
      reviewer.check(user, READ),
      reviewer.check(user, cloudAction),
      reviewer.check(user, { verb: 'get', resource: 'secrets', ...secret }),
      reviewer.check(user, LIST_PODS),
    ]);
    const body: Permissions = {
      user: user.username,
      canRead: read.allowed,
      canChangeCloud: act.allowed && credential.allowed,
      canReadCloud: read.allowed && credential.allowed,
      canListPods: pods.allowed,
    };
    res.json(body);
  });

  router.use((req: Request) => {
    throw new ApiError(404, 'not_found', `no API endpoint ${req.method} ${API_PREFIX}${req.path}`);
  });
  return router;
}
