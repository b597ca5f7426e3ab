// Malformed and hostile HTTP requests against every backend endpoint, sent as raw bytes on fresh
// TLS connections (so that nothing a well-behaved client library would refuse to send is out of
// reach): wrong methods and types, huge and broken bodies, path traversal in asset paths, header
// injection, bad Authorization headers, protocol garbage. Shared by the API fuzz test
// (backend/src/server/api.fuzz.integration.test.ts) and the reliability benchmark (bench/reliability/bad-input.ts).
//
// What an answer must be, whatever was sent: a status below 500 (or, for bytes the HTTP parser
// refuses, a closed connection), and no information leak — no stack trace, no file path, no
// token or cloud secret, no canary file from outside the asset directory, no header we injected.
import { connect as tlsConnect } from 'node:tls';
import { gzipSync } from 'node:zlib';

export interface FuzzTarget {
  host: string;
  port: number;
  /** CA that signed the server's certificate. */
  ca: string;
}

export interface MalformedCase {
  name: string;
  /** The exact bytes sent on a fresh connection. */
  request: Buffer;
  /** The HTTP parser may refuse these bytes by closing the connection without an answer. */
  mayCloseWithoutAnswer?: boolean;
  /** The server may keep waiting for the rest of the request; the client gives up after a short while. */
  mayTimeOut?: boolean;
  /** An endless response (Server-Sent Events): read the head and a little of the body, then hang up. */
  stream?: boolean;
  /** Statuses that are right for this case; default: any below 500. */
  expect?: number[];
}

export interface FuzzContext {
  /** "/" or e.g. "/backend/": where the app is mounted. */
  basePath: string;
  adminToken: string;
  userToken: string;
  /** A file beside (outside) the asset directory whose content must never be served. */
  canaryName: string;
}

export interface RawAnswer {
  status: number;
  headers: [string, string][];
  body: string;
  closedWithoutAnswer: boolean;
  timedOut: boolean;
}

type Header = [string, string];

