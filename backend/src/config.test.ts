import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({ host: '0.0.0.0', port: 9001, basePath: '/', logLevel: 'info', leaderElection: true });
  });

  it('reads environment variables and lets a flag win over its variable', () => {
    const config = loadConfig(['--port', '8443'], { PORT: '7000', LOG_LEVEL: 'debug' });
    expect(config.port).toBe(8443);
    expect(config.logLevel).toBe('debug');
  });

  it('names the setting and the accepted values when a value is bad', () => {
    expect(() => loadConfig([], { LOG_LEVEL: 'loud' })).toThrowError(ConfigError);
    expect(() => loadConfig([], { LOG_LEVEL: 'loud' })).toThrowError(
      /LOG_LEVEL \(or --log-level\): "loud" is not accepted; use fatal, error, warn, info, debug, trace, silent/,
    );
  });

  it('reports every bad setting at once', () => {
    try {
      loadConfig(['--port', '70000'], { BASE_PATH: 'backend' });
      expect.unreachable('loadConfig accepted bad values');
    } catch (err) {
      expect((err as Error).message).toContain('--port: "70000"');
      expect((err as Error).message).toContain('BASE_PATH (or --base-path): "backend"');
    }
  });

  it('rejects unknown flags and lists the known ones', () => {
    expect(() => loadConfig(['--prot', '1'], {})).toThrowError(/Unknown option '--prot'.*Known flags: --host, --port/);
  });

  it('requires the TLS certificate and key together', () => {
    expect(() => loadConfig(['--tls-cert-file', '/tmp/tls.crt'], {})).toThrowError(/set both/);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig([], {}))).toBe(true);
  });
});
