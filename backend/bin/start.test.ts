// @vitest-environment node
// The image's entry point sizes the heap from the container's memory limit.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, 'start.sh');

/** The node command line start.sh would run, for a cgroup tree holding `files`. */
function commandFor(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cgroup-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `${content}\n`);
  }
  return execFileSync('sh', [script, '--port', '9001'], {
    env: { ...process.env, CGROUP_ROOT: root, NODE: 'echo' },
    encoding: 'utf8',
  }).trim();
}

describe('the image entry point', () => {
  it('gives V8 three quarters of a cgroup v2 limit: 512Mi → 384 MiB', () => {
    expect(commandFor({ 'memory.max': String(512 * 1048576) })).toBe(
      '--max-old-space-size=384 backend/dist/main.js --port 9001',
    );
  });

  it('reads cgroup v1 too', () => {
    expect(commandFor({ 'memory/memory.limit_in_bytes': String(1024 * 1048576) })).toBe(
      '--max-old-space-size=768 backend/dist/main.js --port 9001',
    );
  });

  it("leaves Node's default without a limit (v2 max, v1's huge number, none at all)", () => {
    expect(commandFor({ 'memory.max': 'max' })).toBe('backend/dist/main.js --port 9001');
    expect(commandFor({ 'memory/memory.limit_in_bytes': '9223372036854771712' })).toBe(
      'backend/dist/main.js --port 9001',
    );
    expect(commandFor({})).toBe('backend/dist/main.js --port 9001');
  });
});
