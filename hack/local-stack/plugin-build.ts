// The plugin build the console shell serves: rebuilt only when dist/ is missing or older than
// its sources, so a second `hack/run start` starts in seconds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultPluginDistDir = join(repoRoot, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds the plugin when dist/ is missing or older than console-plugin/, contract/ (bundled too),
 * i18n/ or the webpack config.
 * `buildOutput: 'stderr'` keeps webpack's output off stdout (for scripts that print JSON there).
 */
export function buildPluginIfStale(
  log: (line: string) => void,
  prefix = '[start]',
  buildOutput: 'inherit' | 'stderr' = 'inherit',
): void {
  const manifest = join(defaultPluginDistDir, 'plugin-manifest.json');
  const sourcesMtime = Math.max(
    newestMtime(join(repoRoot, 'console-plugin')),
    newestMtime(join(repoRoot, 'contract')),
    newestMtime(join(repoRoot, 'i18n')),
    statSync(join(repoRoot, 'webpack.config.ts')).mtimeMs,
  );
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= sourcesMtime) {
    log(`${prefix} plugin build is up to date`);
    return;
  }
  log(`${prefix} building the plugin (npm run build:plugin)`);
  const build = spawnSync('npm', ['run', '-s', 'build:plugin'], {
    cwd: repoRoot,
    stdio: buildOutput === 'stderr' ? ['ignore', 2, 2] : 'inherit',
  });
  if (build.status !== 0) throw new Error(`npm run build:plugin failed with exit code ${build.status}`);
  // webpack leaves an unchanged manifest untouched; mark the build as current for the next run.
  const now = new Date();
  utimesSync(manifest, now, now);
}
