// Just enough of the Dockerfile and .dockerignore formats for the image tests: instructions with
// their stage, and Docker's ignore-pattern matching (Go filepath.Match plus `**`, `!` negation,
// a pattern that matches a directory excludes everything under it).

export interface Instruction {
  /** upper-case keyword, e.g. FROM, RUN */
  keyword: string;
  /** the rest of the (joined) line */
  args: string;
  /** index of the stage (FROM) the instruction belongs to; -1 before the first FROM */
  stage: number;
  line: number;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): { instructions: Instruction[]; stages: Stage[] } {
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  const lines = text.split('\n');
  let pending = '';
  let startLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (pending === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (pending !== '' && trimmed.startsWith('#')) continue; // comments inside a continued instruction
    if (pending === '') startLine = i + 1;
    if (trimmed.endsWith('\\')) {
      pending += `${trimmed.slice(0, -1)} `;
      continue;
    }
    const joined = `${pending}${trimmed}`.trim();
    pending = '';
    const match = /^(\S+)\s*(.*)$/s.exec(joined);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.replace(/\s+/g, ' ').trim();
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ image: from?.[1] ?? args, name: from?.[2], instructions: [] });
    }
    const instruction: Instruction = { keyword, args, stage: stages.length - 1, line: startLine };
    instructions.push(instruction);
    if (stages.length > 0) stages[stages.length - 1]!.instructions.push(instruction);
  }
  return { instructions, stages };
}

/** KEY=value pairs of ENV instructions (the `ENV a=b c=d` form). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const match of instruction.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
      env[match[1]!] = match[2]!.replace(/^"|"$/g, '');
    }
  }
  return env;
}

interface IgnorePattern {
  negate: boolean;
  regexp: RegExp;
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of directories, `**` at the end anything
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        source += '(?:.*/)?';
      } else {
        source += '.*';
      }
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

export function parseDockerignore(text: string): IgnorePattern[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, regexp: globToRegExp(pattern) };
    });
}

/** Whether Docker leaves `relativePath` (slash-separated, from the context root) out of the build context. */
export function isIgnored(patterns: IgnorePattern[], relativePath: string): boolean {
  const parts = relativePath.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const pattern of patterns) {
    if (candidates.some((candidate) => pattern.regexp.test(candidate))) ignored = !pattern.negate;
  }
  return ignored;
}
