import { Subscription, type Observer, type TeardownLogic } from 'rxjs';

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
 * and then unsubscribes, which ends its subscription to the source. Its first finalizer (the source's
 * teardown, as a rule its only one) is kept in a field: a `Subscription` puts even one in a new
 * array, room for 17, so about 150 bytes for each layer of each call in flight.
 *
 * @example
 * // A layer that counts the values passing through it.
 * class Counting extends Relay<unknown> {
 *   count = 0;
 *   protected override onNext(value: unknown): void {
 *     this.count += 1;
 *     this.destination.next(value);
 *   }
 * }
 * // Inside `new Observable((subscriber) => …)`: the relay is also the teardown handed back.
 * function counted(source: Observable<unknown>, subscriber: Sink<unknown>): Counting {
 *   const relay = new Counting(subscriber);
 *   source.subscribe(relay);
 *   return relay;
 * }
 */
export abstract class Relay<T, R = T> extends Subscription implements Observer<T> {
  private stopped = false;
  /** The first finalizer added while open; any later ones go where a `Subscription` keeps them. */
  private first: Exclude<TeardownLogic, void> | null = null;

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

  override add(teardown: TeardownLogic): void {
    if (this.first === null && teardown && teardown !== this && !this.closed) this.first = teardown;
    else super.add(teardown);
  }

  override unsubscribe(): void {
    this.stopped = true;
    if (this.closed) return;
    const { first } = this;
    this.first = null;
    super.unsubscribe();
    if (typeof first === 'function') first();
    else first?.unsubscribe();
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
