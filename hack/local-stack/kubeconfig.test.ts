import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, issueCertificate, type IssuedCertificate } from '../pki.ts';
import { StartUsageError } from './args.ts';
import { ADMIN_TOKEN_ENV, DEVELOPER_TOKEN_ENV, loadTargetCluster } from './kubeconfig.ts';

const TOKEN = 'sha256~kubeconfig-token-must-not-leak-0123456789';
const SERVER = 'https://api.cluster.example.com:6443';
let dir: string;
let caPem: string;
let client: IssuedCertificate;
let files = 0;

const b64 = (text: string) => Buffer.from(text).toString('base64');

function kubeconfig(overrides: Record<string, unknown> = {}, user: Record<string, unknown> = { token: TOKEN }): object {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'prod', cluster: { server: SERVER, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: 'kube:admin/prod', user }],
    contexts: [{ name: 'admin@prod', context: { cluster: 'prod', user: 'kube:admin/prod' } }],
    'current-context': 'admin@prod',
    ...overrides,
  };
}

function write(content: string | object): string {
  const path = join(dir, `kubeconfig-${(files += 1)}`);
  writeFileSync(path, typeof content === 'string' ? content : dump(content));
  return path;
}

async function refusal(path: string, env: Record<string, string> = {}): Promise<StartUsageError> {
  try {
    await loadTargetCluster(path, env);
  } catch (err) {
    if (err instanceof StartUsageError) return err;
    throw err;
  }
  throw new Error(`expected ${path} to be refused`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubeconfig-test-'));
  const ca = await createCertificateAuthority('kubeconfig-test-ca');
  caPem = ca.certPem;
  client = await issueCertificate(ca, { commonName: 'admin', organizations: ['system:masters'], usage: 'client' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--kubeconfig FILE is checked before anything starts', () => {
  it('refuses a file that does not exist, naming the flag and where kubeconfigs come from', async () => {
    const error = await refusal(join(dir, 'nowhere'));
    expect(error.message).toBe(
      `--kubeconfig: ${join(dir, 'nowhere')} does not exist; pass the path of a kubeconfig file (\`oc login\` and \`kubectl config\` write ~/.kube/config)`,
    );
  });

  it('refuses a directory', async () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    expect((await refusal(sub)).message).toBe(`--kubeconfig: ${sub} is not a file; pass the path of a kubeconfig file`);
  });

  it('refuses broken YAML with the line number, without quoting the file (it may hold a token)', async () => {
    const path = write(`apiVersion: v1\nusers:\n- name: me\n  user:\n    token: ${TOKEN}\n   bad: [indent\n`);
    const { message } = await refusal(path);
    expect(message).toMatch(new RegExp(`^--kubeconfig: ${path} is not valid YAML \\(line \\d+: .+\\); fix the file`));
    expect(message).not.toContain(TOKEN);
  });

  it.each([
    ['a list', '- a\n- b\n', 'is not a kubeconfig (expected a YAML mapping with clusters, users and contexts)'],
    ['a scalar', 'hello\n', 'is not a kubeconfig (expected a YAML mapping with clusters, users and contexts)'],
    ['another kind', 'apiVersion: v1\nkind: Pod\n', 'is a Pod, not a kubeconfig (kind: Config)'],
  ])('refuses %s', async (_what, content, problem) => {
    const path = write(content);
    expect((await refusal(path)).message).toBe(`--kubeconfig: ${path} ${problem}`);
  });

  it('refuses entries client-node cannot read, e.g. a cluster without a server', async () => {
    const path = write(kubeconfig({ clusters: [{ name: 'prod', cluster: {} }] }));
    expect((await refusal(path)).message).toMatch(
      new RegExp(
        `^--kubeconfig: ${path} is not a valid kubeconfig \\(clusters\\[0\\]\\.cluster\\.server is missing\\)`,
      ),
    );
  });

  it('refuses a file without current-context and says how to choose one, listing the contexts', async () => {
    const path = write(kubeconfig({ 'current-context': undefined }));
    expect((await refusal(path)).message).toBe(
      `--kubeconfig: ${path} has no current-context; choose one with \`kubectl config use-context <name> --kubeconfig ${path}\` (contexts: admin@prod)`,
    );
  });

  it('refuses a file without any context and says to log in', async () => {
    const path = write(kubeconfig({ contexts: [], 'current-context': undefined }));
    expect((await refusal(path)).message).toBe(
      `--kubeconfig: ${path} has no contexts; log in to the cluster first (\`oc login …\` or \`kubectl config set-context\`)`,
    );
  });

  it('refuses a current-context that names no context', async () => {
    const path = write(kubeconfig({ 'current-context': 'gone' }));
    expect((await refusal(path)).message).toMatch(
      /names current-context "gone", which is not among its contexts \(admin@prod\); fix it with `kubectl config use-context/,
    );
  });

  it('refuses a context whose user the file does not define', async () => {
    const path = write(kubeconfig({ users: [] }));
    expect((await refusal(path)).message).toBe(
      `--kubeconfig: ${path} has context "admin@prod" naming user "kube:admin/prod", which the file does not define; log in again (\`oc login\`) or pick another context`,
    );
  });

  it('refuses a user with neither token nor client certificate, pointing at the admin-token variable', async () => {
    const path = write(kubeconfig({}, {}));
    expect((await refusal(path)).message).toBe(
      `--kubeconfig: ${path} has user "kube:admin/prod" with neither a bearer token nor a client certificate; log in (\`oc login\`), or set ${ADMIN_TOKEN_ENV} to a token of a cluster admin`,
    );
  });
});

describe('a valid kubeconfig gives the cluster and the shell’s users', () => {
  it('takes the API server, its CA and the user’s bearer token; no non-admin user without a token for one', async () => {
    const target = await loadTargetCluster(write(kubeconfig()), {});
    expect(target).toMatchObject({
      context: 'admin@prod',
      cluster: 'prod',
      user: 'kube:admin/prod',
      server: SERVER,
      caPem,
      insecureSkipTlsVerify: false,
      admin: { token: TOKEN },
      adminCredentials: 'the bearer token of user "kube:admin/prod"',
    });
    expect(target.admin.clientCertificate).toBeUndefined();
    expect(target.developerToken).toBeUndefined();
  });

  it('reads a token file, and client certificate and key files relative to the kubeconfig, as kubectl does', async () => {
    const sub = join(dir, 'relative');
    mkdirSync(sub);
    writeFileSync(join(sub, 'token'), `${TOKEN}\n`);
    writeFileSync(join(sub, 'admin.crt'), client.certPem);
    writeFileSync(join(sub, 'admin.key'), client.keyPem);
    const path = join(sub, 'config');
    writeFileSync(
      path,
      dump(kubeconfig({}, { tokenFile: 'token', 'client-certificate': 'admin.crt', 'client-key': 'admin.key' })),
    );
    const target = await loadTargetCluster(path, {});
    expect(target.admin).toEqual({
      token: TOKEN,
      clientCertificate: { certPem: client.certPem, keyPem: client.keyPem },
    });
  });

  it('uses a client certificate when the user has no token', async () => {
    const path = write(
      kubeconfig({}, { 'client-certificate-data': b64(client.certPem), 'client-key-data': b64(client.keyPem) }),
    );
    const target = await loadTargetCluster(path, {});
    expect(target.admin).toEqual({ clientCertificate: { certPem: client.certPem, keyPem: client.keyPem } });
    expect(target.adminCredentials).toBe('the client certificate of user "kube:admin/prod"');
  });

  it('takes the admin token from the environment over the kubeconfig’s, and a non-admin token from the environment', async () => {
    const target = await loadTargetCluster(write(kubeconfig()), {
      [ADMIN_TOKEN_ENV]: 'admin-from-env',
      [DEVELOPER_TOKEN_ENV]: ' developer-from-env ',
    });
    expect(target.admin.token).toBe('admin-from-env');
    expect(target.adminCredentials).toBe(`the token in ${ADMIN_TOKEN_ENV}`);
    expect(target.developerToken).toBe('developer-from-env');
  });

  it('keeps insecure-skip-tls-verify, and trusts the system store when the cluster names no CA', async () => {
    const path = write(
      kubeconfig({ clusters: [{ name: 'prod', cluster: { server: `${SERVER}/`, 'insecure-skip-tls-verify': true } }] }),
    );
    const target = await loadTargetCluster(path, {});
    expect(target.insecureSkipTlsVerify).toBe(true);
    expect(target.caPem).toBeUndefined();
    expect(target.server).toBe(SERVER);
  });
});
