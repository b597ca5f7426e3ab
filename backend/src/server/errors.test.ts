// The services' domain errors as the API answers them: each kind with its HTTP status, the same
// code, message and field, in the API's one error shape.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging.ts';
import {
  CloudRequestError,
  NotConfiguredError,
  NotConfirmedError,
  NotReadyError,
  type DomainError,
} from '../services/errors.ts';
import { apiErrorOf, errorHandler } from './errors.ts';

let base: string;
let close: () => void;
let next: DomainError;

beforeAll(async () => {
  const app = express();
  app.get('/fail', () => {
    throw next;
  });
  app.use(errorHandler(createLogger('silent')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('a domain error in the API', () => {
  it.each([
    [new NotConfiguredError('PeerPodConfig ns/ppc does not exist; create it'), 409, 'not_configured'],
    [new NotConfiguredError('no node has a spec.providerID', 'no_worker'), 409, 'no_worker'],
    [new NotConfirmedError('the confirmation has expired'), 409, 'not_confirmed'],
    [new NotReadyError('the backend has not listed the peer pods yet'), 503, 'not_ready'],
    [new CloudRequestError('invalid_config', 'AWS_REGION is not set'), 409, 'cloud_invalid_config'],
    [new CloudRequestError('throttled', 'EC2 kept throttling'), 503, 'cloud_throttled'],
    [new CloudRequestError('unavailable', 'EC2 did not answer'), 503, 'cloud_unavailable'],
    [new CloudRequestError('auth', 'the credentials were rejected'), 502, 'cloud_auth'],
    [new CloudRequestError('permission', 'not allowed: ec2:DescribeInstances'), 502, 'cloud_permission'],
    [new CloudRequestError('unknown', 'the cloud failed'), 502, 'cloud_unknown'],
  ] as const)('%s is answered %i with code %s', (error, status, code) => {
    expect(apiErrorOf(error)).toMatchObject({ status, code, message: error.message });
  });

  it('keeps the field at fault: a cleanup without a good confirmation names it', () => {
    expect(apiErrorOf(new NotConfirmedError('run the dry run again'))).toMatchObject({
      status: 409,
      code: 'not_confirmed',
      field: 'confirmation',
    });
  });

  it('is answered in the API’s error shape, with the message at the top level too', async () => {
    next = new NotConfirmedError('the confirmation was issued to another user; run the dry run again');
    const res = await fetch(`${base}/fail`);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: {
        code: 'not_confirmed',
        message: 'the confirmation was issued to another user; run the dry run again',
        field: 'confirmation',
        requestId: '',
      },
      message: 'the confirmation was issued to another user; run the dry run again',
    });
  });
});
