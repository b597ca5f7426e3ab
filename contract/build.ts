// Compiles the contract into a package that Node runs without a TypeScript loader:
//   tsx contract/build.ts <directory>
// The repository imports the contract's TypeScript sources (package.json `exports`), through the
// workspace link in node_modules. The compiled backend cannot: `npm run build:backend` first puts
// this package in backend/dist/node_modules/@peer-pods-console/contract, where Node finds it from
// backend/dist before the workspace link, in the repository and in the image alike.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const contractDir = dirname(fileURLToPath(import.meta.url));

interface ContractManifest {
  name: string;
  version: string;
  type: string;
  sideEffects: boolean;
  exports: Record<string, string>;
  dependencies: Record<string, string>;
}

function failOn(diagnostics: readonly ts.Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  throw new Error(
    ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => '\n',
    }),
  );
}

/** Writes the compiled package into `outDir`, replacing what was there. */
export function buildContractPackage(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  const configErrors: ts.Diagnostic[] = [];
  const config = ts.getParsedCommandLineOfConfigFile(
    join(contractDir, 'tsconfig.build.json'),
    { outDir },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => configErrors.push(diagnostic) },
  );
  failOn(configErrors);
  failOn(config!.errors);
  const program = ts.createProgram({ rootNames: config!.fileNames, options: config!.options });
  failOn(ts.getPreEmitDiagnostics(program));
  failOn(program.emit().diagnostics);

  // The same package, its entry points moved from ./src/<name>.ts to the emitted ./<name>.js.
  const manifest = JSON.parse(readFileSync(join(contractDir, 'package.json'), 'utf8')) as ContractManifest;
  const exports = Object.fromEntries(
    Object.entries(manifest.exports).map(([subpath, source]) => {
      const compiled = /^\.\/src\/(.+)\.ts$/.exec(source)?.[1];
      if (compiled === undefined) throw new Error(`exports["${subpath}"] = ${source} is not a source under ./src`);
      return [subpath, `./${compiled}.js`];
    }),
  );
  const { name, version, type, sideEffects, dependencies } = manifest;
  const compiled = { name, version, private: true, type, sideEffects, exports, dependencies };
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(compiled, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: tsx contract/build.ts <directory>');
  buildContractPackage(resolve(outDir));
}
