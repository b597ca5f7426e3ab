// One lock for the caches the project fills on first use (control-plane binaries, helm, hadolint,
// the image's production node_modules, the unpacked real consoles): parallel test workers, CI
// steps and `hack/run start` wait for whoever is filling a cache instead of filling it twice.
// proper-lockfile keeps the lock's mtime fresh while it is held, so a lock left by a killed
// process goes stale and is taken over, where a bare O_EXCL file would block every later run.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';

/** Runs fn while holding `<path>` (a lock directory), waiting up to an hour for another holder. */
export async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  // Earlier versions locked with a plain file at the same path; one left behind is nobody's.
  if (statSync(path, { throwIfNoEntry: false })?.isFile()) rmSync(path, { force: true });
  const release = await lockfile.lock(path, {
    // The lock names itself; no file needs to exist at `path`.
    realpath: false,
    lockfilePath: path,
    // A holder refreshes the lock every 10 s; one not refreshed for 60 s is a dead process's.
    stale: 60_000,
    update: 10_000,
    retries: { retries: 3600, factor: 1, minTimeout: 1000, maxTimeout: 1000 },
  });
  try {
    return await fn();
  } finally {
    await release();
  }
}
