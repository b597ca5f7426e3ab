// Every API call acts as the signed-in user: the console's plugin proxy forwards the user's
// bearer token, a TokenReview says who that is, and a SubjectAccessReview per endpoint says
// whether that user may do what the endpoint does. Tokens are never stored or logged: the
// caches are keyed by a SHA-256 of the token.
//
// Bounds (RELIABILITY.md): a revoked token is still accepted for at most `tokenTtlMs` (10 s), an
// RBAC change takes effect within `accessTtlMs` (5 s). A decision is cached per everything the
// review sends — user, uid, groups, extra (OpenShift's token scopes live there) and permission —
// so a scoped token never reuses the answer of an unscoped one. Tokens the API server rejected
// are remembered apart, so a flood of bad tokens cannot push good ones out, and TokenReviews for
// tokens in neither cache are budgeted: past the budget a request waits for no review and is
// answered 429.
import { createHash } from 'node:crypto';
import type { V1ResourceAttributes, V1SubjectAccessReview, V1TokenReview } from '@kubernetes/client-node';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { KubeClient } from '../kube/client.ts';
import type { UserInfo } from '../services/types.ts';
import { ApiError } from './errors.ts';

export interface Permission {
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: UserInfo;
  }
}

export interface AuthOptions {
  /** The backend's own client: its service account creates the reviews. */
  client: KubeClient;
  /** How long a successful TokenReview is trusted (ms). */
  tokenTtlMs?: number;
  /** How long a failed TokenReview is remembered, to keep bad tokens cheap (ms). */
  negativeTtlMs?: number;
  /** How long a SubjectAccessReview answer is reused (ms). */
  accessTtlMs?: number;
  maxEntries?: number;
  /** TokenReviews for tokens in no cache: at most this many per second, with this burst. */
  tokenReviewsPerSecond?: number;
  tokenReviewBurst?: number;
  /** For tests: the clock the TokenReview budget refills by (ms). */
  now?: () => number;
}