/** Builds the bytes of one HTTP/1.1 request; `Connection: close` unless the case sets its own. */
export function rawRequest(options: {
  method: string;
  target: string;
  headers?: Header[];
  body?: string | Buffer;
  version?: string;
  /** Do not add Host, Content-Length and Connection. */
  verbatim?: boolean;
}): Buffer {
  const headers: Header[] = [...(options.headers ?? [])];
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  if (!options.verbatim) {
    if (!headers.some(([k]) => k.toLowerCase() === 'host')) headers.unshift(['Host', '127.0.0.1']);
    if (body && !headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k))) {
      headers.push(['Content-Length', String(body.length)]);
    }
    if (!headers.some(([k]) => k.toLowerCase() === 'connection')) headers.push(['Connection', 'close']);
  }
  const head = `${options.method} ${options.target} ${options.version ?? 'HTTP/1.1'}\r\n${headers
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}

// ---- the endpoints --------------------------------------------------------------------------

export interface Endpoint {
  method: string;
  path: string;
  /** Requires a JSON body. */
  body?: unknown;
  stream?: boolean;
}

export function backendEndpoints(basePath: string): Endpoint[] {
  const api = `${basePath}api/v1`;
  return [
    // /readyz and /metrics are on the health port, which the console's proxy does not reach.
    { method: 'GET', path: `${basePath}healthz` },
    { method: 'GET', path: `${basePath}plugin-manifest.json` },
    { method: 'GET', path: `${basePath}locales/en/plugin__peer-pods-console-plugin.json` },
    { method: 'GET', path: `${api}/capacity` },
    { method: 'GET', path: `${api}/capacity/nodes/fuzz-node-0` },
    { method: 'GET', path: `${api}/capacity/room` },
    { method: 'GET', path: `${api}/events`, stream: true },
    { method: 'GET', path: `${api}/vms` },
    { method: 'POST', path: `${api}/vms/cleanup`, body: { vmIds: ['i-00000000000fuzz00'], dryRun: true } },
    { method: 'GET', path: `${api}/ports` },
    { method: 'POST', path: `${api}/ports/apply`, body: {} },
    { method: 'GET', path: `${api}/setup` },
    { method: 'GET', path: `${api}/permissions` },
  ];
}

// ---- the deterministic cases ----------------------------------------------------------------

const WRONG_BODIES: [string, string][] = [
  ['null', 'null'],
  ['a number', '42'],
  ['a string', '"vmIds"'],
  ['an array', '[{"vmIds":["i-1"],"dryRun":true}]'],
  ['vmIds a string', '{"vmIds":"i-1","dryRun":true}'],
  ['vmIds numbers', '{"vmIds":[1,2,3],"dryRun":true}'],
  ['vmIds empty', '{"vmIds":[],"dryRun":true}'],
  ['vmIds of objects', '{"vmIds":[{"id":"i-1"}],"dryRun":true}'],
  ['dryRun a string', '{"vmIds":["i-1"],"dryRun":"true"}'],
  ['dryRun missing', '{"vmIds":["i-1"]}'],
  ['an unknown field', '{"vmIds":["i-1"],"dryRun":true,"force":true}'],
  ['__proto__ pollution', '{"__proto__":{"dryRun":true,"isAdmin":true},"vmIds":["i-1"]}'],
  ['constructor pollution', '{"constructor":{"prototype":{"polluted":true}},"vmIds":["i-1"],"dryRun":true}'],
  ['501 ids', JSON.stringify({ vmIds: Array.from({ length: 501 }, (_, i) => `i-${i}`), dryRun: true })],
  ['an id of 201 characters', JSON.stringify({ vmIds: ['i'.repeat(201)], dryRun: true })],
  ['includeUdp a string', '{"includeUdp":"yes"}'],
  ['includeUdp null', '{"includeUdp":null}'],
  ['deep nesting', `{"vmIds":${'['.repeat(20_000)}${']'.repeat(20_000)},"dryRun":true}`],
  ['broken JSON', '{"vmIds":["i-1"],'],
  ['a number too big', '{"includeUdp":1e999}'],
];

/** Odd but valid JSON: accepted or refused, but answered properly. */
const ODD_BODIES: [string, string][] = [
  ['JSON with a BOM', '\ufeff{"vmIds":["i-1"],"dryRun":true}'],
  ['a lone surrogate in an id', '{"vmIds":["\\ud800"],"dryRun":true}'],
  ['NUL in an id', '{"vmIds":["i-1\\u0000"],"dryRun":true}'],
  ['an id of markup', '{"vmIds":["<img src=x onerror=alert(1)>"],"dryRun":true}'],
  ['an id that is a path', '{"vmIds":["../../etc/passwd"],"dryRun":true}'],
];

const TRAVERSALS = [
  '../',
  '../../../../../../etc/passwd',
  '%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '..%5c..%5c..%5cetc%5cpasswd',
  '%252e%252e/%252e%252e/etc/passwd',
  '%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '....//....//etc/passwd',
  'plugin-manifest.json%00.js',
  'plugin-manifest.json%00',
  '%00',
  '%',
  '%zz',
  'locales/../../{canary}',
  'locales/%2e%2e/%2e%2e/{canary}',
  '%2e%2e/{canary}',
  '..%2f{canary}',
  '..\\{canary}',
  '.%2e/{canary}',
  '/{canary}',
  '{canary}',
  'locales/en/..%00/plugin__peer-pods-console-plugin.json',
  '.git/config',
  '.env',
  'plugin-manifest.json/',
  'plugin-manifest.json;.js',
  'plugin-manifest.json?../../etc/passwd',
  '%ef%bc%8e%ef%bc%8e/etc/passwd',
  'a'.repeat(4000),
];

const AUTH_HEADERS: [string, Header[]][] = [
  ['no Authorization header', []],
  ['an empty Authorization header', [['Authorization', '']]],
  ['Bearer without a token', [['Authorization', 'Bearer']]],
  ['Bearer and spaces', [['Authorization', 'Bearer    ']]],
  ['Basic credentials', [['Authorization', 'Basic dGVzdC1hZG1pbjpwYXNzd29yZA==']]],
  ['a token with a space inside', [['Authorization', 'Bearer abc def']]],
  ['an unknown token', [['Authorization', 'Bearer not-a-real-token-0123456789']]],
  ['a 12 KB token', [['Authorization', `Bearer ${'t'.repeat(12_000)}`]]],
  ['a 20 KB token (over the header limit)', [['Authorization', `Bearer ${'t'.repeat(20_000)}`]]],
  ['a token of Latin-1 bytes', [['Authorization', 'Bearer t\u00f6k\u00e9n\u00ff']]],
  ['a token of JSON', [['Authorization', 'Bearer {"kind":"TokenReview","status":{"authenticated":true}}']]],
  ['a token of quotes and backslashes', [['Authorization', 'Bearer "\\"\\\\\'']]],
  [
    'two Authorization headers',
    [
      ['Authorization', 'Bearer not-a-real-token'],
      ['Authorization', 'Bearer {admin}'],
    ],
  ],
  ['a lower-case bearer with the admin token', [['authorization', 'bearer {admin}']]],
  ['the admin token with a suffix', [['Authorization', 'Bearer {admin}x']]],
  ['the admin token base64-encoded', [['Authorization', 'Bearer {admin64}']]],
  ['the non-admin token', [['Authorization', 'Bearer {user}']]],
  ['the token as a cookie', [['Cookie', 'token={admin}']]],
  ['the token in the query', []],
];

/** Header injection: CR/LF and NUL in names and values, and lookalikes of our own headers. */
const INJECTIONS: [string, string[], boolean][] = [
  // [name, raw header lines, the parser may refuse them]
  ['CRLF in X-Request-Id smuggling Set-Cookie', ['X-Request-Id: abc\r\nSet-Cookie: injected=1'], false],
  ['encoded CRLF in X-Request-Id', ['X-Request-Id: abc%0d%0aSet-Cookie:%20injected=1'], false],
  ['bare LF inside a header value', ['X-Request-Id: abc\nSet-Cookie: injected=1'], true],
  ['bare CR inside a header value', ['X-Request-Id: abc\rSet-Cookie: injected=1'], true],
  ['NUL inside a header value', ['X-Request-Id: abc\u0000def'], true],
  ['a header name with a space', ['X Request Id: abc'], true],
  ['a header name with a colon only', [': abc'], true],
  ['an obsolete folded header', ['X-Request-Id: abc', ' Set-Cookie: injected=1'], true],
  ['a 9,000-character X-Request-Id', [`X-Request-Id: ${'r'.repeat(9000)}`], false],
  ['X-Request-Id with a script', ['X-Request-Id: <script>alert(1)</script>'], false],
  ['Host with CRLF-encoded header', ['Host: 127.0.0.1%0d%0aX-Injected: 1'], false],
  ['two Host headers', ['Host: 127.0.0.1', 'Host: evil.example'], true],
  ['X-Forwarded-For and X-Forwarded-Proto spoofing', ['X-Forwarded-For: 10.0.0.1', 'X-Forwarded-Proto: http'], false],
  ['X-HTTP-Method-Override', ['X-HTTP-Method-Override: DELETE'], false],
  ['Content-Length and Transfer-Encoding together', ['Content-Length: 4', 'Transfer-Encoding: chunked'], true],
  ['a negative Content-Length', ['Content-Length: -1'], true],
  ['two different Content-Lengths', ['Content-Length: 2', 'Content-Length: 3'], true],
  ['Transfer-Encoding: gzip, chunked', ['Transfer-Encoding: gzip, chunked'], true],
  ['Expect: something', ['Expect: 200-ok'], false],
  ['Expect: 100-continue', ['Expect: 100-continue'], false],
  ['3,000 headers', Array.from({ length: 3000 }, (_, i) => `X-Many-${i}: ${i}`), true],
  ['Accept-Encoding garbage', ['Accept-Encoding: gzip;q=2, *;q=-1, \u00ff'], false],
  ['If-None-Match of 8 KB', [`If-None-Match: "${'e'.repeat(8000)}"`], false],
  ['Range header', ['Range: bytes=0-0,1-1,2-2,3-3,4-4,5-5'], false],
];

function substitute(text: string, ctx: FuzzContext): string {
  return text
    .replaceAll('{admin64}', Buffer.from(ctx.adminToken).toString('base64'))
    .replaceAll('{admin}', ctx.adminToken)
    .replaceAll('{user}', ctx.userToken)
    .replaceAll('{canary}', ctx.canaryName);
}

/** Every endpoint × method × Authorization variant, the wrong bodies, the traversals, the injections. */
export function deterministicCases(ctx: FuzzContext): MalformedCase[] {
  const cases: MalformedCase[] = [];
  const endpoints = backendEndpoints(ctx.basePath);
  const admin: Header = ['Authorization', `Bearer ${ctx.adminToken}`];
  const json: Header = ['Content-Type', 'application/json'];
  const cleanup = `${ctx.basePath}api/v1/vms/cleanup`;
  const apply = `${ctx.basePath}api/v1/ports/apply`;

  // Wrong bodies first: the mutating endpoints rate-limit each user to 30 calls a minute.
  for (const [what, body] of WRONG_BODIES) {
    const target = what.startsWith('includeUdp') ? apply : cleanup;
    cases.push({
      name: `POST ${target} with ${what}`,
      request: rawRequest({ method: 'POST', target, headers: [admin, json], body }),
      expect: [400, 413],
    });
  }
  for (const [what, body] of ODD_BODIES) {
    cases.push({
      name: `POST ${cleanup} with ${what}`,
      request: rawRequest({ method: 'POST', target: cleanup, headers: [admin, json], body }),
      expect: [200, 400],
    });
  }
  cases.push(
    {
      name: 'POST cleanup with 65 KB of JSON (over the limit)',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, json],
        body: JSON.stringify({ vmIds: ['i-1'], dryRun: true, pad: 'p'.repeat(65 * 1024) }),
      }),
      expect: [413],
    },
    {
      name: 'POST cleanup declaring 10 MB and sending a little',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, json, ['Content-Length', String(10 * 1024 * 1024)]],
        body: '{"vmIds":',
      }),
      expect: [413],
      mayTimeOut: true,
    },
    {
      name: 'POST cleanup with 2 MB chunked',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, json, ['Transfer-Encoding', 'chunked']],
        body: chunked(Buffer.alloc(2 * 1024 * 1024, 0x20)),
      }),
      expect: [413],
      mayCloseWithoutAnswer: true,
    },
    {
      name: 'POST cleanup with a gzip bomb (10 MB of spaces)',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, json, ['Content-Encoding', 'gzip']],
        body: gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)),
      }),
      expect: [413],
    },
    {
      name: 'POST cleanup with gzip that is not gzip',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, json, ['Content-Encoding', 'gzip']],
        body: 'not gzip at all',
      }),
      expect: [400],
    },
    {
      name: 'POST cleanup with an unknown Content-Encoding',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, json, ['Content-Encoding', 'x-snappy']],
        body: '{}',
      }),
      expect: [415],
    },
    {
      name: 'POST cleanup as UTF-16 JSON',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, ['Content-Type', 'application/json; charset=utf-16']],
        body: Buffer.from('{"vmIds":["i-1"],"dryRun":true}', 'utf16le'),
      }),
    },
    {
      name: 'POST cleanup as Latin-1 JSON',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, ['Content-Type', 'application/json; charset=latin1']],
        body: '{"vmIds":["i-1"],"dryRun":true}',
      }),
      expect: [415],
    },
    {
      name: 'POST cleanup as text/plain',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, ['Content-Type', 'text/plain']],
        body: '{"vmIds":["i-1"],"dryRun":true}',
      }),
      expect: [400],
    },
    {
      name: 'POST cleanup as a form',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, ['Content-Type', 'application/x-www-form-urlencoded']],
        body: 'vmIds=i-1&dryRun=true',
      }),
      expect: [400],
    },
    {
      name: 'POST cleanup with a body shorter than its Content-Length',
      request: rawRequest({
        method: 'POST',
        target: cleanup,
        headers: [admin, json, ['Content-Length', '100']],
        body: '{"vmIds":["i-1"],"dryRun":true}',
      }),
      mayTimeOut: true,
    },
  );

  // Every endpoint, every method, every Authorization header.
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  for (const endpoint of endpoints) {
    for (const method of methods) {
      for (const [what, headers] of AUTH_HEADERS) {
        const isTheRightMethod = method === endpoint.method || (method === 'HEAD' && endpoint.method === 'GET');
        // Only the right method with the admin token reaches a handler; skip the handler calls
        // here that change the cloud (they are rate-limited and covered by the bodies above).
        const path =
          what === 'the token in the query' ? `${endpoint.path}?access_token=${ctx.adminToken}` : endpoint.path;
        const body =
          method === 'POST' || method === 'PUT' || method === 'PATCH'
            ? JSON.stringify(endpoint.body ?? { a: 1 })
            : undefined;
        cases.push({
          name: `${method} ${endpoint.path} with ${what}`,
          request: rawRequest({
            method,
            target: path,
            headers: [...headers.map(([k, v]) => [k, substitute(v, ctx)] as Header), ...(body ? [json] : [])],
            body,
          }),
          stream: Boolean(endpoint.stream) && isTheRightMethod,
          mayCloseWithoutAnswer: what.includes('over the header limit'),
        });
      }
    }
  }

  // Path traversal in asset paths, under the base path and under locales/.
  for (const traversal of TRAVERSALS) {
    for (const prefix of [ctx.basePath, `${ctx.basePath}locales/en/`, `${ctx.basePath}api/v1/`]) {
      const target = prefix + substitute(traversal, ctx);
      cases.push({
        name: `GET ${target.slice(0, 80)}`,
        request: rawRequest({ method: 'GET', target, headers: [admin] }),
      });
    }
  }
  // A node name is a path parameter: bad encodings and traversal there too.
  for (const name of ['%', '%zz', '%00', '..%2f..%2fetc', 'a'.repeat(300), '%E2%80%AE', 'UPPER', 'a%20b', '.']) {
    cases.push({
      name: `GET capacity/nodes/${name.slice(0, 40)}`,
      request: rawRequest({ method: 'GET', target: `${ctx.basePath}api/v1/capacity/nodes/${name}`, headers: [admin] }),
    });
  }
  // Query strings the API reads (includeUdp) in every shape Express can parse.
  for (const query of [
    'includeUdp=true&includeUdp=false',
    'includeUdp[]=true',
    'includeUdp[a]=true',
    '__proto__[includeUdp]=true',
    'includeUdp=%E0%A4%A',
    `includeUdp=${'x'.repeat(10_000)}`,
  ]) {
    cases.push({
      name: `GET ports?${query.slice(0, 40)}`,
      request: rawRequest({ method: 'GET', target: `${ctx.basePath}api/v1/ports?${query}`, headers: [admin] }),
    });
  }

  // Header injection and protocol abuse.
  for (const [what, lines, mayRefuse] of INJECTIONS) {
    for (const target of [`${ctx.basePath}healthz`, `${ctx.basePath}api/v1/capacity`]) {
      const hasHost = lines.some((l) => /^host:/i.test(l));
      const head = [
        `GET ${target} HTTP/1.1`,
        ...(hasHost ? [] : ['Host: 127.0.0.1']),
        `Authorization: Bearer ${ctx.adminToken}`,
        ...lines,
        'Connection: close',
      ];
      const bodyNeeded = lines.some((l) => /^(content-length|transfer-encoding):/i.test(l));
      cases.push({
        name: `${what} → ${target}`,
        request: Buffer.from(`${head.join('\r\n')}\r\n\r\n${bodyNeeded ? '0\r\n\r\n' : ''}`, 'latin1'),
        mayCloseWithoutAnswer: mayRefuse,
        mayTimeOut: bodyNeeded,
      });
    }
  }
  const protocol: [string, string, boolean][] = [
    ['a lower-case method', 'get /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', true],
    ['an unknown method', 'BREW /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', true],
    ['a 10,000-letter method', `${'G'.repeat(10_000)} /healthz HTTP/1.1\r\nHost: x\r\n\r\n`, true],
    ['TRACE', 'TRACE /api/v1/capacity HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', false],
    ['CONNECT', 'CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n', true],
    ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', false],
    ['HTTP/1.0 without Host', 'GET /healthz HTTP/1.0\r\n\r\n', false],
    ['HTTP/1.1 without Host', 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', false],
    ['HTTP/2.0 in text', 'GET /healthz HTTP/2.0\r\nHost: x\r\nConnection: close\r\n\r\n', true],
    ['HTTP/9.9', 'GET /healthz HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n', true],
    ['no version (HTTP/0.9)', 'GET /healthz\r\n\r\n', true],
    [
      'an absolute-form target',
      'GET https://evil.example/api/v1/capacity HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      false,
    ],
    ['a target without a slash', 'GET healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', false],
    ['a target with a space', 'GET /heal thz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', true],
    ['a target with raw UTF-8', 'GET /\u00e9t\u00e9/../healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', true],
    ['a 20 KB target', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, true],
    [
      'two pipelined requests',
      'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      false,
    ],
    ['binary garbage', '\u0000\u0001\u0002\u00ff\u00fe\r\n\r\n', true],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', true],
    ['only CRLFs', '\r\n\r\n\r\n\r\n', true],
    [
      'a chunked body with a bad chunk size',
      'POST /api/v1/vms/cleanup HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      true,
    ],
  ];
  for (const [what, text, mayRefuse] of protocol) {
    cases.push({
      name: what,
      request: Buffer.from(
        text.replace(/ \/(healthz|api|heal|\u00e9t|a{20000}|nope)/g, (m) => ` ${ctx.basePath}${m.slice(2)}`),
        'latin1',
      ),
      mayCloseWithoutAnswer: mayRefuse,
      mayTimeOut: mayRefuse,
    });
  }
  return cases;
}

function chunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += 64 * 1024) {
    const chunk = body.subarray(offset, offset + 64 * 1024);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

// ---- random cases ---------------------------------------------------------------------------

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = [
  '',
  '..',
  '%2e%2e',
  '%00',
  '%',
  '/',
  '//',
  '\\',
  ';',
  '?',
  '#',
  '%0d%0a',
  '~',
  '*',
  '\u00ff',
  'a'.repeat(300),
  '{canary}',
  '__proto__',
  'constructor',
];
const JSON_NOISE = [
  'null',
  'true',
  '0',
  '-1',
  '1e309',
  '""',
  '[]',
  '{}',
  '"\\u0000"',
  '"\\ud800"',
  '[null]',
  '{"__proto__":{"x":1}}',
  '"' + 'A'.repeat(5000) + '"',
  '["i-1","i-2"]',
  '{"vmIds":["i-1"],"dryRun":true}',
];

/** `count` random requests: an endpoint, a method, a mangled path, a random auth, a random body. */
export function randomCases(ctx: FuzzContext, seed: number, count: number): MalformedCase[] {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const endpoints = backendEndpoints(ctx.basePath);
  const cases: MalformedCase[] = [];
  for (let i = 0; i < count; i++) {
    const endpoint = pick(endpoints);
    let path = endpoint.path;
    const mangles = int(3);
    for (let m = 0; m < mangles; m++) {
      const at = int(path.length + 1);
      path = path.slice(0, at) + substitute(pick(NOISE), ctx) + path.slice(at);
    }
    if (!path.startsWith('/')) path = `/${path}`;
    path = path.replace(/[\s#]/g, '%20');
    const method = pick(['GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']);
    const [, auth] = pick(AUTH_HEADERS);
    const headers: Header[] = auth.map(([k, v]) => [k, substitute(v, ctx)]);
    if (random() < 0.5) headers.push(['Authorization', `Bearer ${random() < 0.7 ? ctx.adminToken : ctx.userToken}`]);
    let body: string | undefined;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      const roll = int(4);
      body =
        roll === 0
          ? JSON.stringify(endpoint.body ?? {})
          : roll === 1
            ? `{"vmIds":${pick(JSON_NOISE)},"dryRun":${pick(JSON_NOISE)}}`
            : roll === 2
              ? pick(JSON_NOISE)
              : Buffer.from(Array.from({ length: int(200) }, () => int(256))).toString('latin1');
      headers.push([
        'Content-Type',
        pick([
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          'application/json; charset=latin1',
          '',
        ]),
      ]);
    }
    if (random() < 0.2)
      headers.push(['X-Request-Id', pick(['ok-id', 'a'.repeat(100), '<x>', '%0d%0aX-Injected:%201'])]);
    if (random() < 0.2) headers.push(['Accept-Encoding', pick(['gzip', 'br', 'identity;q=0', '*', 'x'])]);
    cases.push({
      name: `random #${i} (seed ${seed}): ${method} ${path.slice(0, 60)}`,
      request: rawRequest({ method, target: path, headers, body }),
      stream: endpoint.stream && method === 'GET',
      mayCloseWithoutAnswer: auth.some(([, v]) => v.length > 16_000),
    });
  }
  return cases;
}

