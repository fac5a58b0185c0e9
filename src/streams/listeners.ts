import type { Observable, Subscription } from 'rxjs';
import type { OrchestratorEvent } from './events';

/** A callback of the seed's listener API. */
export type OrchestratorEventListener = (event: OrchestratorEvent) => void;

/** The seed's `addEventListener` / `removeEventListener` over an event stream. */
export interface Listeners {
  /** Adds a listener once; a listener that throws is reported to `onError` and harms no other. */
  add(listener: OrchestratorEventListener): void;
  remove(listener: OrchestratorEventListener): void;
  /** Removes every listener. */
  clear(): void;
}

/** Listeners over `events$`, each its own subscription. */
export function createListeners(events$: Observable<OrchestratorEvent>, onError: (error: unknown) => void): Listeners {
  const subscriptions = new Map<OrchestratorEventListener, Subscription>();
  return {
    add(listener) {
      if (subscriptions.has(listener)) return;
      const subscription = events$.subscribe((event) => {
        try {
          listener(event);
        } catch (error) {
          onError(error);
        }
      });
      subscriptions.set(listener, subscription);
    },
    remove(listener) {
      subscriptions.get(listener)?.unsubscribe();
      subscriptions.delete(listener);
    },
    clear() {
      for (const subscription of subscriptions.values()) subscription.unsubscribe();
      subscriptions.clear();
    },
  };
}
