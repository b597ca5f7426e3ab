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
