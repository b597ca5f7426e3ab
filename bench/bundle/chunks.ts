// Reads a ConsoleRemotePlugin build's container entry: which chunks each exposed module loads
// before it can render, and where each chunk's file is. Pure functions over the entry's text.

/** Exposed module name → the chunk ids its factory loads (`Name:()=>Promise.all([x.e(1),…])`). */
export function exposedChunkIds(entrySource: string, exposed: string[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const name of exposed) {
    const factory = new RegExp(
      `["']?${name}["']?:\\(\\)=>(Promise\\.all\\(\\[([^\\]]*)\\]\\)|\\w+\\.e\\((\\d+)\\))`,
    ).exec(entrySource);
    if (!factory) throw new Error(`the container entry has no factory for the exposed module ${name}`);
    const list = factory[2] ?? `x.e(${factory[3]})`;
    result[name] = [...list.matchAll(/\.e\((\d+)\)/g)].map((m) => m[1]!);
  }
  return result;
}

/** Chunk id → file name, from the build's file list (`<id or name>-chunk-<hash>.min.js`). */
export function chunkFiles(entrySource: string, files: string[]): Map<string, string> {
  const names = new Map<string, string>();
  const named = /\.u=\w+=>\(\(\{([^}]*)\}/.exec(entrySource);
  for (const pair of named?.[1]?.matchAll(/(\d+):"([^"]+)"/g) ?? []) names.set(pair[1]!, pair[2]!);
  const hashes = /"-chunk-"\+\{([^}]*)\}/.exec(entrySource);
  const byId = new Map<string, string>();
  for (const pair of hashes?.[1]?.matchAll(/(\d+):"([0-9a-f]+)"/g) ?? []) {
    const file = `${names.get(pair[1]!) ?? pair[1]}-chunk-${pair[2]}.min.js`;
    if (!files.includes(file)) throw new Error(`chunk ${pair[1]} should be ${file}, which the build does not have`);
    byId.set(pair[1]!, file);
  }
  return byId;
}
