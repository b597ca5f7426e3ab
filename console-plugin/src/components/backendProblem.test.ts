import { httpError } from '../test/sdk-mock';
import { backendProblemOf, isAccessProblem, isSetupProblem, retryCanHelp } from './backendProblem';

describe('backendProblemOf', () => {
  it('reads the code and message from the body of a failed backend call, without the cloud_ prefix', () => {
    const error = Object.assign(httpError(502, 'AWS refused AuthorizeSecurityGroupIngress'), {
      json: { error: { code: 'cloud_permission', message: 'AWS refused AuthorizeSecurityGroupIngress' } },
    });

    expect(backendProblemOf(error)).toEqual({
      status: 502,
      code: 'permission',
      message: 'AWS refused AuthorizeSecurityGroupIngress',
    });
  });

  it('names a 403 without a body "forbidden", keeping the console’s message', () => {
    expect(backendProblemOf(httpError(403, 'Access denied due to cluster policy.'))).toEqual({
      status: 403,
      code: 'forbidden',
      message: 'Access denied due to cluster policy.',
    });
  });

  it('takes a problem the backend reports inside an answer as it is', () => {
    expect(backendProblemOf({ code: 'invalid_config', message: 'AWS_REGION is missing' })).toEqual({
      status: undefined,
      code: 'invalid_config',
      message: 'AWS_REGION is missing',
    });
  });

  it('calls anything else unknown', () => {
    expect(backendProblemOf(new TypeError('Failed to fetch'))).toEqual({
      status: undefined,
      code: 'unknown',
      message: 'Failed to fetch',
    });
  });

  it('sends missing configuration and rejected credentials to the Setup tab, not cloud outages', () => {
    expect(isSetupProblem(backendProblemOf({ code: 'not_configured', message: '' }))).toBe(true);
    expect(isSetupProblem(backendProblemOf({ code: 'auth', message: '' }))).toBe(true);
    expect(isSetupProblem(backendProblemOf({ code: 'unavailable', message: '' }))).toBe(false);
  });

  it('calls the user’s own refused request an access problem, not the backend’s identity refused inside an answer', () => {
    expect(isAccessProblem(backendProblemOf(httpError(403, 'forbidden')))).toBe(true);
    expect(isAccessProblem(backendProblemOf(httpError(401, 'unauthorized')))).toBe(true);
    expect(isAccessProblem(backendProblemOf({ code: 'forbidden', message: 'secrets is forbidden' }))).toBe(false);
    expect(isAccessProblem(backendProblemOf(httpError(503, 'Service Unavailable')))).toBe(false);
  });

  it('offers a retry only for problems that may clear by themselves', () => {
    expect(retryCanHelp(backendProblemOf(httpError(403, 'forbidden')))).toBe(false);
    expect(retryCanHelp(backendProblemOf({ code: 'cloud_invalid_config', message: '' }))).toBe(false);
    expect(retryCanHelp(backendProblemOf({ code: 'cloud_throttled', message: '' }))).toBe(true);
    expect(retryCanHelp(backendProblemOf(new TypeError('Failed to fetch')))).toBe(true);
  });
});
