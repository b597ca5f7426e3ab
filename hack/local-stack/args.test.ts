import { describe, expect, it } from 'vitest';
import { parseStartArgs, StartUsageError } from './args.ts';

function usageError(argv: string[]): StartUsageError {
  try {
    parseStartArgs(argv);
  } catch (err) {
    if (err instanceof StartUsageError) return err;
    throw err;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('the start command’s flags', () => {
  it('default to the local stack on AWS with five workers, backend on 9001 and shell on 9000', () => {
    expect(parseStartArgs([])).toEqual({
      platform: 'aws',
      nodes: 5,
      backendPort: 9001,
      shellPort: 9000,
      realConsoles: [],
    });
  });

  it('accept the platform, node count and ports, with or without "=" and after npm’s "--"', () => {
    expect(parseStartArgs(['--', '--platform', 'azure', '--nodes=12', '--port', '0', '--shell-port=8080'])).toEqual({
      platform: 'azure',
      nodes: 12,
      backendPort: 0,
      shellPort: 8080,
      realConsoles: [],
    });
  });

  it('start real consoles beside the shell, and name the versions there are when one is not', () => {
    expect(parseStartArgs(['--real-console', '4.20,4.22'])).toMatchObject({ realConsoles: ['4.20', '4.22'] });
    expect(() => parseStartArgs(['--real-console', '4.19'])).toThrow(
      '--real-console: "4.19" is not a console this project has; use 4.20 or 4.22, comma-separated',
    );
  });

  it('take a kubeconfig path for a real cluster', () => {
    expect(parseStartArgs(['--kubeconfig', '/home/me/.kube/config'])).toMatchObject({
      kubeconfig: '/home/me/.kube/config',
    });
  });

  it('answer --help with nothing to start', () => {
    expect(parseStartArgs(['--help'])).toBeUndefined();
    expect(parseStartArgs(['-h'])).toBeUndefined();
  });

  it('refuse an unknown platform, naming the flag and the accepted values', () => {
    expect(usageError(['--platform', 'gcp']).message).toBe('--platform: "gcp" is not supported; use aws or azure');
  });

  it.each([['-1'], ['5001'], ['three'], ['2.5'], ['']])('refuse --nodes %j', (value) => {
    expect(usageError([`--nodes=${value}`]).message).toMatch(
      /^--nodes: ".*" is not accepted; use a whole number from 0 to 5000$/,
    );
  });

  it.each([
    ['--port', '65536'],
    ['--shell-port', 'http'],
    ['--port', '-5'],
  ])('refuse %s %j as a port', (flag, value) => {
    expect(usageError([`${flag}=${value}`]).message).toMatch(
      new RegExp(`^${flag}: ".*" is not a port; use a number from 1 to 65535, or 0`),
    );
  });

  it('refuse an unknown flag and show the usage', () => {
    const message = usageError(['--cloud', 'aws']).message;
    expect(message).toMatch(/Unknown option '--cloud'/);
    expect(message).toContain('usage: hack/run start');
  });

  it('refuse an empty kubeconfig path', () => {
    expect(usageError(['--kubeconfig', ' ']).message).toBe(
      '--kubeconfig: the path is empty; pass the path of a kubeconfig file',
    );
  });

  it.each([
    [['--kubeconfig', 'k', '--platform', 'azure'], '--platform'],
    [['--nodes=3', '--kubeconfig', 'k'], '--nodes'],
  ])('refuse %j: the real cluster has its own platform and nodes', (argv, flag) => {
    expect(usageError(argv).message).toBe(
      `${flag}: not used with --kubeconfig (the real cluster has its own platform and nodes); drop one of the two`,
    );
  });
});
