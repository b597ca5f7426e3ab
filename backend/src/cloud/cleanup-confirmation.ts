// The real orphan cleanup is bound to the dry run the user saw and confirmed: the dry run returns
// a confirmation naming the user, the exact VM ids it would delete and a deadline, signed with a
// key derived from the cloud credentials (every replica reads the same Secret, and only who can
// read it could sign); the real call must carry it, and deletes only ids it names.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How long a dry run's confirmation stays good: long enough to read the list, short enough to be current. */
export const CONFIRMATION_TTL_MS = 5 * 60_000;

interface Claims {
  /** user */
  u: string;
  /** the VM ids the dry run would delete, sorted */
  ids: string[];
  /** deadline, ms since the epoch */
  exp: number;
}

/** A signing key from the cloud Secret's data (as stored, base64), never from anything a user sends. */
export function confirmationKey(secretData: Record<string, string> | undefined): Buffer {
  const hash = createHash('sha256').update('peer-pods-console/cleanup-confirmation\n');
  for (const [key, value] of Object.entries(secretData ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`${key}=${value}\n`);
  }
  return hash.digest();
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export function issueConfirmation(key: Buffer, user: string, vmIds: string[], now = Date.now()): string {
  const claims: Claims = { u: user, ids: [...new Set(vmIds)].sort(), exp: now + CONFIRMATION_TTL_MS };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(key, payload)}`;
}

export type ConfirmationCheck = { ok: true; vmIds: ReadonlySet<string> } | { ok: false; reason: string };

/** The VM ids `token` lets `user` delete now, or why it lets nothing be deleted. */
export function checkConfirmation(
  key: Buffer,
  token: string | undefined,
  user: string,
  now = Date.now(),
): ConfirmationCheck {
  const again = 'run the dry run again and confirm what it shows';
  if (!token) return { ok: false, reason: `a cleanup needs the confirmation its dry run returned; ${again}` };
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return { ok: false, reason: `the confirmation is malformed; ${again}` };
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: `the confirmation was not issued for this cluster's cloud credentials; ${again}` };
  }
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    return { ok: false, reason: `the confirmation is malformed; ${again}` };
  }
  if (claims.u !== user) return { ok: false, reason: `the confirmation was issued to another user; ${again}` };
  if (!(claims.exp > now)) return { ok: false, reason: `the confirmation has expired (it lasts 5 minutes); ${again}` };
  return { ok: true, vmIds: new Set(claims.ids) };
}

/** Why a VM the request names is not deleted although the confirmation is good. */
export const NOT_OFFERED = 'The dry run did not offer this VM for deletion; run the dry run again to have it judged.';
