import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9001,
      basePath: '/',
      logLevel: 'info',
      leaderElection: true,
    });
  });

  it('leaves the Azure endpoints unset by default, so the cluster’s own Azure cloud decides them', () => {
    // A public-cloud default here sent US Government and China credentials to public endpoints.
    expect(loadConfig([], {})).toMatchObject({ azureArmEndpoint: '', azureAuthorityHost: '' });
    expect(loadConfig([], { AZURE_ARM_ENDPOINT: 'https://management.usgovcloudapi.net' }).azureArmEndpoint).toBe(
      'https://management.usgovcloudapi.net',
    );
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

  it('serves health and metrics on port 9444 by default, or on METRICS_PORT / --metrics-port', () => {
    expect(loadConfig([], {}).metricsPort).toBe(9444);
    expect(loadConfig([], { METRICS_PORT: '0' }).metricsPort).toBe(0);
    expect(loadConfig(['--metrics-port', '8444'], { METRICS_PORT: '7444' }).metricsPort).toBe(8444);
  });

  it('refuses two listeners on one port, naming both settings', () => {
    expect(() => loadConfig([], { METRICS_PORT: '9001' })).toThrowError(
      /PORT and METRICS_PORT are both 9001; each listener needs a port of its own/,
    );
    const webhook = { WEBHOOK_CERT_FILE: '/tls.crt', WEBHOOK_KEY_FILE: '/tls.key' };
    expect(() => loadConfig([], { ...webhook, METRICS_PORT: '9443' })).toThrowError(
      /METRICS_PORT and WEBHOOK_PORT are both 9443/,
    );
    // 0 asks for a free port each: no clash; the webhook port only counts when the webhook is on.
    expect(loadConfig([], { ...webhook, PORT: '0', METRICS_PORT: '0', WEBHOOK_PORT: '0' }).metricsPort).toBe(0);
    expect(loadConfig([], { METRICS_PORT: '9443' }).metricsPort).toBe(9443);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig([], {}))).toBe(true);
  });
});

describe('webhook and cloud settings', () => {
  it("accepts upstream's TARGET_RUNTIMECLASS spelling", () => {
    expect(loadConfig([], { TARGET_RUNTIMECLASS: 'kata-remote-2' }).targetRuntimeClass).toBe('kata-remote-2');
  });

  it('prefers TARGET_RUNTIME_CLASS when both spellings are set', () => {
    expect(loadConfig([], { TARGET_RUNTIME_CLASS: 'a', TARGET_RUNTIMECLASS: 'b' }).targetRuntimeClass).toBe('a');
  });

  it('splits the excluded namespaces and keeps prefix patterns', () => {
    expect(loadConfig([], {}).webhookExcludedNamespaces).toEqual(['kube-system', 'kube-node-lease', 'openshift-*']);
  });

  it('rejects an extended resource without a domain', () => {
    expect(() => loadConfig([], { POD_VM_EXTENDED_RESOURCE: 'vm' })).toThrowError(/POD_VM_EXTENDED_RESOURCE/);
  });

  it('rejects an AWS endpoint that is not a URL, without echoing other settings', () => {
    expect(() => loadConfig([], { AWS_ENDPOINT_URL: 'localhost:5000' })).toThrowError(/AWS_ENDPOINT_URL/);
  });
});
