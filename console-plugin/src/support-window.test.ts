// @vitest-environment node
// The OpenShift versions the plugin supports are written in five places; they must agree: the
// range the console checks (package.json consolePlugin.dependencies["@console/pluginAPI"]), the
// SDK the plugin is built with (the oldest supported console's), README.md, the chart's README
// and Chart.yaml.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(rootDir, file), 'utf8');

const packageJson = JSON.parse(read('package.json')) as {
  consolePlugin: { dependencies: Record<string, string> };
  devDependencies: Record<string, string>;
};
const pluginApiRange = packageJson.consolePlugin.dependencies['@console/pluginAPI'] ?? '';
const [, lowestMinor] = /^>=4\.(\d+)\.0-0$/.exec(pluginApiRange) ?? [];
const lowest = `4.${lowestMinor}`;

/** Every "OpenShift 4.N" a document names, as minor versions. */
const openShiftMinorsIn = (text: string): number[] =>
  [...text.matchAll(/OpenShift (?:console )?4\.(\d+)/g)].map((match) => Number(match[1]));

describe('the support window', () => {
  it('is one lower bound the console checks: @console/pluginAPI >=4.N.0-0', () => {
    expect(pluginApiRange).toMatch(/^>=4\.\d+\.0-0$/);
  });

  it('is built with the SDK of its oldest console, pinned, as installed', () => {
    for (const sdk of ['@openshift-console/dynamic-plugin-sdk', '@openshift-console/dynamic-plugin-sdk-webpack']) {
      expect(packageJson.devDependencies[sdk], sdk).toBe(`${lowest}.0`);
      const installed = JSON.parse(read(`node_modules/${sdk}/package.json`)) as { version: string };
      expect(installed.version, `${sdk} in node_modules (run npm ci)`).toBe(`${lowest}.0`);
    }
  });

  it.each([['README.md'], ['charts/peer-pods-console/README.md'], ['charts/peer-pods-console/Chart.yaml']])(
    '%s names the same lowest OpenShift version and none older',
    (file) => {
      const text = read(file);
      const minors = openShiftMinorsIn(text);
      expect(minors, `${file} names no OpenShift version`).not.toEqual([]);
      expect(Math.min(...minors), `${file}: the oldest OpenShift it names`).toBe(Number(lowestMinor));
    },
  );

  it('Chart.yaml carries the range for the OpenShift Helm catalog', () => {
    expect(read('charts/peer-pods-console/Chart.yaml')).toContain(
      `charts.openshift.io/supportedOpenShiftVersions: '>=${lowest}'`,
    );
  });
});
