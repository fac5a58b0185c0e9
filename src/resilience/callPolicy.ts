import { defer, Observable } from 'rxjs';
import type { CallInfo, CallWrapper } from '../clients/http';
import type { SessionStore } from '../clients/session';
import { isServiceError } from '../errors';
import type { OperationName, ServiceName } from '../hub';
import { defaultShouldRetry, retryWithDelay, type RetryInfo } from '../operators/retryWithDelay';
import { timeoutAfter } from '../operators/timeoutAfter';
import type { Tracing } from '../tracing';
import type { CircuitBreaker, GuardObserver } from './circuitBreaker';
import type { RetryBudget, RetryBudgetState } from './retryBudget';

/** The operation a call is made for, named in the retries it reports. */
export interface OperationTag {
  readonly operationId: string;
  readonly operation: OperationName;
}

/** A service call about to be tried again, as the policy reports it. */
export interface RetryReport extends Partial<OperationTag> {
  type: 'operation_retry';
  service: ServiceName;
  endpoint: string;
  /** 1 for the first retry, 2 for the second… */
  attempt: number;
  /** ms it waits before the attempt. */
  delay: number;
  /** Why the previous attempt failed. */
  error: string;
}

/** A retry the service's budget refused: the failure passed through at once. */
export interface RetryBudgetReport extends Partial<OperationTag> {
  type: 'retry_budget_exhausted';
  service: ServiceName;
  endpoint: string;
  /** The retry that was refused: 1 for the first… */
  attempt: number;
  /** Why the attempt before it failed. */
  error: string;
  /** The service's budget when it refused. */
  budget: RetryBudgetState;
}

/** What the {@link createCallPolicy} layers are made of. */
export interface CallPolicyConfig {
  /** ms one attempt may take. */
  readonly timeout: number;
  /** Retries after the first attempt, and their exponential backoff in ms. */
  readonly retry: { readonly count: number; readonly delay: number; readonly maxDelay: number };
  /** One breaker per service, shared by every call to it. */
  readonly breakers: Readonly<Record<ServiceName, CircuitBreaker>>;
  /** Hears of each attempt a breaker lets through and each that fails (the request metrics). */
  readonly attempts?: Readonly<Record<ServiceName, GuardObserver>>;
  /** Refreshes the session once on a 401; left out for the refresh call itself, or a failed refresh would refresh. */
  readonly session?: SessionStore;
  /** Told of every retry, with the operation it belongs to. */
  readonly onRetry?: (report: RetryReport) => void;
  /**
   * With tracing on, every attempt of a call runs in the trace context the call was made in (a
   * retry, fired from a timer, would lose it otherwise), and each retry is an event on that span.
   */
  readonly tracing?: Tracing;
  /** One retry budget per service, shared by every call to it; left out, retries are bounded by `retry.count` only. */
  readonly retryBudgets?: Readonly<Record<ServiceName, RetryBudget>>;
  /** Told of every retry a budget refused. */
  readonly onRetryRefused?: (report: RetryBudgetReport) => void;
}

/** Wraps every Hub call in the orchestrator's resilience. */
export interface CallPolicy {
  /** The wrapper for the calls of one operation (its retries are reported with `tag`), or of none. */
  wrap(tag?: OperationTag): CallWrapper;
}

type Layer = <T>(call$: Observable<T>) => Observable<T>;

/**
 * The orchestrator's per-call resilience, from the inside out:
 *
 * 1. **timeout**: each attempt gets `timeout` ms, and is aborted after;
 * 2. **circuit breaker**: the service's breaker fails the attempt fast while open, and counts it;
 * 3. **refresh**: a 401 on an authenticated route refreshes the session once and repeats the attempt;
 * 4. **retry**: a transient failure of an idempotent call is tried again after a backoff, while the
 *    service's retry budget (when there is one) has a retry left; when it is spent the failure passes
 *    through at once, with `notRetried: 'retry_budget_exhausted'`.
 *
 * The first three are built once per route; the retry once per operation, which it reports for.
 *
 * @example
 * const policy = createCallPolicy({ timeout: 30_000, retry: { count: 3, delay: 1000, maxDelay: 30_000 }, breakers });
 * const clients = createHubClients(http.withWrap(policy.wrap()));
 */
export function createCallPolicy(config: CallPolicyConfig): CallPolicy {
  const attempts = new WeakMap<CallInfo, Layer>();

  function attemptOf(info: CallInfo): Layer {
    let layer = attempts.get(info);
    if (!layer) {
      const timeout = timeoutAfter<unknown>(config.timeout, info);
      const guard = config.breakers[info.service].guard<unknown>(info, observerOf(info.service));
      const { session } = config;
      const attempt: Layer = (call$) => guard(timeout(call$)) as typeof call$;
      layer = session && info.authenticated ? (call$) => session.refreshingOn401(attempt(call$), info) : attempt;
      attempts.set(info, layer);
    }
    return layer;
  }

  const budgets = config.retryBudgets;
  /** The attempts the breaker lets through: counted in the metrics, and deposited in the service's budget. */
  function observerOf(service: ServiceName): GuardObserver | undefined {
    const metrics = config.attempts?.[service];
    const budget = budgets?.[service];
    if (!budget) return metrics;
    return {
      admitted: () => {
        budget.recordAttempt();
        metrics?.admitted?.();
      },
      failed: metrics?.failed,
    };
  }

  /** The default rule, within the service's retry budget: a refused retry is reported and passes through. */
  const withinBudget = (tag: OperationTag | undefined) =>
    budgets
      ? (error: unknown, attempt: number): boolean => {
          if (!defaultShouldRetry(error, attempt) || !isServiceError(error)) return false;
          const budget = budgets[error.service];
          if (budget.tryRetry()) return true;
          error.notRetried = 'retry_budget_exhausted';
          config.onRetryRefused?.({
            type: 'retry_budget_exhausted',
            ...tag,
            service: error.service,
            endpoint: error.endpoint,
            attempt,
            error: error.message,
            budget: budget.state(),
          });
          return false;
        }
      : undefined;

  const retryOf = (tag: OperationTag | undefined, onRetry?: (info: RetryInfo) => void): Layer =>
    retryWithDelay<unknown>({
      count: config.retry.count,
      delay: config.retry.delay,
      maxDelay: config.retry.maxDelay,
      shouldRetry: withinBudget(tag),
      onRetry: (info) => {
        onRetry?.(info);
        const { attempt, delay, error } = info;
        // The default rule retries service errors only, and each names its call.
        if (!isServiceError(error) || !config.onRetry) return;
        config.onRetry({
          type: 'operation_retry',
          ...tag,
          service: error.service,
          endpoint: error.endpoint,
          attempt,
          delay,
          error: error.message,
        });
      },
    }) as Layer;

  const { tracing } = config;
  return {
    wrap(tag) {
      if (!tracing) {
        const retry = retryOf(tag);
        return (call$, info) => retry(attemptOf(info)(call$));
      }
      return (call$, info) =>
        defer(() => {
          const context = tracing.active();
          const attempt$ = tracing.within$(context, attemptOf(info)(call$));
          const retry = retryOf(tag, ({ attempt, delay, error }) =>
            tracing.retrying(context, attempt, delay, isServiceError(error) ? error.code : 'unknown'),
          );
          return retry(attempt$);
        }) as typeof call$;
    },
  };
}
