// The HTTP application of the API port: the plugin's static assets, /healthz, and the REST API,
// under the base path that the console's plugin proxy forwards to. Anyone signed in to the console
// reaches this port through that proxy, so readiness and metrics live on the health port instead
// (health.ts).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { API_PREFIX } from '@peer-pods-console/contract/endpoints';
import type { Logger } from '../logging.ts';
import { errorHandler } from './errors.ts';

export interface AppOptions {
  logger: Logger;
  /** Must start and end with "/". */
  basePath: string;
  /** Directory with plugin-manifest.json; empty string: serve no assets. */
  pluginAssetsDir: string;
  /** The REST API, mounted at <basePath>api/v1. */
  api?: Router;
}

/**
 * The URL as logged: query values can carry credentials (an access_token pasted into a link), so
 * only the parameter names are kept.
 */
export function withoutQueryValues(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const names = url
    .slice(query + 1)
    .split('&')
    .map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=…` : pair));
  return `${url.slice(0, query)}?${names.join('&')}`;
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'strong');
  app.set('trust proxy', false);
  app.use(
    helmet({
      // The console loads the plugin's chunks cross-origin; the assets are scripts, not pages.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    }),
  );
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Probes and asset loads are frequent and uninteresting; errors are always logged.
      autoLogging: { ignore: (req) => !req.url?.includes(API_PREFIX) },
      // 503 is "try again" by design (a cache still loading, the cloud throttling, shutting down),
      // with Retry-After where known: a warning, not an error that pages someone.
      customLogLevel: (_req, res, err) =>
        res.statusCode === 503
          ? 'warn'
          : err || res.statusCode >= 500
            ? 'error'
            : res.statusCode >= 400
              ? 'warn'
              : 'info',
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: withoutQueryValues(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  if (options.api) router.use(API_PREFIX, options.api);

  if (options.pluginAssetsDir) {
    const dir = resolve(options.pluginAssetsDir);
    if (!existsSync(resolve(dir, 'plugin-manifest.json'))) {
      options.logger.warn({ dir }, 'plugin assets directory has no plugin-manifest.json; run `npm run build:plugin`');
    }
    router.use(
      express.static(dir, {
        index: false,
        fallthrough: true,
        setHeaders(res, path) {
          // The console reads the manifest on every load to find the current chunk names;
          // chunks are content-hashed, so they can be cached for as long as they exist.
          if (path.endsWith('plugin-manifest.json') || path.includes('/locales/')) {
            res.setHeader('Cache-Control', 'no-cache');
          } else {
            res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
          }
        },
      }),
    );
  }

  app.use(options.basePath, router);
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such path' } });
  });
  app.use(errorHandler(options.logger));
  return app;
}
