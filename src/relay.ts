import { Subscription, type Observer } from 'rxjs';

/** Where a layer passes what it hears: the subscriber it was given, which is a subscription too. */
export type Sink<T> = Observer<T> & Subscription;

/**
 * One layer of a per-call pipeline (a timeout, a breaker, a retry, a step) as one object: the
 * observer of its source and the subscription to it at once.
 *
 * RxJS subscribes an observer that is also a `Subscription` as it is, where an observer literal gets
 * wrapped in a subscriber, a consumer and its three closures. These layers wrap every attempt of every
 * call, and hold all that while the call is out: with thousands in flight, what each holds is what the
 * garbage collector copies and marks again and again. Were RxJS to wrap it anyway, it would still be a
 * correct observer.
 *
 * Like a subscriber, a relay passes on at most one `error` or `complete`, ignores anything after it,
 * and then unsubscribes, which ends its subscription to the source.
 *
 * @example
 * class Counting<T> extends Relay<T> {
 *   count = 0;
 *   protected override onNext(value: T): void {
 *     this.count += 1;
 *     this.destination.next(value);
 *   }
 * }
 * new Observable<T>((subscriber) => source.subscribe(new Counting(subscriber)));
 */
export abstract class Relay<T, R = T> extends Subscription implements Observer<T> {
  private stopped = false;

  constructor(protected readonly destination: Sink<R>) {
    super();
  }

  next(value: T): void {
    if (!this.stopped) this.onNext(value);
  }

  error(error: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    try {
      this.onError(error);
    } finally {
      this.unsubscribe();
    }
  }

  complete(): void {
    if (this.stopped) return;
    this.stopped = true;
    try {
      this.onComplete();
    } finally {
      this.unsubscribe();
    }
  }

  override unsubscribe(): void {
    this.stopped = true;
    super.unsubscribe();
  }

  /** A value from the source; passed on as it is unless overridden. */
  protected onNext(value: T): void {
    this.destination.next(value as unknown as R);
  }

  /** The source failed; passed on unless overridden. The relay unsubscribes afterwards. */
  protected onError(error: unknown): void {
    this.destination.error(error);
  }

  /** The source completed; passed on unless overridden. The relay unsubscribes afterwards. */
  protected onComplete(): void {
    this.destination.complete();
  }
}