// ---- sending and judging --------------------------------------------------------------------

/** Sends one case on a fresh TLS connection and reads the first final answer. */
export function sendRaw(
  target: FuzzTarget,
  request: Buffer,
  options: { timeoutMs?: number; stream?: boolean } = {},
): Promise<RawAnswer> {
  // A HEAD answer has headers only, whatever its Content-Length or Transfer-Encoding say.
  const headOnly = request.subarray(0, 5).toString('latin1') === 'HEAD ';
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = tlsConnect({ host: target.host, port: target.port, ca: target.ca });
    const finish = (answer: Partial<RawAnswer>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: 0, headers: [], body: '', closedWithoutAnswer: false, timedOut: false, ...answer });
    };
    const timer = setTimeout(() => {
      const parsed = parseResponse(received, true);
      finish(parsed ? { ...parsed, timedOut: !options.stream } : { timedOut: true });
    }, options.timeoutMs ?? 5_000);
    socket.once('secureConnect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parseResponse(received, false);
      if (parsed && (parsed.complete || headOnly || (options.stream && parsed.status > 0 && parsed.body.length > 0))) {
        finish(parsed);
      }
    });
    socket.on('error', () => finish(parseResponse(received, true) ?? { closedWithoutAnswer: true }));
    socket.on('close', () => finish(parseResponse(received, true) ?? { closedWithoutAnswer: true }));
  });
}

