// What went wrong with a backend call, in one shape for the views: the HTTP status, the backend's
// stable error code (`error.code` in its error body, "cloud_" prefix dropped) and its message. It
// accepts both a failed request (the console's HttpError, carrying the body as `json`) and the
// `{code, message}` the backend reports inside an answer (VmInventory.error).
import { httpStatusOf, messageOf } from '../k8s/loadErrors';

export type BackendProblem = {
  status: number | undefined;
  /** e.g. forbidden, not_configured, invalid_config, auth, permission, no_worker, unavailable */
  code: string;
  message: string | undefined;
};

type ErrorBodyShape = { error?: { code?: unknown; message?: unknown }; message?: unknown };

const CODE_BY_STATUS: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden', 429: 'rate_limited' };

const normalizeCode = (code: string): string => code.replace(/^cloud_/, '');

export const backendProblemOf = (error: unknown): BackendProblem => {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    // A problem reported inside an answer: `{code: 'auth', message: '…'}`.
    if (typeof code === 'string') {
      return {
        status: undefined,
        code: normalizeCode(code),
        message: typeof message === 'string' ? message : undefined,
      };
    }
  }
  const status = httpStatusOf(error);
  const body = (typeof error === 'object' && error !== null ? (error as { json?: unknown }).json : undefined) as
    ErrorBodyShape | undefined;
  const bodyCode = typeof body?.error?.code === 'string' ? body.error.code : undefined;
  const bodyMessage = typeof body?.error?.message === 'string' ? body.error.message : undefined;
  return {
    status,
    code: normalizeCode(bodyCode ?? (status !== undefined ? (CODE_BY_STATUS[status] ?? 'unknown') : 'unknown')),
    message: bodyMessage ?? messageOf(error),
  };
};

/** Problems the Setup tab's checklist explains and fixes (missing objects, keys or credentials). */
export const isSetupProblem = (problem: BackendProblem): boolean =>
  ['not_configured', 'invalid_config', 'auth', 'no_worker'].includes(problem.code);

/**
 * The signed-in user's own request was refused (401, 403): the user needs access or a new session,
 * which the explanation says; the backend's message would only repeat it. A `forbidden` reported
 * inside an answer is the backend's own identity being refused, whose message names what it lacks.
 */
export const isAccessProblem = (problem: BackendProblem): boolean =>
  problem.status !== undefined && ['forbidden', 'unauthenticated'].includes(problem.code);

// Asking again gives the same answer until someone grants access, signs in, or fixes the configuration or credentials.
const NEEDS_A_CHANGE_FIRST = [
  'forbidden',
  'unauthenticated',
  'not_configured',
  'invalid_config',
  'auth',
  'no_worker',
  'permission',
];

/** Whether "Try again" can help: the problem may clear by itself (a busy cloud, a loading cache, an unknown failure). */
export const retryCanHelp = (problem: BackendProblem): boolean => !NEEDS_A_CHANGE_FIRST.includes(problem.code);
