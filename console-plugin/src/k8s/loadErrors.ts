// Errors from useK8sWatchResource are the console's HttpError: `code` holds the HTTP status and
// `response` the fetch Response. Classifying them here keeps views free of that shape.

type ErrorWithStatus = { code?: unknown; response?: { status?: unknown }; message?: unknown };

export const httpStatusOf = (error: unknown): number | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, response } = error as ErrorWithStatus;
  if (typeof code === 'number') return code;
  if (typeof response?.status === 'number') return response.status;
  return undefined;
};

export const isNotFoundError = (error: unknown): boolean => httpStatusOf(error) === 404;

export const isForbiddenError = (error: unknown): boolean => httpStatusOf(error) === 403;

/** The message an API error carries, for display next to our own explanation. */
export const messageOf = (error: unknown): string | undefined => {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const { message } = error as ErrorWithStatus;
    if (typeof message === 'string' && message.length > 0) return message;
  }
  return undefined;
};
