// The HTTP application: health endpoints and the plugin's static assets. The REST API is
// mounted under the base path that the console's plugin proxy forwards to.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type Express } from 'express';
import type { Logger } from '../logging.ts';
import type { Readiness } from './readiness.ts';

export interface AppOptions {
  logger: Logger;
  readiness: Readiness;
  /** Must start and end with "/". */
  basePath: string;
  /** Directory with plugin-manifest.json; empty string: serve no assets. */
  pluginAssetsDir: string;
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'strong');

  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  router.get('/readyz', (_req, res) => {
    const report = options.readiness.report();
    res.status(report.ready ? 200 : 503).json(report);
  });

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
  return app;
}
