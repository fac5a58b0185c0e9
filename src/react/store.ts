/** A value that changes, in the shape `useSyncExternalStore` reads: a stable snapshot between changes. */
export interface Store<T> {
  get(): T;
  set(value: T): void;
  subscribe(onChange: () => void): () => void;
}

/** A {@link Store} holding `initial`. */
export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };
}
