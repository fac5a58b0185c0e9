import { Observable, Subject, Subscription } from 'rxjs';
import { Relay, type Sink } from '../src/relay';

/** A relay that passes everything on, counting the values. */
class Counting<T> extends Relay<T> {
  count = 0;
  protected override onNext(value: T): void {
    this.count += 1;
    this.destination.next(value);
  }
}

/** A destination that records what it hears. */
function recorder(): { sink: Sink<number>; heard: string[] } {
  const heard: string[] = [];
  const sink = Object.assign(new Subscription(), {
    next: (value: number) => heard.push(`next ${value}`),
    error: (error: unknown) => heard.push(`error ${String(error)}`),
    complete: () => heard.push('complete'),
  });
  return { sink, heard };
}

describe('Relay', () => {
  it('is subscribed as it is: the source sees the relay itself as its subscriber', () => {
    const { sink } = recorder();
    const relay = new Counting<number>(sink);
    let seen: unknown;
    new Observable<number>((subscriber) => {
      seen = subscriber;
    }).subscribe(relay);
    expect(seen).toBe(relay);
  });

  it('passes values on, then one end, and ignores anything after it', () => {
    const { sink, heard } = recorder();
    const relay = new Counting<number>(sink);
    const source = new Subject<number>();
    source.subscribe(relay);
    source.next(1);
    source.next(2);
    relay.complete();
    relay.next(3);
    relay.error('late');
    expect(heard).toEqual(['next 1', 'next 2', 'complete']);
    expect(relay.count).toBe(2);
  });

  it('ends its subscription to the source after an error or a completion', () => {
    for (const end of ['error', 'complete'] as const) {
      const { sink } = recorder();
      const relay = new Counting<number>(sink);
      const source = new Subject<number>();
      source.subscribe(relay);
      expect(source.observed).toBe(true);
      if (end === 'error') relay.error('boom');
      else relay.complete();
      expect(source.observed).toBe(false);
      expect(relay.closed).toBe(true);
    }
  });

  it('runs its first finalizer and every later one on unsubscribe, each once', () => {
    const { sink } = recorder();
    const relay = new Counting<number>(sink);
    const ran: string[] = [];
    relay.add(() => ran.push('first'));
    relay.add(() => ran.push('second'));
    const child = new Subscription(() => ran.push('child'));
    relay.add(child);
    relay.unsubscribe();
    relay.unsubscribe();
    expect(ran.sort()).toEqual(['child', 'first', 'second']);
  });

  it('runs a finalizer added after it closed at once, as a Subscription does', () => {
    const { sink } = recorder();
    const relay = new Counting<number>(sink);
    relay.unsubscribe();
    const ran: string[] = [];
    relay.add(() => ran.push('late'));
    expect(ran).toEqual(['late']);
  });

  it('unsubscribing before the end stops the source and passes nothing on', () => {
    const { sink, heard } = recorder();
    const relay = new Counting<number>(sink);
    const source = new Subject<number>();
    source.subscribe(relay);
    relay.unsubscribe();
    source.next(1);
    source.complete();
    expect(source.observed).toBe(false);
    expect(heard).toEqual([]);
  });
});
