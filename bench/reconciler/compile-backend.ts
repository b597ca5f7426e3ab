// The backend runs as compiled JavaScript in production (npm run build:backend), not through a
// TypeScript loader, so the reconciler benchmarks measure it that way: backend-process.ts and the
// modules it imports are transpiled as tsc emits them (rewriteRelativeImportExtensions) into
// node_modules/.cache, where their package imports still resolve; the contract package is
// compiled beside them, as npm run build:backend does.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { buildContractPackage } from '../../contract/build.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

export interface CompiledBackend {
  /** backend-process.js, to fork. */
  entry: string;
  /** Where it was written; remove it when done. */
  dir: string;
}

/** Transpiles the backend process into node_modules/.cache/<cacheName> (emptied first). */
export function compileBackendProcess(cacheName: string): CompiledBackend {
  const out = join(repo, 'node_modules', '.cache', cacheName);
  rmSync(out, { recursive: true, force: true });
  const sources = [
    ...['backend/src/kube', 'backend/src/capacity'].flatMap((dir) =>
      readdirSync(join(repo, dir))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => join(repo, dir, f)),
    ),
    join(here, 'backend-process.ts'),
  ];
  for (const file of sources) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        rewriteRelativeImportExtensions: true,
      },
    });
    const target = join(out, relative(repo, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
  buildContractPackage(join(out, 'node_modules', '@peer-pods-console', 'contract'));
  return { entry: join(out, relative(repo, join(here, 'backend-process.js'))), dir: out };
}
