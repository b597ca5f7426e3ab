// Where the e2e tests find the plugin build and put what they leave behind.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The plugin's webpack output, which the console shell serves. */
export const pluginDistDir = join(repoRoot, 'dist');
/** Screenshots and logs (gitignored). */
export const artifactsDir = join(repoRoot, 'e2e', 'artifacts');
