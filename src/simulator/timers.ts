/** Every timer the hub starts, so that `close()` can clear them and leave nothing keeping Node alive. */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Resolves after `ms`; never resolves once `clearAll()` has run, which is what a closing hub wants. */
  sleep(ms: number): Promise<void> {
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.add(timer);
    });
  }

  clearAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
