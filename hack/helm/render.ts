// Renders charts/peer-pods-console with the helm CLI built from its Go module, and hands the
// tests typed objects (or helm's error text) instead of YAML.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject } from '@kubernetes/client-node';
import { dump, loadAll } from 'js-yaml';
import { ensureHelm, runHelm, type HelmBinary, type HelmResult } from './helm.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHART_DIR = join(REPO_ROOT, 'charts', 'peer-pods-console');

/** A rendered manifest: any Kubernetes object, read through the fields a test names. */
export type Manifest = KubernetesObject & Record<string, unknown>;

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** values merged over values.yaml (written to a file and passed with -f) */
  values?: Record<string, unknown>;
}

export const DEFAULT_RELEASE = 'peer-pods-console';
export const DEFAULT_NAMESPACE = 'peer-pods-console';

/** One helm binary and a private helm state directory for a test file. */
export class ChartRenderer {
  private constructor(
    readonly helm: HelmBinary,
    private readonly stateDir: string,
  ) {}

  static async create(log?: (line: string) => void): Promise<ChartRenderer> {
    const helm = await ensureHelm(log);
    return new ChartRenderer(helm, mkdtempSync(join(tmpdir(), 'peerpods-helm-')));
  }

  /** Runs helm; with `kubeconfig`, against that cluster. */
  run(args: string[], kubeconfig?: string): Promise<HelmResult> {
    return runHelm(this.helm, args, { stateDir: this.stateDir, cwd: REPO_ROOT, kubeconfig });
  }

  valuesArgs(values: Record<string, unknown> | undefined): string[] {
    if (!values) return [];
    const file = join(this.stateDir, `values-${Date.now()}-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, dump(values));
    return ['-f', file];
  }

  templateArgs(options: RenderOptions): string[] {
    return [
      'template',
      options.release ?? DEFAULT_RELEASE,
      CHART_DIR,
      '--namespace',
      options.namespace ?? DEFAULT_NAMESPACE,
      ...this.valuesArgs(options.values),
    ];
  }

  /** `helm template`; throws with helm's message when it fails. */
  async render(options: RenderOptions = {}): Promise<Manifest[]> {
    const result = await this.run(this.templateArgs(options));
    if (result.code !== 0) throw new Error(`helm template failed (exit ${result.code}):\n${result.stderr}`);
    return loadAll(result.stdout).filter((doc): doc is Manifest => typeof doc === 'object' && doc !== null);
  }

  /** `helm template` that must fail; returns helm's error output. */
  async renderError(options: RenderOptions): Promise<string> {
    const result = await this.run(this.templateArgs(options));
    if (result.code === 0)
      throw new Error(`helm template succeeded but was expected to fail for ${JSON.stringify(options.values)}`);
    return result.stderr;
  }

  async lint(options: { strict?: boolean; values?: Record<string, unknown> } = {}): Promise<HelmResult> {
    return this.run([
      'lint',
      CHART_DIR,
      ...(options.strict ? ['--strict'] : []),
      '--namespace',
      DEFAULT_NAMESPACE,
      ...this.valuesArgs(options.values),
    ]);
  }

  dispose(): void {
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** Value sets the tests render besides the defaults: every way the chart can be installed. */
export const TEST_CA_BUNDLE = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIBdummyCAforRenderingOnly\n-----END CERTIFICATE-----\n',
).toString('base64');

export const VARIANTS: Record<string, Record<string, unknown>> = {
  default: {},
  'cert-manager': { webhook: { caSource: 'cert-manager', certManager: { issuerRef: { name: 'peer-pods-issuer' } } } },
  'manual caBundle': {
    webhook: { caSource: 'manual', manual: { secretName: 'peer-pods-webhook-tls', caBundle: TEST_CA_BUNDLE } },
  },
  'webhook disabled': { webhook: { enabled: false } },
  'enable-plugin job': { plugin: { enable: true } },
  'restricted egress': { networkPolicy: { egress: { restricted: true } } },
};

export function findOne(objects: Manifest[], kind: string, name?: string): Manifest {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(
      `expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}: ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`,
    );
  }
  return found[0]!;
}

export function findAll(objects: Manifest[], kind: string): Manifest[] {
  return objects.filter((o) => o.kind === kind);
}

export function isHook(object: Manifest): boolean {
  return Boolean(object.metadata?.annotations?.['helm.sh/hook']);
}
