import { Observable, tap, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { OrchestratorError } from '../../src/errors';
import type { BatchCloseReason } from '../../src/operators/batchBuffer';
import { createBatcher } from '../../src/batching/createBatcher';

type FlushInfo = { size: number; reason: BatchCloseReason };

const upper = (items: string[]): string[] => items.map((item) => item.toUpperCase());

describe('createBatcher', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('sends the items of callers within one window in one call, in order, and answers each caller', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('--(r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 5, send });

      // the window opens at 0 with `a` and closes at 5; the answer comes 2 ms later
      expectObservable(batcher.submit$('a')).toBe('7ms (A|)', { A: 'A' });
      expectObservable(batcher.submit$('b'), '1ms ^').toBe('7ms (B|)', { B: 'B' });
      expectObservable(batcher.submit$('c'), '3ms ^').toBe('7ms (C|)', { C: 'C' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['a', 'b', 'c']]);
  });

  it('splits callers into batches of at most `size`, reporting why each was flushed', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('--(r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 2, windowMs: 5, send, onFlush: (info) => flushes.push(info) });

      expectObservable(batcher.submit$('a')).toBe('--(A|)', { A: 'A' });
      expectObservable(batcher.submit$('b')).toBe('--(B|)', { B: 'B' });
      expectObservable(batcher.submit$('c')).toBe('--(C|)', { C: 'C' });
      expectObservable(batcher.submit$('d')).toBe('--(D|)', { D: 'D' });
      expectObservable(batcher.submit$('e')).toBe('7ms (E|)', { E: 'E' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(flushes).toEqual([
      { size: 2, reason: 'size' },
      { size: 2, reason: 'size' },
      { size: 1, reason: 'window' },
    ]);
  });

  it('leaves out a caller that unsubscribed before the flush, and still matches results by index', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('--(r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 5, send, onFlush: (info) => flushes.push(info) });

      expectObservable(batcher.submit$('a')).toBe('7ms (A|)', { A: 'A' });
      expectObservable(batcher.submit$('b'), '^-!').toBe('');
      expectObservable(batcher.submit$('c'), '1ms ^').toBe('7ms (C|)', { C: 'C' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['a', 'c']]);
    expect(flushes).toEqual([{ size: 2, reason: 'window' }]);
  });

  it('does not send a batch that every caller left', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const onFlush = jest.fn();
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('--(r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 5, send, onFlush });

      expectObservable(batcher.submit$('a'), '^-!').toBe('');
      expectObservable(batcher.submit$('b'), '^--!').toBe('');
      // a later batch is unaffected
      expectObservable(batcher.submit$('c'), '10ms ^').toBe('17ms (C|)', { C: 'C' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['c']]);
    expect(onFlush).toHaveBeenCalledTimes(1);
  });

  it('stops the request of a sent batch once every caller of it has left', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('10ms (r|)', { r: ['A', 'B'] });
      const batcher = createBatcher({ size: 10, windowMs: 1, send: () => reply });

      expectObservable(batcher.submit$('a'), '^--!').toBe('');
      expectObservable(batcher.submit$('b'), '^---!').toBe('');
      expectSubscriptions(reply.subscriptions).toBe('-^--!');
    });
  });

  it('keeps the request going while one caller of the batch is still there', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('10ms (r|)', { r: ['A', 'B'] });
      const batcher = createBatcher({ size: 10, windowMs: 1, send: () => reply });

      expectObservable(batcher.submit$('a'), '^--!').toBe('');
      expectObservable(batcher.submit$('b')).toBe('11ms (B|)', { B: 'B' });
      expectSubscriptions(reply.subscriptions).toBe('-^ 9ms !');
    });
  });

  it('tells send, by index into its items, which callers still wait while the batch is out', () => {
    const sent: string[][] = [];
    const wanted: boolean[][] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const batcher = createBatcher<string, string>({
        size: 10,
        windowMs: 3,
        send: (items, isWanted) => {
          const ask = (): void => void wanted.push(items.map((_item, index) => isWanted(index)));
          sent.push(items);
          ask();
          // A first request that takes 10 ms, then a look at who is left, as a fall-back would.
          return cold('10ms (r|)', { r: upper(items) }).pipe(tap(ask));
        },
      });

      // `a` leaves before the flush at 3 ms, so it is not sent; `b` leaves while the batch is out.
      expectObservable(batcher.submit$('a'), '^!').toBe('');
      expectObservable(batcher.submit$('b'), '^----!').toBe('');
      expectObservable(batcher.submit$('c')).toBe('13ms (C|)', { C: 'C' });
    });
    expect(sent).toEqual([['b', 'c']]);
    expect(wanted).toEqual([
      [true, true],
      [false, true],
    ]);
  });

  it('gives the error of a failed send to every caller of that batch, and only to them', () => {
    const error = new Error('bulk failed');
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      let sends = 0;
      const send = (items: string[]): Observable<string[]> =>
        sends++ === 0 ? cold('--#', undefined, error) : cold('--(r|)', { r: upper(items) });
      const batcher = createBatcher({ size: 2, windowMs: 5, send, onFlush: (info) => flushes.push(info) });

      expectObservable(batcher.submit$('a')).toBe('--#', undefined, error);
      expectObservable(batcher.submit$('b')).toBe('--#', undefined, error);
      expectObservable(batcher.submit$('c')).toBe('--(C|)', { C: 'C' });
      expectObservable(batcher.submit$('d')).toBe('--(D|)', { D: 'D' });
    });
    expect(flushes).toEqual([
      { size: 2, reason: 'size' },
      { size: 2, reason: 'size' },
    ]);
  });

  it('gives the error of a send that throws to every caller of that batch', () => {
    const error = new Error('cannot build the request');
    testScheduler.run(({ expectObservable }) => {
      const batcher = createBatcher<string, string>({
        size: 10,
        windowMs: 5,
        send: () => {
          throw error;
        },
      });
      expectObservable(batcher.submit$('a')).toBe('5ms #', undefined, error);
      expectObservable(batcher.submit$('b')).toBe('5ms #', undefined, error);
    });
  });

  it('sends batches concurrently: a slow batch does not hold up the next one', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const send = (items: string[]): Observable<string[]> =>
        items[0] === 'slow' ? cold('20ms (r|)', { r: ['SLOW'] }) : cold('--(r|)', { r: upper(items) });
      const batcher = createBatcher({ size: 1, windowMs: 5, send });

      expectObservable(batcher.submit$('slow')).toBe('20ms (S|)', { S: 'SLOW' });
      expectObservable(batcher.submit$('fast'), '1ms ^').toBe('3ms (F|)', { F: 'FAST' });
    });
  });

  it('errors the callers left without a result when the batch answers too few', () => {
    const tooFew = expect.objectContaining({ name: 'OrchestratorError', code: 'validation' });
    testScheduler.run(({ cold, expectObservable }) => {
      const batcher = createBatcher({ size: 3, windowMs: 5, send: () => cold('-(r|)', { r: ['A'] }) });

      expectObservable(batcher.submit$('a')).toBe('-(A|)', { A: 'A' });
      expectObservable(batcher.submit$('b')).toBe('-#', undefined, tooFew);
      expectObservable(batcher.submit$('c')).toBe('-#', undefined, tooFew);
    });
  });

  it('errors every caller when send completes without answering', () => {
    const noAnswer = expect.objectContaining({ code: 'validation' });
    testScheduler.run(({ cold, expectObservable }) => {
      const batcher = createBatcher<string, string>({ size: 2, windowMs: 5, send: () => cold('-|') });

      expectObservable(batcher.submit$('a')).toBe('-#', undefined, noAnswer);
      expectObservable(batcher.submit$('b')).toBe('-#', undefined, noAnswer);
    });
  });

  it('is cold: nothing joins a batch until submit$ is subscribed', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('(r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 5, send });
      batcher.submit$('never subscribed');
      expectObservable(batcher.submit$('a'), '3ms ^').toBe('8ms (A|)', { A: 'A' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['a']]);
  });

  it('on dispose, sends what it holds at once and then refuses new items', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('--(r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 50, send, onFlush: (info) => flushes.push(info) });

      expectObservable(batcher.submit$('a')).toBe('4ms (A|)', { A: 'A' });
      expectObservable(batcher.submit$('b'), '1ms ^').toBe('4ms (B|)', { B: 'B' });
      testScheduler.schedule(() => {
        batcher.dispose();
        batcher.dispose();
      }, 2);
      expectObservable(batcher.submit$('late'), '3ms ^').toBe(
        '3ms #',
        undefined,
        expect.objectContaining({ name: 'OrchestratorError', code: 'disposed' }),
      );
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['a', 'b']]);
    expect(flushes).toEqual([{ size: 2, reason: 'complete' }]);
  });

  it('raises an OrchestratorError after dispose', () => {
    const batcher = createBatcher<string, string>({ size: 2, windowMs: 5, send: () => throwError(() => new Error()) });
    batcher.dispose();
    let error: unknown;
    batcher.submit$('a').subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(OrchestratorError);
  });

  it('starts no timer until an item is submitted', () => {
    jest.useFakeTimers();
    try {
      createBatcher<string, string>({ size: 2, windowMs: 5, send: () => throwError(() => new Error()) });
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects a batch size below 1', () => {
    expect(() => createBatcher<string, string>({ size: 0, windowMs: 5, send: () => throwError(() => new Error()) })).toThrow(RangeError);
  });
});
