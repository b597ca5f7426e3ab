// Bundles the console shell's browser code (web/) with esbuild, in memory.
//
// Why esbuild and not a webpack ModuleFederationPlugin host: the console itself does not consume
// plugins through a webpack "remotes" config either. It fills a webpack *share scope* object
// (`{ [module]: { [version]: { get, from, eager, loaded } } }`) by hand and passes it to each
// plugin container's `init()`; the @openshift/dynamic-plugin-sdk PluginLoader takes that object
// as its `sharedScope` option. web/sharedScope.tsx builds the same object, so the shell needs no
// module federation of its own, and esbuild builds it in about a second on these 2-core machines
// where a second webpack build would take a minute.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const require = createRequire(join(repoRoot, 'package.json'));

/** Virtual module the browser code imports for the versions and PatternFly modules it shares. */
const SHARED_MODULES_ID = 'console-shell:shared-module-loaders';

export interface ShellBundle {
  /** URL path (under /static/) → file. */
  files: Map<string, { contents: Uint8Array; contentType: string }>;
  /** Milliseconds the build took. */
  buildMs: number;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
};

export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 && contentTypes[path.slice(dot)]) || 'application/octet-stream';
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

/** The PatternFly module requests that ConsoleRemotePlugin shares (from each package's dynamic-modules.json). */
function patternFlyDynamicModules(pkg: string): string[] {
  const map = JSON.parse(readFileSync(require.resolve(`${pkg}/dist/dynamic-modules.json`), 'utf8')) as Record<
    string,
    string
  >;
  return [...new Set(Object.values(map))].sort().map((path) => `${pkg}/${path}`);
}

/**
 * Source of the virtual module: module versions, and one lazy `import()` per PatternFly dynamic
 * module. esbuild splits each into its own chunk, so a plugin loads only what it uses.
 * Icons (1,700+ modules) are left to the plugin's own fallback copies, which are context-free.
 */
function sharedModuleLoadersSource(): string {
  const versions = Object.fromEntries(
    [
      'react',
      'react-i18next',
      'react-redux',
      'react-router',
      'redux',
      'redux-thunk',
      '@openshift/dynamic-plugin-sdk',
      '@openshift-console/dynamic-plugin-sdk',
      '@patternfly/react-core',
      '@patternfly/react-table',
    ].map((name) => [name, packageVersion(name)]),
  );
  const dynamic = [
    ...patternFlyDynamicModules('@patternfly/react-core'),
    ...patternFlyDynamicModules('@patternfly/react-table'),
  ];
  const loaders = dynamic
    .map((request) => `  ${JSON.stringify(request)}: () => import(${JSON.stringify(request)}),`)
    .join('\n');
  return `export const versions = ${JSON.stringify(versions)};\nexport const patternFlyModules = {\n${loaders}\n};\n`;
}

/**
 * PatternFly's base styles (its design tokens), every component/layout/utility stylesheet, then the
 * shell's own. The tokens come from react-core and the component sheets from react-styles, so the
 * two must be the same minor version (package.json pins react-styles beside react-core): a newer
 * react-styles names tokens the older base never defines, and a switch that is off draws no track.
 */
export function shellStylesheets(): string[] {
  const stylesRoot = dirname(require.resolve('@patternfly/react-styles/package.json'));
  const sheets: string[] = [];
  const collect = (dir: string) => {
    for (const entry of readdirSorted(dir)) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) collect(full);
      else if (entry.name.endsWith('.css')) sheets.push(full);
    }
  };
  for (const group of ['components', 'layouts', 'utilities']) collect(join(stylesRoot, 'css', group));
  return [require.resolve('@patternfly/react-core/dist/styles/base.css'), ...sheets, join(here, 'web', 'shell.css')];
}

function stylesheetSource(): string {
  return shellStylesheets()
    .map((file) => `@import ${JSON.stringify(file)};`)
    .join('\n');
}

function readdirSorted(dir: string) {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
}

const virtualModules: esbuild.Plugin = {
  name: 'console-shell-virtual-modules',
  setup(build) {
    // The published SDK's entry only requires the console's internals; in the shell, the SDK is
    // the shell's runtime (its pure lib/ modules stay importable by their paths).
    build.onResolve({ filter: /^@openshift-console\/dynamic-plugin-sdk$/ }, () => ({
      path: join(here, 'web', 'sdk', 'index.tsx'),
    }));
    build.onResolve({ filter: new RegExp(`^${SHARED_MODULES_ID}$`) }, () => ({
      path: SHARED_MODULES_ID,
      namespace: 'console-shell',
    }));
    build.onLoad({ filter: /.*/, namespace: 'console-shell' }, () => ({
      contents: sharedModuleLoadersSource(),
      loader: 'js',
      resolveDir: repoRoot,
    }));
  },
};

/** Builds the shell's JavaScript (ESM, code-split) and its one stylesheet into memory. */
export async function buildShellBundle(options: { minify?: boolean } = {}): Promise<ShellBundle> {
  const started = Date.now();
  const minify = options.minify ?? true;
  const common: esbuild.BuildOptions = {
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    outdir: '/static',
    publicPath: '/static/',
    minify,
    logLevel: 'silent',
    legalComments: 'none',
  };
  const [js, css] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { main: join(here, 'web', 'main.tsx') },
      format: 'esm',
      splitting: true,
      target: 'es2022',
      chunkNames: 'chunks/[name]-[hash]',
      jsx: 'automatic',
      tsconfig: join(here, 'tsconfig.json'),
      // PatternFly components import their CSS; the stylesheet build below includes all of it,
      // as the console does, because plugins' own PatternFly fallbacks are built without CSS.
      loader: { '.css': 'empty' },
      define: { 'process.env.NODE_ENV': JSON.stringify(minify ? 'production' : 'development') },
      plugins: [virtualModules],
    }),
    esbuild.build({
      ...common,
      stdin: { contents: stylesheetSource(), loader: 'css', resolveDir: repoRoot, sourcefile: 'console-shell.css' },
      outdir: undefined,
      outfile: '/static/styles.css',
      assetNames: 'assets/[name]-[hash]',
      loader: {
        '.woff2': 'file',
        '.woff': 'file',
        '.ttf': 'file',
        '.otf': 'file',
        '.eot': 'file',
        '.svg': 'file',
        '.png': 'file',
        '.jpg': 'file',
        '.gif': 'file',
      },
    }),
  ]);
  const files: ShellBundle['files'] = new Map();
  for (const output of [...(js.outputFiles ?? []), ...(css.outputFiles ?? [])]) {
    files.set(output.path, { contents: output.contents, contentType: contentTypeFor(output.path) });
  }
  return { files, buildMs: Date.now() - started };
}
