// TLS for the API and webhook ports follows the cluster's tlsSecurityProfile (APIServer
// `cluster`, spec.tlsSecurityProfile), as OpenShift's own components do: Old, Intermediate (the
// default when none is set), Modern or Custom. Cipher names are OpenSSL's (TLS 1.3 suites by their
// IANA names), which Node takes as they are. The minimum is never below TLS 1.2, whatever the
// profile asks: Node's OpenSSL refuses older versions at its default security level anyway.

/** TLS 1.3 suites: every profile allows them. */
const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

const INTERMEDIATE = [
  ...TLS13,
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
];

const OLD = [
  ...INTERMEDIATE,
  'DHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'DHE-RSA-AES128-SHA256',
  'DHE-RSA-AES256-SHA256',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-SHA256',
  'AES256-SHA256',
  'AES128-SHA',
  'AES256-SHA',
  'DES-CBC3-SHA',
];

export interface TlsSettings {
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list, colon-separated; undefined: Node's defaults. */
  ciphers?: string;
  /** Where the settings came from, for the start-up log. */
  source: string;
}

/** Before the cluster's profile is known, or where there is none to read (not OpenShift). */
export const DEFAULT_TLS: TlsSettings = { minVersion: 'TLSv1.2', source: 'default: TLS 1.2 or newer' };

type ProfileSpec = {
  type?: string;
  custom?: { minTLSVersion?: string; ciphers?: string[] };
};

const minVersionOf = (version: string | undefined): TlsSettings['minVersion'] =>
  version === 'VersionTLS13' ? 'TLSv1.3' : 'TLSv1.2';

/** The settings a tlsSecurityProfile asks for; an unknown or empty one means Intermediate. */
export function tlsFromProfile(profile: ProfileSpec | undefined): TlsSettings {
  switch (profile?.type) {
    case 'Old':
      return {
        minVersion: 'TLSv1.2',
        ciphers: OLD.join(':'),
        source: 'cluster tlsSecurityProfile Old (at least TLS 1.2)',
      };
    case 'Modern':
      return { minVersion: 'TLSv1.3', ciphers: TLS13.join(':'), source: 'cluster tlsSecurityProfile Modern' };
    case 'Custom': {
      const ciphers = profile.custom?.ciphers?.filter((c) => /^[A-Za-z0-9_-]+$/.test(c)) ?? [];
      return {
        minVersion: minVersionOf(profile.custom?.minTLSVersion),
        ciphers: ciphers.length > 0 ? [...new Set([...TLS13, ...ciphers])].join(':') : undefined,
        source: `cluster tlsSecurityProfile Custom (${profile.custom?.minTLSVersion ?? 'no minTLSVersion'})`,
      };
    }
    default:
      return {
        minVersion: 'TLSv1.2',
        ciphers: INTERMEDIATE.join(':'),
        source: `cluster tlsSecurityProfile ${profile?.type ?? 'unset'} (Intermediate)`,
      };
  }
}

/** Reads APIServer `cluster`; where it cannot be read (not OpenShift, no permission), the default. */
export async function readClusterTls(
  get: (path: string) => Promise<{ spec?: { tlsSecurityProfile?: ProfileSpec } } | undefined>,
): Promise<TlsSettings> {
  try {
    const apiServer = await get('/apis/config.openshift.io/v1/apiservers/cluster');
    return apiServer ? tlsFromProfile(apiServer.spec?.tlsSecurityProfile) : DEFAULT_TLS;
  } catch {
    return DEFAULT_TLS;
  }
}
