// Reproduces the image without a container engine: the build stage's work in a copy of the build
// context (the files .dockerignore lets through), then the runtime stage's file layout - the
// COPY --from=build paths of the Dockerfile plus production-only dependencies installed the way
// the build stage prunes them (`npm ci --omit=dev --ignore-scripts`, cached by lockfile hash).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cacheRoot } from '../../controlplane/binaries.ts';
import { withLock } from '../../file-lock.ts';
import { REPO_ROOT } from '../render.ts';
import { isIgnored, parseDockerfile, parseDockerignore, type Stage } from './dockerfile.ts';

export const DOCKERFILE = join(REPO_ROOT, 'Dockerfile');
export const DOCKERIGNORE = join(REPO_ROOT, '.dockerignore');

export function dockerfileStages(): Stage[] {
  return parseDockerfile(readFileSync(DOCKERFILE, 'utf8')).stages;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
  log: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    log(`$ ${command} ${args.join(' ')}  (in ${options.cwd})`);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} failed with exit code ${code}:\n${output.slice(-4000)}`)),
    );
  });
}

/** Copies the repository into `dest` as `docker build .` would send it: without what .dockerignore names. */
export function copyBuildContext(dest: string): string[] {
  const patterns = parseDockerignore(readFileSync(DOCKERIGNORE, 'utf8'));
  const copied: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(REPO_ROOT, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (isIgnored(patterns, path)) continue;
      if (entry.isDirectory()) {
        mkdirSync(join(dest, path), { recursive: true });
        walk(path);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        cpSync(join(REPO_ROOT, path), join(dest, path));
        copied.push(path);
      }
    }
  };
  mkdirSync(dest, { recursive: true });
  walk('');
  return copied;
}

/** node_modules with production dependencies only, as the build stage leaves them; cached by lockfile. */
export async function productionNodeModules(log: (line: string) => void): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(REPO_ROOT, file)));
  const dir = join(cacheRoot(), 'image-node-modules', hash.digest('hex').slice(0, 12));
  const nodeModules = join(dir, 'node_modules');
  if (existsSync(nodeModules)) {
    log(`[image] using cached production node_modules in ${dir}`);
    return nodeModules;
  }
  mkdirSync(dirname(dir), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (existsSync(nodeModules)) return nodeModules;
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(REPO_ROOT, file), join(staging, file));
    log('[image] installing production dependencies (first run for this lockfile)');
    await run(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
      { cwd: staging },
      log,
    );
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    return nodeModules;
  });
}

export interface RuntimeLayout {
  /** the runtime stage's WORKDIR, reproduced */
  appDir: string;
  /** the build context copy, with the build stage's output */
  contextDir: string;
  cleanup(): void;
}

/**
 * Builds the plugin and the backend in a copy of the build context (with the repository's
 * installed node_modules standing in for the build stage's `npm ci`) and assembles the runtime
 * stage's files from it.
 */
export async function prepareRuntimeLayout(log: (line: string) => void): Promise<RuntimeLayout> {
  const root = mkdtempSync(join(tmpdir(), 'peerpods-image-'));
  const contextDir = join(root, 'context');
  const appDir = join(root, 'app');
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    const copied = copyBuildContext(contextDir);
    log(`[image] build context: ${copied.length} files`);
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(contextDir, 'node_modules'), 'dir');
    await run('npm', ['run', '-s', 'build'], { cwd: contextDir }, log);

    const runtime = dockerfileStages().at(-1)!;
    const prodModules = await productionNodeModules(log);
    mkdirSync(appDir, { recursive: true });
    for (const copy of runtime.instructions.filter((i) => i.keyword === 'COPY' && i.args.includes('--from='))) {
      const [source, destination] = copy.args.split(' ').filter((a) => !a.startsWith('--'));
      const relative = source!.replace(/^\/opt\/app-root\/src\/?/, '');
      const target = join(appDir, destination!.replace(/^\.\//, ''));
      mkdirSync(dirname(target), { recursive: true });
      if (relative === 'node_modules') {
        // hard links: the cached install is large, and nothing here writes to it
        await run('cp', ['-al', prodModules, target], { cwd: root }, log).catch(() =>
          run('cp', ['-r', prodModules, target], { cwd: root }, log),
        );
      } else {
        cpSync(join(contextDir, relative), target, { recursive: true });
      }
    }
    return { appDir, contextDir, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
