import {
  isOrchestratorError,
  isOutageError,
  isOutageFailure,
  isServiceError,
  isTransientFailure,
  OrchestratorError,
  ServiceError,
  type ServiceErrorCode,
} from '../src';

/** An error as the other copy of the package (CommonJS beside ES modules) would make it: same shape, other class. */
function foreign(name: string, code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error('from the other copy'), { name, code, details: {}, ...extra });
}

describe('error classes', () => {
  it('name each class with a literal, kept by subclasses and seen in the stack', () => {
    const base = new OrchestratorError('bad', 'invalid_input');
    const service = new ServiceError({ service: 'content', endpoint: 'GET /x', method: 'GET', code: 'http', status: 500 });
    expect(base.name).toBe('OrchestratorError');
    expect(service.name).toBe('ServiceError');
    expect(String(service.stack)).toMatch(/^ServiceError: content GET \/x failed with http \(HTTP 500\)/);
  });

  it('are recognised by instanceof or by name, so that the other copy of the package is recognised too', () => {
    expect(isOrchestratorError(foreign('OrchestratorError', 'invalid_input'))).toBe(true);
    expect(isServiceError(foreign('ServiceError', 'timeout'))).toBe(true);
    expect(isOrchestratorError(foreign('ServiceError', 'timeout'))).toBe(true);
    expect(isServiceError(foreign('OrchestratorError', 'invalid_input'))).toBe(false);
    // A name alone is not enough: a stranger's error has no code.
    expect(isOrchestratorError(foreign('OrchestratorError', undefined as never))).toBe(false);
    expect(isOrchestratorError({ name: 'OrchestratorError', code: 'x' })).toBe(false);
    expect(isOrchestratorError(new TypeError('x'))).toBe(false);
  });
});

describe('the checks that tell failures apart', () => {
  const cases: [ServiceErrorCode, number | undefined, boolean, boolean][] = [
    // code, status, outage (counts against the breaker), transient (worth a retry)
    ['network', undefined, true, true],
    ['timeout', undefined, true, true],
    ['http', 500, true, true],
    ['http', 503, true, true],
    ['http', 429, false, true],
    ['http', 404, false, false],
    ['auth', 401, false, false],
    ['validation', 200, false, false],
    ['unsupported', 404, false, false],
    ['circuit_open', undefined, false, false],
    ['aborted', undefined, false, false],
  ];

  it.each(cases)('%s %s: outage %s, transient %s', (code, status, outage, transient) => {
    expect(isOutageFailure(code, status)).toBe(outage);
    expect(isTransientFailure(code, status)).toBe(transient);
    const error = new ServiceError({ service: 'workflow', endpoint: 'GET /y', method: 'GET', code, status });
    expect(isOutageError(error)).toBe(outage);
    expect(error.retryable).toBe(transient);
  });

  it('treat a POST as not repeatable unless its route says so', () => {
    const post = (idempotent?: boolean) =>
      new ServiceError({ service: 'identity', endpoint: 'POST /z', method: 'post', code: 'timeout', idempotent });
    expect(post().idempotent).toBe(false);
    expect(post(true).idempotent).toBe(true);
    expect(new ServiceError({ service: 'identity', endpoint: 'GET /z', method: 'GET', code: 'timeout' }).idempotent).toBe(true);
  });
});
