import { NEVER, Subject, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { batchBuffer, type BatchCloseReason } from '../../src/operators/batchBuffer';

/** A scheduler on the test's virtual time that knows how many of its timers are still pending. */
function timerSpy(testScheduler: TestScheduler): { scheduler: SchedulerLike; pending: () => number } {
  const pending = new Set<object>();
  const scheduler: SchedulerLike = {
    now: () => testScheduler.now(),
    schedule<S>(work: (this: SchedulerAction<S>, state?: S) => void, delay?: number, state?: S): Subscription {
      const timer = {};
      pending.add(timer);
      const subscription = testScheduler.schedule<S>(
        function (this: SchedulerAction<S>, value?: S) {
          pending.delete(timer);
          work.call(this, value);
        },
        delay,
        state,
      );
      subscription.add(() => pending.delete(timer));
      return subscription;
    },
  };
  return { scheduler, pending: () => pending.size };
}

describe('batchBuffer', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('emits a batch as soon as it holds `size` items', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('-a-b-c-d-e-f-|');
      expectObservable(source.pipe(batchBuffer({ size: 3, windowMs: 100 }))).toBe('-----x-----y-|', {
        x: ['a', 'b', 'c'],
        y: ['d', 'e', 'f'],
      });
    });
  });

  it('emits a batch `windowMs` after its first item, not on a periodic clock', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      // a periodic 5 ms clock would close at 5, 10, 15; the window opens on each batch's first item
      const source = hot('-a--b---c-d----------|');
      expectObservable(source.pipe(batchBuffer({ size: 10, windowMs: 5 }))).toBe('------x------y-------|', {
        x: ['a', 'b'],
        y: ['c', 'd'],
      });
    });
  });

  it('cancels the window of a batch closed by size', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      // had the window opened by `a` at 1 kept running, `c` would be emitted alone at 6, not at 9
      const source = hot('-ab-c---------|');
      expectObservable(source.pipe(batchBuffer({ size: 2, windowMs: 5 }))).toBe('--x------y----|', {
        x: ['a', 'b'],
        y: ['c'],
      });
    });
  });

  it('opens one window per batch: later items of the batch start no timer of their own', () => {
    const samples: number[] = [];
    testScheduler.run(({ hot, expectObservable }) => {
      const spy = timerSpy(testScheduler);
      // a timer left over from `a` or `b` would close `d`'s batch at 6 or 7 instead of 10
      const source = hot('-abc-d--------|');
      expectObservable(source.pipe(batchBuffer({ size: 3, windowMs: 5, scheduler: spy.scheduler }))).toBe('---x------y---|', {
        x: ['a', 'b', 'c'],
        y: ['d'],
      });
      testScheduler.schedule(() => samples.push(spy.pending()), 3);
    });
    expect(samples).toEqual([1]);
  });

  it('emits what it holds when the source completes, then completes', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('-a-b-|');
      expectObservable(source.pipe(batchBuffer({ size: 10, windowMs: 100 }))).toBe('-----(x|)', { x: ['a', 'b'] });
    });
  });

  it('completes without emitting when the source completes holding nothing', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      expectObservable(hot('-a-------|').pipe(batchBuffer({ size: 10, windowMs: 3 }))).toBe('----x----|', {
        x: ['a'],
      });
      expectObservable(hot('---|').pipe(batchBuffer({ size: 10, windowMs: 3 }))).toBe('---|');
    });
  });

  it('never emits an empty array, whatever the idle gap', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('-a 1000ms b 1000ms |');
      expectObservable(source.pipe(batchBuffer({ size: 10, windowMs: 10 }))).toBe('11ms x 1000ms y 990ms |', {
        x: ['a'],
        y: ['b'],
      });
    });
  });

  it('emits nothing at all for a source that never emits', () => {
    testScheduler.run(({ expectObservable }) => {
      expectObservable(NEVER.pipe(batchBuffer({ size: 10, windowMs: 10 })), '^ 10s !').toBe('');
    });
  });

  it('holds no timer while it holds no item, and one while a batch is open', () => {
    const samples: Array<[number, number]> = [];
    testScheduler.run(({ hot, expectObservable }) => {
      const spy = timerSpy(testScheduler);
      const source = hot('--a-----------b-c-----|');
      expectObservable(source.pipe(batchBuffer({ size: 2, windowMs: 5, scheduler: spy.scheduler }))).toBe('-------x--------y-----|', {
        x: ['a'],
        y: ['b', 'c'],
      });
      // samples run before the source's emissions of the same frame
      for (const frame of [1, 3, 9, 15, 17, 30]) {
        testScheduler.schedule(() => samples.push([frame, spy.pending()]), frame);
      }
    });
    expect(samples).toEqual([
      [1, 0], // idle before the first item
      [3, 1], // the window opened by `a`
      [9, 0], // idle after the window closed
      [15, 1], // `b` opened a window…
      [17, 0], // …which `c` cancelled by filling the batch
      [30, 0], // after completion
    ]);
  });

  it('starts no timer when every batch closes by size', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const spy = timerSpy(testScheduler);
      expectObservable(hot('-a-b-|').pipe(batchBuffer({ size: 1, windowMs: 5, scheduler: spy.scheduler }))).toBe('-a-b-|', {
        a: ['a'],
        b: ['b'],
      });
      testScheduler.schedule(() => expect(spy.pending()).toBe(0), 2);
    });
  });

  it('passes a source error through at once, dropping the held items, and stops its timer', () => {
    const error = new Error('source failed');
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const spy = timerSpy(testScheduler);
      const source = hot('-a-#', undefined, error);
      expectObservable(source.pipe(batchBuffer({ size: 10, windowMs: 5, scheduler: spy.scheduler }))).toBe('---#', undefined, error);
      expectSubscriptions(source.subscriptions).toBe('^--!');
      testScheduler.schedule(() => expect(spy.pending()).toBe(0), 4);
    });
  });

  it('unsubscribes from the source and stops its timer when unsubscribed', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const spy = timerSpy(testScheduler);
      const source = hot('-a-------b--|');
      expectObservable(source.pipe(batchBuffer({ size: 10, windowMs: 5, scheduler: spy.scheduler })), '^--!').toBe('---');
      expectSubscriptions(source.subscriptions).toBe('^--!');
      testScheduler.schedule(() => expect(spy.pending()).toBe(0), 4);
    });
  });

  it('starts a fresh batch for items pushed while the previous one is being emitted', () => {
    const batches: string[][] = [];
    testScheduler.run(() => {
      const input = new Subject<string>();
      input.pipe(batchBuffer({ size: 2, windowMs: 5 })).subscribe((batch) => {
        batches.push(batch);
        if (batch[0] === 'a') ['c', 'd', 'e'].forEach((item) => input.next(item));
      });
      input.next('a');
      input.next('b');
      input.complete();
    });
    expect(batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('reports each batch size and why it closed to onClose, just before emitting it', () => {
    const events: string[] = [];
    testScheduler.run(({ hot }) => {
      const onClose = ({ size, reason }: { size: number; reason: BatchCloseReason }): void => {
        events.push(`close ${size} ${reason} @${testScheduler.now()}`);
      };
      hot('-abc--d------e|')
        .pipe(batchBuffer({ size: 3, windowMs: 4, onClose }))
        .subscribe((batch) => events.push(`emit ${batch.join('')}`));
    });
    expect(events).toEqual(['close 3 size @3', 'emit abc', 'close 1 window @10', 'emit d', 'close 1 complete @14', 'emit e']);
  });

  it('rejects a size below 1 and a negative window', () => {
    expect(() => batchBuffer({ size: 0, windowMs: 10 })).toThrow(/size/);
    expect(() => batchBuffer({ size: 1.5, windowMs: 10 })).toThrow(/size/);
    expect(() => batchBuffer({ size: 2, windowMs: -1 })).toThrow(/windowMs/);
  });
});
