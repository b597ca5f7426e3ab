import { describe, expect, it } from 'vitest';
import { checkConfirmation, confirmationKey, CONFIRMATION_TTL_MS, issueConfirmation } from './cleanup-confirmation.ts';

const key = confirmationKey({ AWS_ACCESS_KEY_ID: 'QUtJQQ==', AWS_SECRET_ACCESS_KEY: 'c2VjcmV0' });
const NOW = 1_800_000_000_000;

describe('the cleanup confirmation', () => {
  it('names, for the user who ran the dry run, the VMs it offered, until it expires', () => {
    const token = issueConfirmation(key, 'test-admin', ['i-b', 'i-a'], NOW);
    const check = checkConfirmation(key, token, 'test-admin', NOW + 1000);
    expect(check.ok && [...check.vmIds]).toEqual(['i-a', 'i-b']);
    expect(checkConfirmation(key, token, 'test-admin', NOW + CONFIRMATION_TTL_MS + 1)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('expired'),
    });
  });

  it.each([
    ['no confirmation', undefined, 'test-admin', 'needs the confirmation'],
    ['another user', 'TOKEN', 'someone-else', 'another user'],
    ['a tampered list of VMs', 'TAMPERED', 'test-admin', 'not issued for this cluster'],
    ['garbage', 'x', 'test-admin', 'malformed'],
  ])('refuses %s, saying to run the dry run again', (_case, which, user, words) => {
    const token = issueConfirmation(key, 'test-admin', ['i-a', 'i-b'], NOW);
    const signature = token.split('.')[1];
    const tampered = Buffer.from(JSON.stringify({ u: 'test-admin', ids: ['i-z'], exp: NOW + 9e9 })).toString(
      'base64url',
    );
    const given = which === 'TOKEN' ? token : which === 'TAMPERED' ? `${tampered}.${signature}` : which;
    const check = checkConfirmation(key, given, user, NOW);
    expect(check).toMatchObject({ ok: false, reason: expect.stringContaining(words) });
    expect((check as { reason: string }).reason).toContain('run the dry run again');
  });

  it('is signed with a key only the cloud Secret gives: another Secret’s key does not verify it', () => {
    const token = issueConfirmation(key, 'test-admin', ['i-a'], NOW);
    const otherKey = confirmationKey({ AWS_ACCESS_KEY_ID: 'b3RoZXI=', AWS_SECRET_ACCESS_KEY: 'b3RoZXI=' });
    expect(checkConfirmation(otherKey, token, 'test-admin', NOW).ok).toBe(false);
  });
});
