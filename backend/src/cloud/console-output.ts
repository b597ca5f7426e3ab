// A VM's serial console as the clouds give it (AWS GetConsoleOutput, Azure boot diagnostics),
// cut to the tail the API returns: the newest lines are the ones that say why a pod VM did not
// come up. The text may hold secrets the guest printed; it is returned to the reader and never logged.

/** What the API returns of a console at most (the cloud's own limit on AWS is 64 KB too). */
export const CONSOLE_TAIL_BYTES = 64 * 1024;

export interface ConsoleOutput {
  /** The text, newest part last; empty when the cloud has none. */
  output: string;
  /** When the cloud captured it, if it says (ISO 8601). */
  capturedAt?: string;
  /** The cloud's text was longer than `output`. */
  truncated: boolean;
  /** Why there is no output (boot diagnostics off, nothing captured yet). */
  unavailable?: string;
}

/**
 * Keeps the last `maxBytes` of a UTF-8 text: the cut never splits a character, and starts at a
 * line when one begins within the kept part.
 */
export function consoleTail(
  text: Buffer | string,
  maxBytes = CONSOLE_TAIL_BYTES,
): { output: string; truncated: boolean } {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  if (bytes.length <= maxBytes) return { output: bytes.toString('utf8'), truncated: false };
  let start = bytes.length - maxBytes;
  // Continuation bytes are 10xxxxxx: step forward to the start of a character.
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start += 1;
  const newline = bytes.indexOf(0x0a, start);
  if (newline >= 0 && newline < bytes.length - 1) start = newline + 1;
  return { output: bytes.subarray(start).toString('utf8'), truncated: true };
}

/** Collects the tail of a stream of chunks without holding more than about twice the tail. */
export class TailCollector {
  #chunks: Buffer[] = [];
  #held = 0;
  #total = 0;

  constructor(private readonly maxBytes = CONSOLE_TAIL_BYTES) {}

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#held += chunk.length;
    this.#total += chunk.length;
    if (this.#held > 2 * this.maxBytes) {
      const joined = Buffer.concat(this.#chunks);
      // Keep a little more than the tail, so that consoleTail can still find a character start.
      const kept = joined.subarray(joined.length - this.maxBytes - 4);
      this.#chunks = [kept];
      this.#held = kept.length;
    }
  }

  result(): { output: string; truncated: boolean } {
    const tail = consoleTail(Buffer.concat(this.#chunks), this.maxBytes);
    return { output: tail.output, truncated: tail.truncated || this.#total > this.#held };
  }
}
