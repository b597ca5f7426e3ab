// `hack/run start` as a user runs it, stopped by a signal to the process they started (Ctrl-C sends
// SIGINT; `kill` sends SIGTERM): the stack's own shutdown runs, nothing it started outlives it, and
// the exit status is the one a shell reports for a command ended by that signal.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './plugin-build.ts';

interface Proc {
  pid: number;
  ppid: number;
  /** Clock ticks after boot: tells a process from a later one that reuses its PID. */
  startTime: string;
  command: string;
}

/** The process as /proc shows it, or undefined once it has exited (a zombie has exited too). */
function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after "(comm)", which may itself hold spaces: state, ppid, … starttime (the 20th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(fields[1]), startTime: fields[19]!, command };
  } catch {
    return undefined;
  }
}

/** The process and every process below it (detached ones too: they keep their parent). */
function processTree(root: number): Proc[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((proc) => proc !== undefined);
  const tree = all.filter((proc) => proc.pid === root);
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((proc) => proc.ppid === tree[i]!.pid));
  return tree;
}

const stillRunning = (procs: Proc[]) => procs.filter((proc) => readProc(proc.pid)?.startTime === proc.startTime);

// Helpers that leave on their own once their parent is gone, a moment after the command exits:
// tsx's esbuild service (at the end of its stdin) and the control plane's reaper, which polls every second.
const selfEnding = /esbuild --service|reaper\.sh|^sleep /;

let dir: string;
let pluginDistDir: string;
let started: number | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'start-signals-'));
  // The shell needs only the manifest's name; a stand-in spares the test the plugin's build.
  pluginDistDir = join(dir, 'dist');
  mkdirSync(pluginDistDir);
  writeFileSync(join(pluginDistDir, 'plugin-manifest.json'), JSON.stringify({ name: 'peer-pods-console-plugin' }));
});

afterEach(() => {
  // Only after a failure is something left: end it, sparing the reaper, which then removes the
  // control plane's files.
  if (started === undefined) return;
  for (const proc of stillRunning(processTree(started)).filter((p) => !p.command.includes('reaper.sh'))) {
    try {
      process.kill(proc.pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
  started = undefined;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hack/run start stopped by a signal to the command', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops everything it started, through its own shutdown, and exits with 128 + the signal',
    async (signal) => {
      const command = spawn(
        join(repoRoot, 'hack', 'run'),
        ['start', '--port', '0', '--shell-port', '0', '--nodes', '1'],
        {
          cwd: repoRoot,
          env: { ...process.env, PEERPODS_PLUGIN_DIST_DIR: pluginDistDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      started = command.pid;
      let output = '';
      command.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      command.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        command.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })),
      );
      const closed = new Promise((resolve) => command.once('close', resolve));
      const ready = new Promise<void>((resolve, reject) => {
        command.stdout.on('data', () => {
          if (output.includes('Press Ctrl-C to stop everything.')) resolve();
        });
        void exited.then(({ code }) =>
          reject(new Error(`hack/run start exited with ${code} before it was up:\n${output}`)),
        );
      });
      await ready;

      const tree = processTree(command.pid!);
      // What must go: the started PID is npm's (hack/run execs it), below it the start command, the
      // backend, moto and the control plane's components in their own process groups.
      for (const part of ['hack/start.ts', 'backend/src/main.ts', 'moto', 'etcd', 'kube-apiserver', 'kube-scheduler']) {
        expect(
          tree.some((proc) => proc.command.includes(part)),
          `${part} among ${tree.map((p) => p.command).join('\n')}`,
        ).toBe(true);
      }

      process.kill(command.pid!, signal);
      expect(await exited).toEqual({ code: 128 + constants.signals[signal], signal: null });
      expect(stillRunning(tree.filter((proc) => !selfEnding.test(proc.command))).map((p) => p.command)).toEqual([]);
      // Its output is all read once no process holds the pipe any more.
      await closed;
      for (const part of ['console shell', 'backend', 'simulated cloud', 'control plane']) {
        expect(output).toMatch(new RegExp(`\\[start\\] stopped ${part} \\(\\d+ ms\\)`));
      }
      const helpers = tree.filter((proc) => selfEnding.test(proc.command));
      while (stillRunning(helpers).length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      started = undefined;
    },
    // A last resort for a hung start or stop, not a budget.
    300_000,
  );
});
