// An open-loop load generator that really is steady: requests are due at evenly spaced instants
// (1 ms apart at 1,000 req/s) and go out on the next free keep-alive TLS connection.
//
// Why not only autocannon's overallRate: autocannon gives each connection a per-second quota that
// it spends back to back at the start of every second (bursts of rate/connections requests), and
// its coordinated-omission correction assumes an interval of ceil(1/rate) ms = 1 ms per
// connection, so every slow answer is multiplied into many synthetic slow samples. Its p99 then
// describes bursts on a busy machine more than the server. This generator measures latency from
// the instant each request was due (strictest: includes the generator's own timer lateness, about
// a millisecond) and from the instant the generator released it (queueing behind a busy
// connection counts, as it should; the generator's lateness does not).

import { connect, type TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';

export interface PacedOptions {
  port: number;
  path: string;
  body: string;
  rate: number;
  seconds: number;
  connections: number;
}

export interface PacedResult {
  sent: number;
  completed: number;
  failed: number;
  achievedRequestsPerSecond: number;
  /** from the instant the request was due */
  fromDueMs: LatencySummary;
  /** from the instant the generator released it (waiting for a free connection included) */
  fromReleaseMs: LatencySummary;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

function summarize(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const at = (fraction: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]! * 100) / 100;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: at(1) };
}

interface Connection {
  socket: TLSSocket;
  buffer: Buffer;
  busy: boolean;
  due: number;
  released: number;
}

interface Scheduled {
  due: number;
  released: number;
}

export async function pacedLatency(options: PacedOptions): Promise<PacedResult> {
  const request = Buffer.from(
    `POST ${options.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(options.body)}\r\n\r\n${options.body}`,
  );
  const fromDue: number[] = [];
  const fromRelease: number[] = [];
  const waiting: Scheduled[] = [];
  let failed = 0;
  const total = Math.round(options.rate * options.seconds);

  const connections: Connection[] = await Promise.all(
    Array.from(
      { length: options.connections },
      () =>
        new Promise<Connection>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port: options.port, rejectUnauthorized: false });
          socket.setNoDelay(true);
          const connection: Connection = { socket, buffer: Buffer.alloc(0), busy: false, due: 0, released: 0 };
          socket.once('secureConnect', () => resolve(connection));
          socket.once('error', reject);
        }),
    ),
  );

  const dispatch = (connection: Connection, next: Scheduled) => {
    connection.busy = true;
    connection.due = next.due;
    connection.released = next.released;
    connection.socket.write(request);
  };

  for (const connection of connections) {
    connection.socket.on('data', (chunk: Buffer) => {
      connection.buffer = connection.buffer.length === 0 ? chunk : Buffer.concat([connection.buffer, chunk]);
      const headerEnd = connection.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const head = connection.buffer.toString('latin1', 0, headerEnd);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (connection.buffer.length < headerEnd + 4 + length) return;
      const now = performance.now();
      if (!head.startsWith('HTTP/1.1 200')) failed++;
      fromDue.push(now - connection.due);
      fromRelease.push(now - connection.released);
      connection.buffer = connection.buffer.subarray(headerEnd + 4 + length);
      connection.busy = false;
      const next = waiting.shift();
      if (next !== undefined) dispatch(connection, next);
    });
  }

  const started = performance.now();
  let scheduled = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const dueCount = Math.min(total, Math.floor(((now - started) * options.rate) / 1000));
      for (; scheduled < dueCount; scheduled++) {
        const next = { due: started + (scheduled * 1000) / options.rate, released: now };
        const idle = connections.find((connection) => !connection.busy);
        if (idle) dispatch(idle, next);
        else waiting.push(next);
      }
      if (fromDue.length >= total || now - started > options.seconds * 1000 + 10_000) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const elapsed = (performance.now() - started) / 1000;
  for (const connection of connections) connection.socket.destroy();
  return {
    sent: scheduled,
    completed: fromDue.length,
    failed,
    achievedRequestsPerSecond: Math.round(fromDue.length / elapsed),
    fromDueMs: summarize(fromDue),
    fromReleaseMs: summarize(fromRelease),
  };
}
