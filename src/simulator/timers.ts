/**
 * A timer wakes up to about a millisecond late (more on a busy or virtualised machine), so a wait
 * aims this much short with a timer and polls the rest, once per turn of the event loop.
 */
const TIMER_SLACK_MS = 1.5;
/** The longest delay Node's timers take (about 24.8 days); a longer wait goes in steps of it. */
const TIMER_MAX_MS = 2 ** 31 - 1;

/** Every wait the hub starts, so that `close()` can clear them and leave nothing keeping Node alive. */
export class Timers {
  private readonly pending = new Set<() => void>();

  /** Resolves after `ms`; never resolves once `clearAll()` has run, which is what a closing hub wants. */
  sleep(ms: number): Promise<void> {
    return this.until(performance.now() + ms);
  }

  /**
   * Resolves at `due`, a `performance.now()` time, to within a turn of the event loop rather than a
   * timer's millisecond or more: a simulated latency of 25 ms is 25 ms, not 26. The price is the
   * poll of the last 1.5 ms, about a millisecond of CPU per wait. Never resolves once `clearAll()` has run.
   */
  until(due: number): Promise<void> {
    if (!(due > performance.now())) return Promise.resolve();
    return new Promise((resolve) => {
      let clearStep = (): void => undefined;
      const stop = (): void => clearStep();
      const wait = (): void => {
        const left = due - performance.now();
        if (left <= 0) {
          this.pending.delete(stop);
          resolve();
        } else if (left > TIMER_SLACK_MS) {
          const timer = setTimeout(wait, Math.min(left - TIMER_SLACK_MS, TIMER_MAX_MS));
          clearStep = () => clearTimeout(timer);
        } else {
          const immediate = setImmediate(wait);
          clearStep = () => clearImmediate(immediate);
        }
      };
      this.pending.add(stop);
      wait();
    });
  }

  clearAll(): void {
    for (const stop of this.pending) stop();
    this.pending.clear();
  }
}