/** Everything a SubjectAccessReview's answer depends on, in one canonical string. */
export function decisionKey(user: UserInfo, permission: Permission): string {
  const extra = Object.entries(user.extra ?? {})
    .map(([key, values]) => [key, [...values].sort()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const wanted = Object.entries(permission).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([user.username, user.uid ?? null, [...user.groups].sort(), extra, wanted]);
}

/** Too many new tokens to review right now: the request is refused, the API server spared. */
export class TokenReviewBudgetExceeded extends Error {
  constructor() {
    super('too many sign-ins to check at once');
    this.name = 'TokenReviewBudgetExceeded';
  }
}

export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function describePermission(p: Permission): string {
  const resource = `${p.group ? `${p.resource}.${p.group}` : p.resource}${p.subresource ? `/${p.subresource}` : ''}`;
  return `${p.verb} ${resource}${p.namespace ? ` in namespace ${p.namespace}` : ' (cluster-wide)'}`;
}

export class AccessReviewer {
  private readonly client: KubeClient;
  private readonly users: LRUCache<string, { user: UserInfo }>;
  private readonly rejectedTokens: LRUCache<string, true>;
  private readonly decisions: LRUCache<string, { allowed: boolean; reason: string }>;
  private readonly reviewsPerMs: number;
  private readonly reviewBurst: number;
  private reviewTokens: number;
  private reviewRefilledAt: number;
  private readonly now: () => number;
  /** Calls made to the API server, for metrics and tests. */
  readonly stats = { tokenReviews: 0, accessReviews: 0 };

  constructor(options: AuthOptions) {
    this.client = options.client;
    const max = options.maxEntries ?? 5000;
    this.users = new LRUCache({ max, ttl: options.tokenTtlMs ?? 10_000 });
    this.rejectedTokens = new LRUCache({ max, ttl: options.negativeTtlMs ?? 5_000 });
    this.decisions = new LRUCache({ max: max * 4, ttl: options.accessTtlMs ?? 5_000 });
    this.now = options.now ?? Date.now;
    this.reviewsPerMs = (options.tokenReviewsPerSecond ?? 50) / 1000;
    this.reviewBurst = options.tokenReviewBurst ?? 100;
    this.reviewTokens = this.reviewBurst;
    this.reviewRefilledAt = this.now();
  }

  /** Takes one TokenReview from the budget, or throws when it is spent. */
  private spendTokenReview(): void {
    const now = this.now();
    this.reviewTokens = Math.min(
      this.reviewBurst,
      this.reviewTokens + (now - this.reviewRefilledAt) * this.reviewsPerMs,
    );
    this.reviewRefilledAt = now;
    if (this.reviewTokens < 1) throw new TokenReviewBudgetExceeded();
    this.reviewTokens -= 1;
  }

  /** The user behind a bearer token, or null when the API server does not accept it. */
  async authenticate(token: string): Promise<UserInfo | null> {
    const key = tokenKey(token);
    const cached = this.users.get(key);
    if (cached) return cached.user;
    if (this.rejectedTokens.has(key)) return null;
    this.spendTokenReview();
    this.stats.tokenReviews += 1;
    const review = await this.client.request<V1TokenReview>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/tokenreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
    });
    const status = review.status;
    const user: UserInfo | null =
      status?.authenticated && status.user?.username
        ? {
            username: status.user.username,
            uid: status.user.uid,
            groups: status.user.groups ?? [],
            extra: status.user.extra,
          }
        : null;
    if (user) this.users.set(key, { user });
    else this.rejectedTokens.set(key, true);
    return user;
  }

  async check(user: UserInfo, permission: Permission): Promise<{ allowed: boolean; reason: string }> {
    const key = decisionKey(user, permission);
    const cached = this.decisions.get(key);
    if (cached) return cached;
    const resourceAttributes: V1ResourceAttributes = {
      verb: permission.verb,
      resource: permission.resource,
      group: permission.group ?? '',
      subresource: permission.subresource,
      namespace: permission.namespace,
      name: permission.name,
    };
    this.stats.accessReviews += 1;
    const review = await this.client.request<V1SubjectAccessReview>({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: user.username, uid: user.uid, groups: user.groups, extra: user.extra, resourceAttributes },
      },
    });
    const decision = { allowed: review.status?.allowed === true, reason: review.status?.reason ?? '' };
    this.decisions.set(key, decision);
    return decision;
  }
}

/** The request's bearer token, or undefined. */
export function bearerTokenOf(req: Request): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** 401 unless the request carries a bearer token that the API server accepts. */
export function requireUser(reviewer: AccessReviewer): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const token = bearerTokenOf(req);
    if (!token) {
      next(new ApiError(401, 'unauthenticated', 'send the user\'s token as "Authorization: Bearer <token>"'));
      return;
    }
    let user: UserInfo | null;
    try {
      user = await reviewer.authenticate(token);
    } catch (err) {
      if (err instanceof TokenReviewBudgetExceeded) {
        next(new ApiError(429, 'rate_limited', 'too many sign-ins to check at once; try again in a moment'));
        return;
      }
      throw err;
    }
    if (!user) {
      next(new ApiError(401, 'unauthenticated', 'the token was not accepted by the API server; sign in again'));
      return;
    }
    req.user = user;
    next();
  };
}

/** 403 naming the missing verb and resource unless the signed-in user holds the permission. */
export function requirePermission(
  reviewer: AccessReviewer,
  permission: Permission | ((req: Request) => Permission),
): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const user = req.user;
    if (!user) {
      next(new ApiError(401, 'unauthenticated', 'no signed-in user'));
      return;
    }
    const wanted = typeof permission === 'function' ? permission(req) : permission;
    const decision = await reviewer.check(user, wanted);
    if (!decision.allowed) {
      next(
        new ApiError(
          403,
          'forbidden',
          `user "${user.username}" may not ${describePermission(wanted)}; ask a cluster administrator for that permission`,
        ),
      );
      return;
    }
    next();
  };
}
