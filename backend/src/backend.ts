// Wires the backend together from a validated Config: logger, readiness, servers, shutdown.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Config } from './config.ts';
import { createLogger } from './logging.ts';
import { createApp } from './server/app.ts';
import { Readiness } from './server/readiness.ts';

export interface RunningBackend {
  config: Config;
  server: Server;
  url: string;
  stop(): Promise<void>;
}

export async function startBackend(config: Config): Promise<RunningBackend> {
  const logger = createLogger(config.logLevel);
  const readiness = new Readiness();
  const app = createApp({ logger, readiness, basePath: config.basePath, pluginAssetsDir: config.pluginAssetsDir });
  const tls = Boolean(config.tlsCertFile);
  const server: Server = tls
    ? createHttpsServer(
        { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile), minVersion: 'TLSv1.2' },
        app,
      )
    : createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `${tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}${config.basePath}`;
  logger.info({ url, tls }, 'backend listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      readiness.markShuttingDown();
      logger.info('shutting down: no new connections, finishing in-flight requests');
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutSeconds * 1000);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      server.closeIdleConnections();
    }));
  return { config, server, url, stop };
}
