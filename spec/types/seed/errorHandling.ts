// The seed's examples (/work/shared/seed, "ServiceOrchestrator Documentation"), verbatim but for the
// import path. Each example that awaits is wrapped in an async function of its own (they reuse
// names such as `result`); nothing inside is changed. Not formatted or linted: kept as users copy it.
// All operations return OperationResult<T>
interface OperationResult<T> {
  success: boolean;
  data?: T;
  error?: string;
  details?: Record<string, any>;
  duration?: number;
  serviceErrors?: Record<string, string>; // Per-service error details
}

export type { OperationResult };
