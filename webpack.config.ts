// Builds console-plugin/ into dist/ as an OpenShift console dynamic plugin.
//
// How this TypeScript file gets loaded: the npm scripts run webpack-cli with
// `NODE_OPTIONS=--import=tsx` and `--disable-interpret`. tsx registers its ESM and CJS loaders
// before webpack-cli starts, so this file (ESM, since package.json has "type": "module") and the
// extension manifests it imports load like any module. webpack-cli's own "interpret" path would
// instead try ts-node/register, which compiles to CommonJS and breaks on an ESM package.
// Tests import createWebpackConfig() directly; Vitest compiles TypeScript itself.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ConsoleRemotePlugin } from '@openshift-console/dynamic-plugin-sdk-webpack';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import type { Configuration as DevServerConfiguration } from 'webpack-dev-server';

import { pluginExtensions } from './console-plugin/src/plugin-extensions.ts';

const rootDir = path.dirname(fileURLToPath(import.meta.url));
const pluginSourceDir = path.resolve(rootDir, 'console-plugin/src');
export const distDir = path.resolve(rootDir, 'dist');
const localesDir = path.resolve(rootDir, 'i18n/locales');

/** Port the console's bridge loads the plugin from in development (`npm run start:plugin`). */
export const DEV_SERVER_PORT = 9001;

type WebpackMode = 'production' | 'development';

/**
 * The plugin build for one mode. Side effect, on purpose: production sets NODE_ENV=production
 * when it is unset or different, because ConsoleRemotePlugin names the entry script from NODE_ENV
 * (`plugin-entry.[fullhash].min.js`), not from webpack's mode.
 */
export const createWebpackConfig = (mode: WebpackMode): Configuration & { devServer?: DevServerConfiguration } => {
  const isProduction = mode === 'production';
  if (isProduction) process.env.NODE_ENV = 'production';

  return {
    mode,
    // No entry points of our own: ConsoleRemotePlugin generates the remote container entry.
    entry: {},
    // exposedModules paths in package.json are relative to this directory.
    context: pluginSourceDir,
    output: {
      path: distDir,
      // Content hashes in production: the console caches plugin assets, a new build must get new names.
      filename: isProduction ? '[name]-bundle-[contenthash].min.js' : '[name]-bundle.js',
      chunkFilename: isProduction ? '[name]-chunk-[contenthash].min.js' : '[name]-chunk.js',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.jsx'],
      // Code shared with Node (manifests, the contract package) imports with explicit .ts
      // extensions, which the TypeScript compiler rewrites to .js.
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          // Also the contract package: webpack follows its workspace link to contract/src/.
          exclude: /node_modules/,
          use: [
            {
              loader: 'ts-loader',
              options: {
                configFile: path.resolve(rootDir, 'console-plugin/tsconfig.json'),
                // Type errors are caught by `npm run typecheck` (part of `npm run lint`); the
                // bundler only transpiles, which keeps builds and the manifest test fast.
                transpileOnly: true,
                compilerOptions: { noEmit: false, sourceMap: !isProduction },
              },
            },
          ],
        },
        {
          test: /\.css$/,
          use: ['style-loader', 'css-loader'],
        },
        {
          test: /\.(png|jpe?g|gif|svg|woff2?|ttf|eot|otf)(\?.*)?$/,
          type: 'asset/resource',
          generator: { filename: 'assets/[name]-[contenthash][ext]' },
        },
        {
          // Some ESM dependencies import without file extensions.
          test: /\.m?js$/,
          resolve: { fullySpecified: false },
        },
      ],
    },
    plugins: [
      new ConsoleRemotePlugin({
        extensions: pluginExtensions,
        // The SDK of the oldest supported console (4.20) declares React 17 and react-router 5, while
        // the tests and the stand-in console run React 18; the plugin uses only what both consoles
        // share (eslint.config.js), and both real consoles run it in the e2e lane.
        validateSharedModules: false,
      }),
      new CopyWebpackPlugin({
        // i18n/locales/<lang>/plugin__peer-pods-console-plugin.json → dist/locales/<lang>/…
        // The console initialises i18next with load: 'languageOnly', so a zh-cn user's browser asks
        // for locales/zh/; Simplified Chinese is served under both names.
        patterns: [
          { from: localesDir, to: 'locales' },
          { from: path.join(localesDir, 'zh-cn'), to: 'locales/zh' },
        ],
      }),
    ],
    devtool: isProduction ? false : 'source-map',
    optimization: {
      chunkIds: isProduction ? 'deterministic' : 'named',
      minimize: isProduction,
    },
    // PatternFly fallback chunks are large but only load when the console does not provide the
    // shared module; the exposed modules' own sizes are reported by the build, not warned about.
    performance: { hints: false },
    devServer: {
      static: distDir,
      port: DEV_SERVER_PORT,
      // The console's bridge (often in a container) fetches the plugin from this server.
      allowedHosts: 'all',
      headers: {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, PATCH, OPTIONS',
        'Access-Control-Allow-Headers': 'X-Requested-With, Content-Type, Authorization',
        'Cache-Control': 'no-store',
      },
      devMiddleware: { writeToDisk: true },
    },
  };
};

export default (_env: unknown, argv: { mode?: WebpackMode }): Configuration =>
  createWebpackConfig(argv.mode ?? (process.env.NODE_ENV === 'production' ? 'production' : 'development'));
