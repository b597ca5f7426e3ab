// The shell's SDK runtime (index.tsx) against what the plugin imports: a value the plugin imports
// from the console's SDK and the runtime lacks would load in the shell and fail only where it is
// used, so it fails here. Read with the TypeScript compiler, without running the browser code.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const SDK = '@openshift-console/dynamic-plugin-sdk';
/** Shared by the console too; the shell gives it no exports (see sharedScope.tsx). */
const SDK_INTERNAL = '@openshift-console/dynamic-plugin-sdk-internal';
const repoRoot = join(import.meta.dirname, '../../..');
const pluginSources = join(repoRoot, 'console-plugin/src');
const runtimeFile = join(import.meta.dirname, 'index.tsx');

/** The plugin's code, without its tests and test set-up, which run against a mocked SDK. */
function pluginFiles(dir = pluginSources): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join(pluginSources, 'test') ? [] : pluginFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

interface ImportedName {
  module: string;
  /** `*` (a namespace import or `export *`) and `default` are names the runtime cannot vouch for. */
  name: string;
  file: string;
  /** Written `import type` / `type X`: erased, so the runtime needs nothing. */
  typeOnly: boolean;
}

/** Names the plugin imports (or re-exports) from the SDK's shared modules. */
function pluginSdkImports(): ImportedName[] {
  const found: ImportedName[] = [];
  for (const path of pluginFiles()) {
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
    const file = relative(repoRoot, path);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier) || ![SDK, SDK_INTERNAL].includes(specifier.text)) continue;
      const module = specifier.text;
      const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
      const statementTypeOnly = ts.isImportDeclaration(statement) ? Boolean(clause?.isTypeOnly) : statement.isTypeOnly;
      const bindings = ts.isImportDeclaration(statement) ? clause?.namedBindings : statement.exportClause;
      if (clause?.name) found.push({ module, name: 'default', file, typeOnly: statementTypeOnly });
      if (!bindings) {
        if (ts.isExportDeclaration(statement)) found.push({ module, name: '*', file, typeOnly: statementTypeOnly });
      } else if (ts.isNamedImports(bindings) || ts.isNamedExports(bindings)) {
        for (const element of bindings.elements) {
          const name = (element.propertyName ?? element.name).text;
          found.push({ module, name, file, typeOnly: statementTypeOnly || element.isTypeOnly });
        }
      } else {
        found.push({ module, name: '*', file, typeOnly: statementTypeOnly });
      }
    }
  }
  return found;
}

/** The runtime's exports, and whether each SDK export is a value or only a type, as the shell's tsconfig resolves them. */
function compiledExports(): { runtime: Set<string>; sdk: Map<string, 'value' | 'type'> } {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(import.meta.dirname, '../../tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('console-shell/tsconfig.json could not be read');
  const program = ts.createProgram([runtimeFile], config.options);
  const checker = program.getTypeChecker();
  const exportsOf = (fileName: string) => {
    const source = program.getSourceFile(fileName);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${fileName} is not a module the compiler loaded`);
    return checker.getExportsOfModule(module);
  };
  const sdkTypes = ts.resolveModuleName(SDK, runtimeFile, config.options, ts.sys).resolvedModule?.resolvedFileName;
  if (!sdkTypes) throw new Error(`${SDK} has no type declarations to read`);
  const kind = (symbol: ts.Symbol) =>
    (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol).flags & ts.SymbolFlags.Value
      ? 'value'
      : 'type';
  return {
    runtime: new Set(exportsOf(runtimeFile).map((symbol) => symbol.name)),
    sdk: new Map(exportsOf(sdkTypes).map((symbol) => [symbol.name, kind(symbol)])),
  };
}

describe('the console shell SDK runtime', () => {
  const { runtime, sdk } = compiledExports();

  test('provides every SDK value the plugin imports', () => {
    const imported = pluginSdkImports();
    // The scan must see the plugin's imports, or this test would pass on nothing.
    expect(imported.some((i) => i.module === SDK && i.name === 'useK8sWatchResource')).toBe(true);
    // Type imports are erased, and so is a name the SDK declares only as a type, however it is imported.
    const needsValue = (i: ImportedName) => !i.typeOnly && !(i.module === SDK && sdk.get(i.name) === 'type');
    const missing = imported
      .filter((i) => needsValue(i) && !(i.module === SDK && runtime.has(i.name)))
      .map((i) => `${i.name} from ${i.module} (${i.file})`);
    expect(missing, 'implement them in console-shell/web/sdk/ and export them from its index.tsx').toEqual([]);
  });

  test('exports nothing but values of the SDK', () => {
    // HttpError is the SDK's own class (lib/utils/error/http-error); e2e/console-sdk.spec.ts checks errors against it.
    const notSdkValues = [...runtime].filter((name) => sdk.get(name) !== 'value' && name !== 'HttpError');
    expect(notSdkValues).toEqual([]);
  });
});