function parseResponse(
  data: Buffer,
  atEnd: boolean,
): (Omit<RawAnswer, 'timedOut'> & { complete: boolean }) | undefined {
  let offset = 0;
  for (;;) {
    const headEnd = data.indexOf('\r\n\r\n', offset);
    if (headEnd === -1) return undefined;
    const head = data.toString('latin1', offset, headEnd).split('\r\n');
    const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
    if (status >= 100 && status < 200) {
      offset = headEnd + 4;
      continue;
    }
    const headers = head.slice(1).map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as [string, string];
    });
    const rest = data.subarray(headEnd + 4);
    const length = headers.find(([k]) => k === 'content-length')?.[1];
    const isChunked = headers.some(([k, v]) => k === 'transfer-encoding' && /chunked/i.test(v));
    let body = rest;
    let complete = atEnd;
    if (length !== undefined) {
      complete = rest.length >= Number(length);
      body = rest.subarray(0, Number(length));
    } else if (isChunked) {
      const decoded = dechunk(rest);
      complete = decoded.complete;
      body = decoded.body;
    }
    return { status, headers, body: body.toString('utf8'), closedWithoutAnswer: false, complete };
  }
}

function dechunk(data: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd === -1) return { body: Buffer.concat(parts), complete: false };
    const size = parseInt(data.toString('latin1', offset, lineEnd), 16);
    if (Number.isNaN(size)) return { body: Buffer.concat(parts), complete: true };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
    if (offset > data.length) return { body: Buffer.concat(parts), complete: false };
  }
}

