// A kernel memory limit for one backend process, as a container's limit is: a memory cgroup
// (v2 where the unified hierarchy is mounted, else v1) with the limit set, which the process joins
// before it execs. The backend then starts through backend/bin/start.sh, the image's entry point,
// which reads that limit from the cgroup files and sizes V8's heap from it; so a run under this
// limit exercises exactly what a pod with `resources.limits.memory` gets.
//
// Needs root and a writable cgroup tree (a benchmark machine, not CI).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MemoryCgroup {
  /** The cgroup directory the process joins. */
  dir: string;
  /** What start.sh should read as its cgroup root (CGROUP_ROOT). */
  startShRoot: string;
  /** Peak usage, limit hits and OOM kills so far. */
  figures(): { limitMb: number; peakMb: number; limitHits: number; oomKills: number };
  remove(): void;
}

const MB = 1024 * 1024;

function readNumber(path: string): number {
  return Number(readFileSync(path, 'utf8').trim());
}

/** The value of `key N` in a flat-keyed cgroup file (memory.events, memory.oom_control). */
function keyed(path: string, key: string): number {
  if (!existsSync(path)) return 0;
  const line = readFileSync(path, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${key} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

export function createMemoryCgroup(name: string, limitMb: number): MemoryCgroup {
  const v2Root = '/sys/fs/cgroup';
  const v1Root = '/sys/fs/cgroup/memory';
  const unique = `${name}-${process.pid}`;
  if (existsSync(join(v2Root, 'cgroup.controllers'))) {
    const dir = join(v2Root, unique);
    mkdirSync(dir);
    writeFileSync(join(dir, 'memory.max'), String(limitMb * MB));
    writeFileSync(join(dir, 'memory.swap.max'), '0');
    return {
      dir,
      // start.sh reads $CGROUP_ROOT/memory.max on v2.
      startShRoot: dir,
      figures: () => ({
        limitMb,
        peakMb: existsSync(join(dir, 'memory.peak')) ? Math.round(readNumber(join(dir, 'memory.peak')) / MB) : NaN,
        limitHits: keyed(join(dir, 'memory.events'), 'max'),
        oomKills: keyed(join(dir, 'memory.events'), 'oom_kill'),
      }),
      remove: () => rmdirSync(dir),
    };
  }
  if (!existsSync(join(v1Root, 'cgroup.procs'))) {
    throw new Error('no memory cgroup hierarchy at /sys/fs/cgroup (v2) or /sys/fs/cgroup/memory (v1)');
  }
  const dir = join(v1Root, unique);
  mkdirSync(dir);
  writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitMb * MB));
  // start.sh reads $CGROUP_ROOT/memory/memory.limit_in_bytes on v1: a directory whose "memory" is this cgroup.
  const startShRoot = mkdtempSync(join(tmpdir(), 'ppc-cgroup-root-'));
  symlinkSync(dir, join(startShRoot, 'memory'));
  return {
    dir,
    startShRoot,
    figures: () => ({
      limitMb,
      peakMb: Math.round(readNumber(join(dir, 'memory.max_usage_in_bytes')) / MB),
      limitHits: readNumber(join(dir, 'memory.failcnt')),
      oomKills: keyed(join(dir, 'memory.oom_control'), 'oom_kill'),
    }),
    remove: () => rmdirSync(dir),
  };
}
