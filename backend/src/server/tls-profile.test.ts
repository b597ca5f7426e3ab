import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TLS, readClusterTls, tlsFromProfile } from './tls-profile.ts';

describe('TLS from the cluster’s tlsSecurityProfile', () => {
  it('Intermediate (also when unset): TLS 1.2 and the profile’s AEAD ciphers', () => {
    for (const profile of [undefined, {}, { type: 'Intermediate' }]) {
      const tls = tlsFromProfile(profile);
      expect(tls.minVersion).toBe('TLSv1.2');
      expect(tls.ciphers).toContain('ECDHE-RSA-AES128-GCM-SHA256');
      expect(tls.ciphers).not.toContain('AES128-SHA:');
    }
  });

  it('Modern: TLS 1.3 only', () => {
    expect(tlsFromProfile({ type: 'Modern' })).toMatchObject({
      minVersion: 'TLSv1.3',
      ciphers: 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
    });
  });

  it('Old: its ciphers, but never below TLS 1.2', () => {
    const tls = tlsFromProfile({ type: 'Old' });
    expect(tls.minVersion).toBe('TLSv1.2');
    expect(tls.ciphers).toContain('AES128-SHA');
  });

  it('Custom: its minimum and ciphers, names that are not cipher names dropped', () => {
    expect(
      tlsFromProfile({
        type: 'Custom',
        custom: { minTLSVersion: 'VersionTLS13', ciphers: ['ECDHE-RSA-AES256-GCM-SHA384', 'bad:list;'] },
      }),
    ).toMatchObject({ minVersion: 'TLSv1.3', ciphers: expect.stringMatching(/ECDHE-RSA-AES256-GCM-SHA384$/) });
  });

  it.each(['Old', 'Intermediate', 'Modern'])('%s gives options Node’s TLS accepts', (type) => {
    const tls = tlsFromProfile({ type });
    expect(() => createSecureContext({ minVersion: tls.minVersion, ciphers: tls.ciphers })).not.toThrow();
  });

  it('keeps the default where APIServer cluster cannot be read', async () => {
    expect(await readClusterTls(async () => undefined)).toEqual(DEFAULT_TLS);
    expect(
      await readClusterTls(async () => {
        throw new Error('forbidden');
      }),
    ).toEqual(DEFAULT_TLS);
    expect((await readClusterTls(async () => ({ spec: { tlsSecurityProfile: { type: 'Modern' } } }))).minVersion).toBe(
      'TLSv1.3',
    );
  });
});
