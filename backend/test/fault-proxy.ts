// A small HTTP proxy for fault tests: it forwards every request to a target server unchanged,
// except the requests that match an injected fault, which it answers itself (an error status and
// body, or a dropped connection). It records what passed through so tests can count calls.
import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FaultResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Fault {
  /** Which requests this fault applies to. */
  match: (request: ProxiedRequest) => boolean;
  /** How many matching requests it answers before it is used up; default 1. Infinity = always. */
  times?: number;
  /**
   * The answer; 'drop' destroys the connection without answering; 'hang' never answers (the
   * caller's own timeout, or its death, ends the request).
   */
  respond: FaultResponse | 'drop' | 'hang';
  /**
   * Pass the request on to the target first and only then answer with `respond` instead of the
   * target's answer: the cloud did it, the caller never heard (the ambiguous failure).
   */
  afterForwarding?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  /** For form-encoded bodies (the AWS query protocols): the `Action` parameter. */
  action?: string;
  injected: boolean;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Every request seen, in arrival order. */
  readonly requests: RecordedRequest[];
  clearRequests(): void;
  stop(): Promise<void>;
}

export interface StartFaultProxyOptions {
  /** Where requests go, e.g. http://127.0.0.1:5000 or https://127.0.0.1:8443 */
  target: string;
  /** CA bundle to trust when the target is HTTPS. */
  targetCa?: string;
}

/** Matches AWS query-protocol requests (EC2, IAM, STS…) by their Action parameter. */
export function awsAction(action: string): (request: ProxiedRequest) => boolean {
  return (request) => actionOf(request.body) === action;
}

/** The XML error body EC2 sends, e.g. for RequestLimitExceeded (HTTP 503) or UnauthorizedOperation (403). */
export function ec2Error(status: number, code: string, message: string): FaultResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code>` +
      `<Message>${message}</Message></Error></Errors><RequestID>fault-proxy-0000</RequestID></Response>`,
  };
}

function actionOf(body: string): string | undefined {
  if (!body.includes('Action=')) return undefined;
  return new URLSearchParams(body).get('Action') ?? undefined;
}

export async function startFaultProxy(options: StartFaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const faults: { fault: Fault; remaining: number }[] = [];
  const requests: RecordedRequest[] = [];

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const proxied: ProxiedRequest = {
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        headers: incoming.headers,
        body: body.toString('utf8'),
      };
      const active = faults.find((entry) => entry.remaining > 0 && entry.fault.match(proxied));
      requests.push({
        method: proxied.method,
        url: proxied.url,
        action: actionOf(proxied.body),
        injected: Boolean(active),
      });
      const answerWith = (respond: Fault['respond']) => {
        if (respond === 'hang') return;
        if (respond === 'drop') {
          incoming.socket.destroy();
          return;
        }
        outgoing.writeHead(respond.status, { connection: 'close', ...respond.headers });
        outgoing.end(respond.body ?? '');
      };
      if (active) {
        active.remaining -= 1;
        if (!active.fault.afterForwarding) return answerWith(active.fault.respond);
      }
      const upstream = send(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          method: proxied.method,
          path: proxied.url,
          headers: { ...incoming.headers, host: target.host },
          ca: options.targetCa,
        },
        (response) => {
          if (active) {
            response.resume();
            response.on('end', () => answerWith(active.fault.respond));
            return;
          }
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      upstream.on('error', (error) => {
        if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
        outgoing.end(`fault-proxy: upstream error: ${error.message}`);
      });
      upstream.end(body);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject(fault) {
      faults.push({ fault, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    requests,
    clearRequests() {
      requests.length = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
