// @vitest-environment node
// Checks the built plugin the console will load: dist/plugin-manifest.json and the files it names.
// It builds dist/ itself (webpack Node API, production mode) when dist/ is missing or was built
// from other extensions or locale files than the repository holds now, so it never checks a stale build.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';
import webpack from 'webpack';

import { PLUGIN_I18N_NAMESPACE, PLUGIN_LOCALES } from '../../i18next-parser.config.js';
import { createWebpackConfig, distDir } from '../../webpack.config';
import { pluginExtensions } from './plugin-extensions';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pluginSourceDir = path.join(rootDir, 'console-plugin/src');
const manifestPath = path.join(distDir, 'plugin-manifest.json');

type PluginManifest = {
  name: string;
  version: string;
  extensions: { type: string; properties: Record<string, unknown> }[];
  loadScripts: string[];
};

const packageJson = JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as {
  consolePlugin: { name: string; exposedModules: Record<string, string> };
};
const { exposedModules } = packageJson.consolePlugin;

const readManifest = (): PluginManifest => JSON.parse(readFileSync(manifestPath, 'utf8')) as PluginManifest;

const buildPlugin = async (reason: string): Promise<void> => {
  console.info(`manifest.integration.test: building the plugin (${reason})…`);
  const nodeEnv = process.env.NODE_ENV;
  try {
    const stats = await new Promise<webpack.Stats>((resolve, reject) => {
      webpack(createWebpackConfig('production'), (error, result) => {
        if (error || !result) reject(error ?? new Error('webpack returned no stats'));
        else resolve(result);
      });
    });
    if (stats.hasErrors()) {
      throw new Error(
        `Building the plugin failed:\n${stats.toString({ all: false, errors: true, errorDetails: true })}`,
      );
    }
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  if (!existsSync(manifestPath)) throw new Error(`webpack succeeded but wrote no ${manifestPath}`);
};

const localeCopyIsStale = (locale: string): boolean => {
  const file = path.join(locale, `${PLUGIN_I18N_NAMESPACE}.json`);
  const source = path.join(rootDir, 'i18n/locales', file);
  const copy = path.join(distDir, 'locales', file);
  return !existsSync(copy) || readFileSync(copy, 'utf8') !== readFileSync(source, 'utf8');
};

/** Every `{ $codeRef }` value anywhere in an extension's properties. */
const codeRefsOf = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(codeRefsOf);
  if (typeof value !== 'object' || value === null) return [];
  const { $codeRef } = value as { $codeRef?: unknown };
  if (typeof $codeRef === 'string') return [$codeRef];
  return Object.values(value).flatMap(codeRefsOf);
};

/** Every `%namespace~key%` label anywhere in an extension's properties. */
const labelsOf = (value: unknown): { namespace: string; key: string }[] => {
  if (typeof value === 'string') {
    return [...value.matchAll(/^%([^~%]+)~(.+)%$/g)].map(([, namespace, key]) => ({
      namespace: namespace!,
      key: key!,
    }));
  }
  if (Array.isArray(value)) return value.flatMap(labelsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(labelsOf);
  return [];
};

const sourceFileOf = (modulePath: string): string | undefined =>
  ['', '.tsx', '.ts', '.jsx', '.js']
    .map((extension) => path.join(pluginSourceDir, `${modulePath}${extension}`))
    .find((candidate) => existsSync(candidate) && !candidate.endsWith(path.sep));

describe('built plugin manifest', () => {
  let manifest: PluginManifest;

  beforeAll(async () => {
    if (!existsSync(manifestPath)) {
      await buildPlugin(`${path.relative(rootDir, manifestPath)} does not exist`);
    } else if (JSON.stringify(readManifest().extensions) !== JSON.stringify(pluginExtensions)) {
      await buildPlugin('dist/ was built from other extensions than console-plugin/src declares');
    } else if (PLUGIN_LOCALES.some(localeCopyIsStale)) {
      await buildPlugin('dist/locales differs from i18n/locales');
    }
    manifest = readManifest();
  }, 300_000);

  it('names the plugin as package.json does and lists its entry scripts, which exist', () => {
    expect(manifest.name).toBe(packageJson.consolePlugin.name);
    expect(manifest.loadScripts.length).toBeGreaterThan(0);
    for (const script of manifest.loadScripts) expect(existsSync(path.join(distDir, script)), script).toBe(true);
  });

  it('contributes a console page route and exposes at least one module', () => {
    expect(manifest.extensions.some((extension) => extension.type === 'console.page/route')).toBe(true);
    expect(Object.keys(exposedModules).length).toBeGreaterThan(0);
  });

  it('resolves every $codeRef to an exposed module that the entry script serves and that has the export', () => {
    const entryScript = manifest.loadScripts
      .map((script) => readFileSync(path.join(distDir, script), 'utf8'))
      .join('\n');
    const problems = manifest.extensions.flatMap(({ type, properties }) =>
      codeRefsOf(properties).flatMap((codeRef) => {
        const [moduleName = '', exportName = 'default'] = codeRef.split('.');
        const modulePath = exposedModules[moduleName];
        if (!modulePath) return [`${type}: $codeRef "${codeRef}" names no module in consolePlugin.exposedModules`];
        // The remote container's module map: `PeerPodsPage: () => …` (minified or not).
        if (!new RegExp(`["']?${moduleName}["']?\\s*:\\s*\\(\\)\\s*=>`).test(entryScript)) {
          return [
            `${type}: exposed module "${moduleName}" is not in the container map of ${manifest.loadScripts.join(', ')}`,
          ];
        }
        const sourceFile = sourceFileOf(modulePath);
        if (!sourceFile) return [`${type}: exposed module "${moduleName}" points to missing ${modulePath}`];
        const source = readFileSync(sourceFile, 'utf8');
        const exported =
          exportName === 'default'
            ? /^export default /m.test(source)
            : new RegExp(`^export (const|function|class) ${exportName}\\b`, 'm').test(source);
        return exported ? [] : [`${type}: ${modulePath} has no export "${exportName}" for $codeRef "${codeRef}"`];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('has a translation of every %…% label in every language, in the copied locale files', () => {
    const labels = manifest.extensions.flatMap(({ properties }) => labelsOf(properties));
    expect(labels.length).toBeGreaterThan(0);
    const problems = PLUGIN_LOCALES.flatMap((locale) => {
      const file = path.join(distDir, 'locales', locale, `${PLUGIN_I18N_NAMESPACE}.json`);
      if (!existsSync(file)) return [`${locale}: ${path.relative(rootDir, file)} is missing`];
      const catalog = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      return labels.flatMap(({ namespace, key }) => {
        if (namespace !== PLUGIN_I18N_NAMESPACE) return [`label "${key}" uses namespace ${namespace}`];
        return catalog[key]?.trim() ? [] : [`${locale}: no translation of "${key}"`];
      });
    });
    expect(problems).toEqual([]);
  });

  it('ships exactly the six console languages, Simplified Chinese also as zh', () => {
    // The console loads languages without their region (i18next load: 'languageOnly').
    expect(readdirSync(path.join(distDir, 'locales')).sort()).toEqual([...PLUGIN_LOCALES, 'zh'].sort());
    const zhCn = readFileSync(path.join(distDir, 'locales', 'zh-cn', 'plugin__peer-pods-console-plugin.json'), 'utf8');
    const zh = readFileSync(path.join(distDir, 'locales', 'zh', 'plugin__peer-pods-console-plugin.json'), 'utf8');
    expect(zh).toBe(zhCn);
  });
});