const STACK_TRACE = /\n\s+at \S|\bat (?:async )?\S+ \((?:file:|node:|\/)|Error: [^"]*\n/;
const FILE_PATH =
  /(?:^|[\s"'(=:])\/(?:work|home|root|tmp|usr|var|etc|proc|opt|srv|app)\/|node_modules|\.(?:ts|js|mjs):\d+/;
const PASSWD = /root:x?:0:0:/;

/** Stack traces, file paths and secrets in a text meant for a client; empty when there are none. */
export function leakProblems(text: string, secrets: readonly string[]): string[] {
  const problems: string[] = [];
  if (STACK_TRACE.test(text)) problems.push('a stack trace');
  if (FILE_PATH.test(text)) problems.push(`a file path: ${FILE_PATH.exec(text)?.[0]}`);
  for (const secret of secrets) {
    if (secret && text.includes(secret)) problems.push(`a secret (${secret.slice(0, 4)}…)`);
  }
  return problems;
}

/** What is wrong with an answer; empty when it is acceptable. */
export function problemsWith(c: MalformedCase, answer: RawAnswer, secrets: string[], canaryContent: string): string[] {
  const problems: string[] = [];
  if (answer.closedWithoutAnswer && !c.mayCloseWithoutAnswer) problems.push('connection closed without an answer');
  if (answer.timedOut && !c.mayTimeOut) problems.push('no answer in time');
  if (answer.status >= 500) problems.push(`status ${answer.status}`);
  if (c.expect && answer.status !== 0 && !c.expect.includes(answer.status)) {
    problems.push(`status ${answer.status}, expected ${c.expect.join(' or ')}`);
  }
  const text = `${answer.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${answer.body}`;
  problems.push(...leakProblems(text, secrets));
  if (PASSWD.test(answer.body)) problems.push('/etc/passwd in the body');
  if (canaryContent && answer.body.includes(canaryContent))
    problems.push('the canary file outside the assets was served');
  if (answer.headers.some(([k, v]) => (k === 'set-cookie' && /injected/.test(v)) || k === 'x-injected')) {
    problems.push('an injected header came back');
  }
  return problems;
}
