import type { ServiceName } from '../hub';
import { matchTemplate } from './routing';
import type { FaultHandle, FaultInjection, FaultStep, FaultSummary } from './types';

/** The path of an injection that applies to every path of its service. */
const EVERY_PATH = '*';

interface ActiveInjection {
  readonly service: ServiceName;
  readonly method: string | undefined;
  readonly path: string;
  readonly steps: readonly FaultStep[];
  readonly repeat: boolean;
  next: number;
  hits: number;
  removed: boolean;
}

function exhausted(injection: ActiveInjection): boolean {
  if (injection.removed || injection.steps.length === 0) return true;
  return !injection.repeat && injection.next >= injection.steps.length;
}

/** The fault sequences injected into the hub, consumed one step per matching request. */
export class FaultRegistry {
  private injections: ActiveInjection[] = [];

  add(service: ServiceName, injection: FaultInjection): FaultHandle {
    const active: ActiveInjection = {
      service,
      method: injection.method?.toUpperCase(),
      path: injection.path,
      steps: [...injection.faults],
      repeat: injection.repeat ?? false,
      next: 0,
      hits: 0,
      removed: false,
    };
    this.injections.push(active);
    const remove = (): void => {
      active.removed = true;
      this.injections = this.injections.filter((candidate) => candidate !== active);
    };
    return {
      get hits() {
        return active.hits;
      },
      get exhausted() {
        return exhausted(active);
      },
      remove,
    };
  }

  /**
   * The step for this request from the oldest live injection that matches, if any.
   * OPTIONS is only faulted when asked for by name, so that a browser's preflight does not eat a step.
   */
  take(service: ServiceName, method: string, path: string): FaultStep | undefined {
    const injection = this.injections.find(
      (candidate) =>
        candidate.service === service &&
        !exhausted(candidate) &&
        (candidate.method === undefined ? method !== 'OPTIONS' : candidate.method === method) &&
        (candidate.path === EVERY_PATH || matchTemplate(candidate.path, path) !== null),
    );
    if (!injection) return undefined;
    const index = Math.min(injection.next, injection.steps.length - 1);
    injection.next += 1;
    injection.hits += 1;
    return injection.steps[index];
  }

  /** The live injections of one service, oldest first. */
  summaries(service: ServiceName): FaultSummary[] {
    return this.injections
      .filter((injection) => injection.service === service && !exhausted(injection))
      .map((injection) => ({
        method: injection.method ?? null,
        path: injection.path,
        hits: injection.hits,
        remaining: injection.repeat ? null : injection.steps.length - injection.next,
        next: injection.steps[Math.min(injection.next, injection.steps.length - 1)] as FaultStep,
      }));
  }

  clear(): void {
    for (const injection of this.injections) injection.removed = true;
    this.injections = [];
  }
}
