// Each exposed module's initial chunk size: the chunks the console must fetch before the module
// renders (its own chunk and the plugin chunks it needs; the modules the console shares are not
// fetched), raw and gzipped, plus the container entry. Prints one JSON object.
//   npx tsx bench/bundle/run.ts      (builds the plugin first when dist/ is stale)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildPluginIfStale, defaultPluginDistDir as dist } from '../../hack/local-stack/plugin-build.ts';
import { chunkFiles, exposedChunkIds } from './chunks.ts';

const TARGET_GZIP_BYTES = 300 * 1024;

buildPluginIfStale((line) => console.error(line), '[bench]', 'stderr');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  consolePlugin: { exposedModules: Record<string, string> };
};
const manifest = JSON.parse(readFileSync(join(dist, 'plugin-manifest.json'), 'utf8')) as { loadScripts: string[] };
const entryFile = manifest.loadScripts[0]!;
const entry = readFileSync(join(dist, entryFile), 'utf8');
const files = readdirSync(dist);
const byId = chunkFiles(entry, files);

const sizeOf = (file: string) => {
  const bytes = readFileSync(join(dist, file));
  return { bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
};
const kib = (n: number) => Math.round((n / 1024) * 10) / 10;

const modules = Object.entries(exposedChunkIds(entry, Object.keys(pkg.consolePlugin.exposedModules))).map(
  ([name, ids]) => {
    // A chunk id with no file holds only modules the console shares (react, PatternFly, the SDK…).
    const chunks = ids.flatMap((id) => {
      const file = byId.get(id);
      return file ? [{ file, ...sizeOf(file) }] : [];
    });
    if (chunks.length === 0) throw new Error(`${name} loads no chunk of its own`);
    const gzipBytes = chunks.reduce((sum, c) => sum + c.gzipBytes, 0);
    return {
      module: name,
      chunks: chunks.length,
      kib: kib(chunks.reduce((sum, c) => sum + c.bytes, 0)),
      gzipKib: kib(gzipBytes),
      gzipBytes,
    };
  },
);
const largest = Math.max(...modules.map((m) => m.gzipBytes));
const entrySize = sizeOf(entryFile);
console.log(
  JSON.stringify(
    {
      bench: 'bundle',
      note: 'initial chunks per exposed module (what the console fetches before it renders), gzip level 6',
      entry: { file: entryFile, kib: kib(entrySize.bytes), gzipKib: kib(entrySize.gzipBytes) },
      modules,
      target: 'largest exposed module <= 300 KB gzipped',
      largestGzipKib: kib(largest),
      met: largest <= TARGET_GZIP_BYTES,
    },
    null,
    2,
  ),
);
