// A pino logger that keeps every line in memory, so tests can assert on what was logged
// (and on what was not: no secret value may ever appear in a log line).
import { pino, type Logger } from 'pino';

export interface MemoryLogger {
  logger: Logger;
  lines: string[];
  /** Everything logged so far, one JSON object per line. */
  text(): string;
}

export function memoryLogger(level: pino.LevelWithSilent = 'trace'): MemoryLogger {
  const lines: string[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(line) });
  return { logger, lines, text: () => lines.join('') };
}
