// The webhook's serving certificate, reloaded from disk when the files change, so that a rotated
// certificate (cert-manager, service-ca, a Secret volume's atomic symlink swap) is served without
// a restart. Two triggers: fs.watch on the files' directories for speed, and a periodic check for
// the cases fs.watch misses. A pair that does not load (half-written, key and cert mismatched)
// keeps the previous one in service and is retried at the next check.

import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { DEFAULT_TLS, type TlsSettings } from '../server/tls-profile.ts';

export interface CertificatePair {
  cert: string;
  key: string;
}

export const TLS_MIN_VERSION = DEFAULT_TLS.minVersion;

/** The pair with the TLS versions and ciphers to serve it with (the cluster's profile, server/tls-profile.ts). */
export function secureContextOptions(pair: CertificatePair, tls: TlsSettings = DEFAULT_TLS): SecureContextOptions {
  return {
    cert: pair.cert,
    key: pair.key,
    minVersion: tls.minVersion,
    ...(tls.ciphers ? { ciphers: tls.ciphers } : {}),
  };
}

/** Reads the pair and proves it loads; throws an error naming the file otherwise. */
export function loadCertificatePairSync(certFile: string, keyFile: string): CertificatePair {
  const cert = readNamed(certFile, 'certificate');
  const key = readNamed(keyFile, 'private key');
  try {
    createSecureContext(secureContextOptions({ cert, key }));
  } catch (error) {
    throw new Error(
      `the TLS certificate ${certFile} and key ${keyFile} do not load together: ${(error as Error).message}`,
    );
  }
  return { cert, key };
}

function readNamed(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read the TLS ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export interface CertificateWatcherOptions {
  certFile: string;
  keyFile: string;
  current: CertificatePair;
  /** how often to re-read the files even without a change event */
  intervalMs: number;
  onChange(pair: CertificatePair): void;
  onError(error: Error): void;
}

export class CertificateWatcher {
  private current: CertificatePair;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private watchers: FSWatcher[] = [];
  private checking = false;
  private checkAgain = false;
  private lastError = '';

  constructor(private readonly options: CertificateWatcherOptions) {
    this.current = options.current;
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
    for (const directory of new Set([dirname(this.options.certFile), dirname(this.options.keyFile)])) {
      try {
        const watcher = watch(directory, { persistent: false }, () => this.scheduleCheck());
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // Some filesystems cannot be watched; the periodic check still covers them.
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }

  private scheduleCheck(): void {
    // Writers replace cert and key one after the other; wait for both before reading.
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.check(), 100);
    this.debounce.unref();
  }

  /** Re-reads the files and switches to them when they changed and load. */
  async check(): Promise<void> {
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.checking = true;
    try {
      do {
        this.checkAgain = false;
        await this.reload();
      } while (this.checkAgain);
    } finally {
      this.checking = false;
    }
  }

  private async reload(): Promise<void> {
    try {
      const [cert, key] = await Promise.all([
        readFile(this.options.certFile, 'utf8'),
        readFile(this.options.keyFile, 'utf8'),
      ]);
      if (cert === this.current.cert && key === this.current.key) return;
      const pair = { cert, key };
      createSecureContext(secureContextOptions(pair));
      this.current = pair;
      this.lastError = '';
      this.options.onChange(pair);
    } catch (error) {
      const message = (error as Error).message;
      // Report a given failure once, not at every check while it persists.
      if (message !== this.lastError) {
        this.lastError = message;
        this.options.onError(
          new Error(
            `cannot reload the TLS certificate from ${this.options.certFile} and ${this.options.keyFile}: ${message}`,
          ),
        );
      }
    }
  }
}
