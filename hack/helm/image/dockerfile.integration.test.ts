// The Dockerfile's rules, read from the file itself, and hadolint's verdict on it. (There is no
// container engine here; runtime-layout.integration.test.ts runs what the image would run.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHART_DIR, REPO_ROOT } from '../render.ts';
import { envOf, isIgnored, parseDockerfile, parseDockerignore, type Stage } from './dockerfile.ts';
import { ensureHadolint } from './hadolint.ts';
import { DOCKERFILE, DOCKERIGNORE } from './runtime-layout.ts';

const { instructions, stages } = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
const build = stages[0]!;
const runtime = stages.at(-1)!;

function argsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

describe('Dockerfile', () => {
  it('builds in ubi9/nodejs-22 and runs in ubi9/nodejs-22-minimal', () => {
    expect(stages).toHaveLength(2);
    expect(build.image).toMatch(/^registry\.access\.redhat\.com\/ubi9\/nodejs-22:/);
    expect(build.name).toBe('build');
    expect(runtime.image).toMatch(/^registry\.access\.redhat\.com\/ubi9\/nodejs-22-minimal:/);
  });

  it('names an explicit tag for every base image, never "latest"', () => {
    for (const stage of stages) {
      const tag = /:([^:/@]+)(@sha256:[a-f0-9]{64})?$/.exec(stage.image)?.[1];
      expect({ image: stage.image, tag }).toEqual({
        image: stage.image,
        tag: expect.stringMatching(/^(?!latest$)\S+$/),
      });
    }
  });

  it('runs as the non-root UID 1001, set after everything that needs root', () => {
    const users = runtime.instructions.filter((i) => i.keyword === 'USER');
    expect(users.at(-1)!.args).toBe('1001');
    const lastUser = users.at(-1)!;
    const afterwards = runtime.instructions.filter((i) => i.line > lastUser.line).map((i) => i.keyword);
    expect(afterwards).not.toContain('RUN');
    expect(afterwards).not.toContain('COPY');
  });

  it('starts the backend entry point that build:backend compiles', () => {
    // Through start.sh, which sizes the heap from the memory limit and execs node backend/dist/main.js.
    expect(argsOf(runtime, 'CMD')).toEqual(['["/bin/sh", "backend/bin/start.sh"]']);
    expect(readFileSync(join(REPO_ROOT, 'backend', 'bin', 'start.sh'), 'utf8')).toMatch(
      /exec "\$node" --max-old-space-size="\$heap" backend\/dist\/main\.js "\$@"/,
    );
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['build']).toContain('build:backend');
    expect(pkg.scripts['build:backend']).toBe('tsc -p backend/tsconfig.build.json');
    const tsconfig = JSON.parse(readFileSync(join(REPO_ROOT, 'backend', 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    // backend/src/main.ts compiles to backend/<outDir>/main.js
    expect(`backend/${tsconfig.compilerOptions.outDir}/main.js`).toBe('backend/dist/main.js');
    expect(tsconfig.compilerOptions.rootDir).toBe('src');
    const copies = argsOf(runtime, 'COPY');
    expect(copies).toContain('--from=build /opt/app-root/src/backend/dist ./backend/dist');
  });

  it('ships what the backend needs at run time: package.json (ESM), production node_modules, the backend and the plugin assets', () => {
    expect(argsOf(runtime, 'COPY')).toEqual([
      '--from=build /opt/app-root/src/package.json ./package.json',
      '--from=build /opt/app-root/src/node_modules ./node_modules',
      '--from=build /opt/app-root/src/backend/dist ./backend/dist',
      '--from=build /opt/app-root/src/dist ./dist',
      'backend/bin/start.sh ./backend/bin/start.sh',
    ]);
    const values = load(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
      backend: { pluginAssetsDir: string };
    };
    expect(values.backend.pluginAssetsDir).toBe('dist');
    const buildRuns = argsOf(build, 'RUN').join(' && ');
    expect(buildRuns).toContain('npm run build');
    expect(buildRuns).toMatch(/npm prune --omit=dev/);
    expect(argsOf(runtime, 'RUN')).toEqual([]);
  });

  it('keeps the devDependency "node" from installing its own runtime: npm ci runs with --ignore-scripts', () => {
    const ci = argsOf(build, 'RUN').find((args) => args.includes('npm ci'));
    expect(ci).toMatch(/npm ci --ignore-scripts/);
    expect(ci).toContain('rm -f node_modules/.bin/node');
  });

  it('writes nothing outside /tmp: HOME, TMPDIR and the npm cache point there', () => {
    expect(envOf(runtime)).toMatchObject({
      HOME: '/tmp',
      TMPDIR: '/tmp',
      NPM_CONFIG_CACHE: '/tmp/.npm',
      NODE_ENV: 'production',
    });
  });

  it("exposes the chart's API, health/metrics and webhook ports", () => {
    const values = load(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
      backend: { port: number; metricsPort: number };
      webhook: { port: number };
    };
    expect(argsOf(runtime, 'EXPOSE')).toEqual([
      `${values.backend.port} ${values.backend.metricsPort} ${values.webhook.port}`,
    ]);
  });

  it('labels the image with the package version by default', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(argsOf(runtime, 'ARG')).toContain(`VERSION=${pkg.version}`);
  });

  it('labels the image for OpenShift and OCI', () => {
    const labels = argsOf(runtime, 'LABEL').join(' ');
    for (const key of [
      'name=',
      'summary=',
      'io.k8s.display-name=',
      'io.openshift.tags=',
      'org.opencontainers.image.title=',
    ]) {
      expect(labels).toContain(key);
    }
  });

  it('has no instruction before the first FROM except ARG', () => {
    expect(instructions.filter((i) => i.stage === -1 && i.keyword !== 'ARG')).toEqual([]);
  });
});

describe('.dockerignore', () => {
  const patterns = parseDockerignore(readFileSync(DOCKERIGNORE, 'utf8'));

  it('leaves out dependencies, build output, version control and local secrets', () => {
    for (const path of [
      'node_modules',
      'node_modules/express/package.json',
      'dist/plugin-manifest.json',
      'backend/dist/main.js',
      '.git/HEAD',
      'console-plugin/node_modules/x',
      'hack/secret.pem',
      'npm-debug.log',
    ]) {
      expect({ path, ignored: isIgnored(patterns, path) }).toEqual({ path, ignored: true });
    }
  });

  it('keeps everything the build stage needs', () => {
    for (const path of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.node.json',
      'webpack.config.ts',
      'backend/tsconfig.build.json',
      'backend/src/main.ts',
      'console-plugin/tsconfig.json',
      'console-plugin/src/plugin-extensions.ts',
      'i18n/locales/en/plugin__peer-pods-console-plugin.json',
      'hack/check-node.mjs',
    ]) {
      expect({ path, exists: existsSync(join(REPO_ROOT, path)), ignored: isIgnored(patterns, path) }).toEqual({
        path,
        exists: true,
        ignored: false,
      });
    }
  });
});

describe('hadolint', () => {
  let hadolint: string;

  beforeAll(async () => {
    hadolint = await ensureHadolint((line) => console.log(line));
  }, 10 * 60_000);

  it('finds nothing to report in the Dockerfile', () => {
    const result = spawnSync(hadolint, ['--no-color', DOCKERFILE], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('does report a Dockerfile that breaks the rules (the linter is live)', () => {
    const result = spawnSync(hadolint, ['--no-color', '-'], {
      encoding: 'utf8',
      input:
        'FROM registry.access.redhat.com/ubi9/nodejs-22:latest\nUSER root\nRUN cd /tmp && npm install express\nCMD node main.js\n',
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/DL3007/); // using latest
    expect(result.stdout).toMatch(/DL3002/); // last USER is root
  });
});
