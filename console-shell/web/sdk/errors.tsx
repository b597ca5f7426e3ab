// The SDK's own error classes (pure modules of the published package), so that a plugin's
// `instanceof HttpError` and `error.code` checks behave exactly as in the console.
import { CustomError } from '@openshift-console/dynamic-plugin-sdk/lib/utils/error/custom-error';

export { CustomError };
export { HttpError, RetryError, TimeoutError } from '@openshift-console/dynamic-plugin-sdk/lib/utils/error/http-error';

/** What useK8sWatchResource reports when discovery has no model for the kind (console wording). */
export class NoModelError extends CustomError {
  constructor() {
    super('Model does not exist');
  }
}
