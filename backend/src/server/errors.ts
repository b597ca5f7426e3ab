// The API's one error shape, {"error": {"code", "message", "field"?}}, and the Express error
// handler that produces it. The services' domain errors get their HTTP status here and only here.
// Unknown errors become a 500 with a generic message and a request id to quote; their details go
// to the log, never to the client.
import type { ErrorRequestHandler } from 'express';
import type {} from 'pino-http'; // adds req.id and req.log
import type { Logger } from '../logging.ts';
import { isDomainError, type DomainError } from '../services/errors.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The status a domain error is answered with. */
export function statusOf(err: DomainError): number {
  switch (err.kind) {
    case 'not-configured':
    case 'not-confirmed':
      return 409;
    case 'not-ready':
      return 503;
    case 'cloud':
      // Our configuration is wrong: 409; the cloud is busy or away: 503; it refused: 502.
      if (err.cloudCode === 'invalid_config') return 409;
      return err.cloudCode === 'throttled' || err.cloudCode === 'unavailable' ? 503 : 502;
    case 'invalid':
      return 400;
    case 'refused':
      // The API server's own answer to the user's write, passed on as it came.
      return { unauthenticated: 401, forbidden: 403, 'not-found': 404, conflict: 409, invalid: 422 }[err.refusal];
  }
}

/** A domain error as the API answers it: same code, message and field, with its status. */
export function apiErrorOf(err: DomainError): ApiError {
  return new ApiError(statusOf(err), err.code, err.message, err.field);
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; requestId?: string };
  /** The same message at the top level: the console's consoleFetchJSON shows `message` to the user. */
  message?: string;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown: unknown, req, res, _next) => {
    const requestId = String(req.id ?? '');
    const err = isDomainError(thrown) ? apiErrorOf(thrown) : thrown;
    if (err instanceof ApiError) {
      const body: ErrorBody = { error: { code: err.code, message: err.message, requestId }, message: err.message };
      if (err.field) body.error.field = err.field;
      res.status(err.status).json(body);
      return;
    }
    // body-parser errors carry a status and a type: answer them as the client's mistake.
    const parserError = err as { status?: number; type?: string; message?: string };
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      const message =
        parserError.type === 'entity.too.large'
          ? 'the request body is larger than the server accepts'
          : parserError.type === 'entity.parse.failed'
            ? 'the request body is not valid JSON'
            : 'the request was not understood';
      res.status(parserError.status).json({ error: { code: 'bad_request', message, requestId }, message });
      return;
    }
    (req.log ?? logger).error({ err }, 'unhandled error');
    res.status(500).json({
      error: { code: 'internal', message: `the server failed; quote request id ${requestId} to support`, requestId },
    });
  };
}
