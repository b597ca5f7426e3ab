// The backend's serving certificate, mounted the way a Kubernetes Secret volume mounts it, so that
// a script can rotate it as the kubelet does (or clumsily, as a person might).
import { X509Certificate } from 'node:crypto';
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate, type CertificateAuthority } from '../../hack/pki.ts';
import { sleep } from './harness.ts';

/** A serving certificate for 127.0.0.1 from the cluster's CA. */
async function issueServing(ca: CertificateAuthority) {
  const issued = await issueCertificate(ca, {
    commonName: 'peer-pods-console',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  return { ...issued, fingerprint: new X509Certificate(issued.certPem).fingerprint256 };
}

/**
 * `tls.crt` and `tls.key` are symlinks into `..data`, itself a symlink to a timestamped directory;
 * `swap()` writes a new directory and renames a new `..data` link over the old one, so both files
 * change at one instant.
 */
export class SecretVolume {
  readonly certFile: string;
  readonly keyFile: string;
  private generation = 0;

  private constructor(
    private readonly dir: string,
    private readonly ca: CertificateAuthority,
  ) {
    this.certFile = join(dir, 'tls.crt');
    this.keyFile = join(dir, 'tls.key');
  }

  static async create(ca: CertificateAuthority, dir: string): Promise<SecretVolume> {
    mkdirSync(dir, { recursive: true });
    const volume = new SecretVolume(dir, ca);
    await volume.swap();
    symlinkSync('..data/tls.crt', volume.certFile);
    symlinkSync('..data/tls.key', volume.keyFile);
    return volume;
  }

  /** A new certificate and key, made current atomically; returns the new fingerprint. */
  async swap(): Promise<string> {
    const issued = await issueServing(this.ca);
    const generation = `..${Date.now()}_${this.generation++}`;
    mkdirSync(join(this.dir, generation));
    writeFileSync(join(this.dir, generation, 'tls.crt'), issued.certPem);
    writeFileSync(join(this.dir, generation, 'tls.key'), issued.keyPem, { mode: 0o600 });
    symlinkSync(generation, join(this.dir, '..data_tmp'));
    renameSync(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
    return issued.fingerprint;
  }

  /**
   * The clumsy way: the certificate file rewritten in place, then the key `gapMs` later — for a
   * moment the two do not belong together, and the old pair must stay in service.
   */
  async rewriteInPlace(gapMs: number): Promise<string> {
    const issued = await issueServing(this.ca);
    const target = join(this.dir, '..data');
    writeFileSync(join(target, 'tls.crt'), issued.certPem);
    await sleep(gapMs);
    writeFileSync(join(target, 'tls.key'), issued.keyPem);
    return issued.fingerprint;
  }
}
