// No control-plane process may outlive the run that started it, even when that run is
// killed with SIGKILL and no exit handler gets to run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('control plane clean-up', () => {
  it('ends etcd, kube-apiserver and kube-scheduler and removes their files when the owner is SIGKILLed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'hack/test/start-control-plane-child.ts')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const report = await new Promise<{ pids: Record<string, number>; dir: string }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const pids = Object.values(report.pids);
    expect(pids).toHaveLength(3);
    expect(pids.every(alive)).toBe(true);
    expect(existsSync(report.dir)).toBe(true);

    child.kill('SIGKILL');

    const deadline = Date.now() + 20_000;
    while ((pids.some(alive) || existsSync(report.dir)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(report.dir)).toBe(false);
  });
});
