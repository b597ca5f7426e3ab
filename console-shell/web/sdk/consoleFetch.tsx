// consoleFetch and consoleFetchJSON as the console implements them
// (@console/shared console-fetch.ts and validate-status.ts): same-origin credentials, the CSRF
// header on unsafe methods, retry on 429, a 60 s default timeout, HttpError carrying the status
// and the JSON body, and the same choice of error message (first cause, message, error,
// status text). Impersonation headers are omitted: the shell has no impersonation.
import type { ConsoleFetch, ConsoleFetchJSON } from '@openshift-console/dynamic-plugin-sdk';
import { HttpError, RetryError, TimeoutError } from './errors';

export const getCSRFToken = (): string | undefined =>
  document.cookie
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c.startsWith('csrf-token='))
    .map((c) => c.slice('csrf-token='.length))
    .pop();

// Go's JSON encoder escapes some characters as \uXXXX inside API server messages.
const unescapeGoUnicode = (text: string): string =>
  text
    .replace(/\\U([0-9a-fA-F]{8})/g, (match, hex: string) => {
      const codePoint = parseInt(hex, 16);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : match;
    })
    .replace(/\\u([0-9a-fA-F]{4})/g, (_match, hex: string) => String.fromCodePoint(parseInt(hex, 16)));

type StatusBody = {
  message?: string;
  error?: unknown;
  details?: { kind?: string; causes?: { message?: string; field?: string }[] };
};

const validateStatus = async (response: Response, method: string, retry: boolean): Promise<Response> => {
  if (response.ok || response.status === 304) return response;
  if (retry && response.status === 429) throw new RetryError();

  const contentType = response.headers.get('content-type');
  if (!contentType || !contentType.includes('json')) {
    throw new HttpError(response.statusText, response.status, response);
  }
  const json = (await response.json()) as StatusBody;
  if (response.status === 403) {
    throw new HttpError(
      unescapeGoUnicode(json.message || 'Access denied due to cluster policy.'),
      response.status,
      response,
      json,
    );
  }
  // ResourceQuota conflicts on create are retried by the console too.
  if (
    retry &&
    method === 'POST' &&
    response.status === 409 &&
    ['resourcequotas', 'clusterresourcequotas'].includes(json.details?.kind ?? '')
  ) {
    throw new RetryError();
  }
  const cause = json.details?.causes?.[0];
  const reason =
    (cause ? `Error "${cause.message}" for field "${cause.field}".` : undefined) ||
    json.message ||
    (json.error as string | undefined) ||
    response.statusText;
  throw new HttpError(unescapeGoUnicode(String(reason)), response.status, response, json);
};

const headersToObject = (headers: HeadersInit | undefined): Record<string, string> => {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return { ...headers };
};

export const consoleFetch: ConsoleFetch = async (url, options = {}, timeout = 60000) => {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers = headersToObject(options.headers);
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = getCSRFToken();
    if (csrf) headers['X-CSRFToken'] = csrf;
  }
  // Never send the token-bearing headers to another origin.
  if (url.includes('://')) {
    delete headers.Authorization;
    delete headers['X-CSRFToken'];
  }
  const init: RequestInit = { credentials: 'same-origin', ...options, method, headers };

  const fetchWithRetries = async (): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(url, init);
        return await validateStatus(response, method, attempt < 3);
      } catch (e) {
        if (!(e instanceof RetryError)) throw e;
      }
    }
  };
  if (timeout <= 0) return fetchWithRetries();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<Response>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(url, timeout)), timeout);
  });
  try {
    return await Promise.race([fetchWithRetries(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
};

const parseData = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  const isPlainText = response.headers.get('Content-Type') === 'text/plain';
  if (!text) return isPlainText ? '' : {};
  return isPlainText || !response.ok ? text : JSON.parse(text);
};

const fetchCommon = async (url: string, method = 'GET', options: RequestInit = {}, timeout?: number) => {
  const response = await consoleFetch(url, { ...options, method }, timeout);
  return parseData(response);
};

const fetchJSON = (url: string, method = 'GET', options: RequestInit = {}, timeout?: number) =>
  fetchCommon(
    url,
    method,
    { ...options, headers: { Accept: 'application/json', ...headersToObject(options.headers) } },
    timeout,
  );

const sendJSON = (url: string, method: string, json: unknown, options: RequestInit = {}, timeout?: number) => {
  const init: RequestInit = {
    ...options,
    // As in the console (lodash defaultsDeep), these two win over the caller's headers.
    headers: {
      ...headersToObject(options.headers),
      Accept: 'application/json',
      'Content-Type': `application/${method === 'PATCH' ? 'json-patch+json' : 'json'};charset=UTF-8`,
    },
  };
  if (json) init.body = JSON.stringify(json);
  return fetchJSON(url, method, init, timeout);
};

export const consoleFetchJSON: ConsoleFetchJSON = Object.assign(fetchJSON, {
  delete: (url: string, json: unknown = null, options: RequestInit = {}, timeout?: number) =>
    json ? sendJSON(url, 'DELETE', json, options, timeout) : fetchJSON(url, 'DELETE', options, timeout),
  post: (url: string, json: unknown, options: RequestInit = {}, timeout?: number) =>
    sendJSON(url, 'POST', json, options, timeout),
  put: (url: string, json: unknown, options: RequestInit = {}, timeout?: number) =>
    sendJSON(url, 'PUT', json, options, timeout),
  patch: (url: string, json: unknown, options: RequestInit = {}, timeout?: number) =>
    sendJSON(url, 'PATCH', json, options, timeout),
});
