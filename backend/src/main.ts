// Entry point: configuration → backend. Exits with status 2 and a message naming the setting
// when the configuration is invalid; SIGTERM drains in-flight requests before exiting.
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startBackend } from './backend.ts';

let config: Config;
try {
  config = loadConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`peer-pods-console backend: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
const backend = await startBackend(config);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void backend.stop().then(() => process.exit(0));
  });
}
