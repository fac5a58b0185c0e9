// The orchestrator's resilience: a breaker per service, and the policy around every call.
export { CircuitBreaker } from './circuitBreaker';
export type { CircuitBreakerConfig, GuardObserver } from './circuitBreaker';
export { createCallPolicy } from './callPolicy';
export type { CallPolicy, CallPolicyConfig, OperationTag, RetryBudgetReport, RetryReport } from './callPolicy';
export { RetryBudget } from './retryBudget';
export type { RetryBudgetConfig, RetryBudgetState } from './retryBudget';
