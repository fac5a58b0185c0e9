import { Observable, of, tap, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { OrchestratorError } from '../../src/errors';
import { createBatcher, type BatchFlushReason } from '../../src/batching/createBatcher';

type FlushInfo = { size: number; reason: BatchFlushReason };

const upper = (items: string[]): string[] => items.map((item) => item.toUpperCase());

describe('createBatcher', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('sends an item alone at the end of its tick when nothing is in flight: it never waits for a window', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('--(r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 50, send, scheduler: testScheduler, onFlush: (info) => flushes.push(info) });

      // sent at 0, answered 2 ms later: the 50 ms window plays no part
      expectObservable(batcher.submit$('a')).toBe('--(A|)', { A: 'A' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['a']]);
    expect(flushes).toEqual([{ size: 1, reason: 'idle' }]);
  });

  it('sends the items submitted in one tick together, in order, and answers each caller', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('--(r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 50, send, scheduler: testScheduler, onFlush: (info) => flushes.push(info) });

      expectObservable(batcher.submit$('a')).toBe('--(A|)', { A: 'A' });
      expectObservable(batcher.submit$('b')).toBe('--(B|)', { B: 'B' });
      expectObservable(batcher.submit$('c')).toBe('--(C|)', { C: 'C' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['a', 'b', 'c']]);
    expect(flushes).toEqual([{ size: 3, reason: 'idle' }]);
  });

  it('gathers while a batch is in flight, and sends what gathered as soon as it answers', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('10ms (r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 50, send, scheduler: testScheduler, onFlush: (info) => flushes.push(info) });

      // `a` goes at once; `b` and `c` come while it is out, wait for its answer at 10, and go together then
      expectObservable(batcher.submit$('a')).toBe('10ms (A|)', { A: 'A' });
      expectObservable(batcher.submit$('b'), '1ms ^').toBe('20ms (B|)', { B: 'B' });
      expectObservable(batcher.submit$('c'), '3ms ^').toBe('20ms (C|)', { C: 'C' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['a'], ['b', 'c']]);
    expect(flushes).toEqual([
      { size: 1, reason: 'idle' },
      { size: 2, reason: 'idle' },
    ]);
  });

  it('while busy, waits at most windowMs from the first item held', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => (items[0] === 'slow' ? cold('30ms (r|)', { r: ['SLOW'] }) : cold('--(r|)', { r: upper(items) })));
      const batcher = createBatcher({ size: 10, windowMs: 5, send, scheduler: testScheduler, onFlush: (info) => flushes.push(info) });

      // `b` is held at 1, the window ends at 6 while `slow` is still out: `b` and `c` go then
      expectObservable(batcher.submit$('slow')).toBe('30ms (S|)', { S: 'SLOW' });
      expectObservable(batcher.submit$('b'), '1ms ^').toBe('8ms (B|)', { B: 'B' });
      expectObservable(batcher.submit$('c'), '4ms ^').toBe('8ms (C|)', { C: 'C' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['slow'], ['b', 'c']]);
    expect(flushes).toEqual([
      { size: 1, reason: 'idle' },
      { size: 2, reason: 'window' },
    ]);
  });

  it('splits callers into batches of at most `size`, sending full ones at once, reporting why each was flushed', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('--(r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 2, windowMs: 5, send, scheduler: testScheduler, onFlush: (info) => flushes.push(info) });

      expectObservable(batcher.submit$('a')).toBe('--(A|)', { A: 'A' });
      expectObservable(batcher.submit$('b')).toBe('--(B|)', { B: 'B' });
      expectObservable(batcher.submit$('c')).toBe('--(C|)', { C: 'C' });
      expectObservable(batcher.submit$('d')).toBe('--(D|)', { D: 'D' });
      // two batches are out when `e` is left over: it goes when they have answered, at 2
      expectObservable(batcher.submit$('e')).toBe('4ms (E|)', { E: 'E' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(flushes).toEqual([
      { size: 2, reason: 'size' },
      { size: 2, reason: 'size' },
      { size: 1, reason: 'idle' },
    ]);
  });

  it('leaves out a caller that unsubscribed before the flush, and still matches results by index', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('5ms (r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 50, send, scheduler: testScheduler, onFlush: (info) => flushes.push(info) });

      expectObservable(batcher.submit$('first')).toBe('5ms (F|)', { F: 'FIRST' });
      // held while `first` is out; `b` leaves at 2, before the flush at 5
      expectObservable(batcher.submit$('a'), '1ms ^').toBe('10ms (A|)', { A: 'A' });
      expectObservable(batcher.submit$('b'), '1ms ^!').toBe('');
      expectObservable(batcher.submit$('c'), '3ms ^').toBe('10ms (C|)', { C: 'C' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['first'], ['a', 'c']]);
    expect(flushes).toEqual([
      { size: 1, reason: 'idle' },
      { size: 2, reason: 'idle' },
    ]);
  });

  it('does not send a batch that every caller left', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const onFlush = jest.fn();
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('5ms (r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 50, send, scheduler: testScheduler, onFlush });

      expectObservable(batcher.submit$('first')).toBe('5ms (F|)', { F: 'FIRST' });
      expectObservable(batcher.submit$('a'), '1ms ^!').toBe('');
      expectObservable(batcher.submit$('b'), '1ms ^-!').toBe('');
      // a later batch is unaffected
      expectObservable(batcher.submit$('c'), '10ms ^').toBe('15ms (C|)', { C: 'C' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['first'], ['c']]);
    expect(onFlush).toHaveBeenCalledTimes(2);
  });

  it('stops the request of a sent batch once every caller of it has left', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('10ms (r|)', { r: ['A', 'B'] });
      const batcher = createBatcher({ size: 10, windowMs: 1, send: () => reply, scheduler: testScheduler });

      expectObservable(batcher.submit$('a'), '^--!').toBe('');
      expectObservable(batcher.submit$('b'), '^---!').toBe('');
      // the last caller leaves at 4
      expectSubscriptions(reply.subscriptions).toBe('^---!');
    });
  });

  it('an abandoned request counts as answered: what gathered behind it goes at once', () => {
    const sent: string[][] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const batcher = createBatcher<string, string>({
        size: 10,
        windowMs: 50,
        scheduler: testScheduler,
        send: (items) => {
          sent.push(items);
          return cold('10ms (r|)', { r: upper(items) });
        },
      });

      expectObservable(batcher.submit$('a'), '^--!').toBe('');
      expectObservable(batcher.submit$('b'), '1ms ^').toBe('13ms (B|)', { B: 'B' });
    });
    expect(sent).toEqual([['a'], ['b']]);
  });

  it('keeps the request going while one caller of the batch is still there', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const reply = cold('10ms (r|)', { r: ['A', 'B'] });
      const batcher = createBatcher({ size: 10, windowMs: 1, send: () => reply, scheduler: testScheduler });

      expectObservable(batcher.submit$('a'), '^--!').toBe('');
      expectObservable(batcher.submit$('b')).toBe('10ms (B|)', { B: 'B' });
      expectSubscriptions(reply.subscriptions).toBe('^ 9ms !');
    });
  });

  it('tells send, by index into its items, which callers still wait while the batch is out', () => {
    const sent: string[][] = [];
    const wanted: boolean[][] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const batcher = createBatcher<string, string>({
        size: 10,
        windowMs: 3,
        scheduler: testScheduler,
        send: (items, isWanted) => {
          const ask = (): void => void wanted.push(items.map((_item, index) => isWanted(index)));
          sent.push(items);
          ask();
          // A first request that takes 10 ms, then a look at who is left, as a fall-back would.
          return cold('10ms (r|)', { r: upper(items) }).pipe(tap(ask));
        },
      });

      expectObservable(batcher.submit$('first')).toBe('10ms (F|)', { F: 'FIRST' });
      // held from 1 while `first` is out, sent by the window at 4; `a` leaves before that, `b` while the batch is out
      expectObservable(batcher.submit$('a'), '1ms ^!').toBe('');
      expectObservable(batcher.submit$('b'), '1ms ^----!').toBe('');
      expectObservable(batcher.submit$('c'), '1ms ^').toBe('14ms (C|)', { C: 'C' });
    });
    expect(sent).toEqual([['first'], ['b', 'c']]);
    expect(wanted).toEqual([[true], [true, true], [true], [false, true]]);
  });

  it('gives the error of a failed send to every caller of that batch, and only to them', () => {
    const error = new Error('bulk failed');
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      let sends = 0;
      const send = (items: string[]): Observable<string[]> =>
        sends++ === 0 ? cold('--#', undefined, error) : cold('--(r|)', { r: upper(items) });
      const batcher = createBatcher({ size: 2, windowMs: 5, send, scheduler: testScheduler, onFlush: (info) => flushes.push(info) });

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
        scheduler: testScheduler,
        send: () => {
          throw error;
        },
      });
      expectObservable(batcher.submit$('a')).toBe('#', undefined, error);
      expectObservable(batcher.submit$('b')).toBe('#', undefined, error);
    });
  });

  it('sends batches concurrently: a slow batch does not hold up the next one', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const send = (items: string[]): Observable<string[]> =>
        items[0] === 'slow' ? cold('20ms (r|)', { r: ['SLOW'] }) : cold('--(r|)', { r: upper(items) });
      const batcher = createBatcher({ size: 1, windowMs: 5, send, scheduler: testScheduler });

      expectObservable(batcher.submit$('slow')).toBe('20ms (S|)', { S: 'SLOW' });
      expectObservable(batcher.submit$('fast'), '1ms ^').toBe('3ms (F|)', { F: 'FAST' });
    });
  });

  it('errors the callers left without a result when the batch answers too few', () => {
    const tooFew = expect.objectContaining({ name: 'OrchestratorError', code: 'validation' });
    testScheduler.run(({ cold, expectObservable }) => {
      const batcher = createBatcher({ size: 3, windowMs: 5, send: () => cold('-(r|)', { r: ['A'] }), scheduler: testScheduler });

      expectObservable(batcher.submit$('a')).toBe('-(A|)', { A: 'A' });
      expectObservable(batcher.submit$('b')).toBe('-#', undefined, tooFew);
      expectObservable(batcher.submit$('c')).toBe('-#', undefined, tooFew);
    });
  });

  it('errors every caller when send completes without answering', () => {
    const noAnswer = expect.objectContaining({ code: 'validation' });
    testScheduler.run(({ cold, expectObservable }) => {
      const batcher = createBatcher<string, string>({ size: 2, windowMs: 5, send: () => cold('-|'), scheduler: testScheduler });

      expectObservable(batcher.submit$('a')).toBe('-#', undefined, noAnswer);
      expectObservable(batcher.submit$('b')).toBe('-#', undefined, noAnswer);
    });
  });

  it('is cold: nothing joins a batch until submit$ is subscribed', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => cold('(r|)', { r: upper(items) }));
      const batcher = createBatcher({ size: 10, windowMs: 5, send, scheduler: testScheduler });
      batcher.submit$('never subscribed');
      expectObservable(batcher.submit$('a'), '3ms ^').toBe('3ms (A|)', { A: 'A' });
    });
    expect(send.mock.calls.map(([items]) => items)).toEqual([['a']]);
  });

  it('on dispose, sends what it holds at once and then refuses new items', () => {
    const send = jest.fn<Observable<string[]>, [string[], (index: number) => boolean]>();
    const flushes: FlushInfo[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      send.mockImplementation((items) => (items[0] === 'slow' ? cold('20ms (r|)', { r: ['SLOW'] }) : cold('--(r|)', { r: upper(items) })));
      const batcher = createBatcher({ size: 10, windowMs: 50, send, scheduler: testScheduler, onFlush: (info) => flushes.push(info) });

      // `a` and `b` are held behind `slow` when dispose comes at 2: they go at once
      expectObservable(batcher.submit$('slow')).toBe('20ms (S|)', { S: 'SLOW' });
      expectObservable(batcher.submit$('a'), '1ms ^').toBe('4ms (A|)', { A: 'A' });
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
    expect(send.mock.calls.map(([items]) => items)).toEqual([['slow'], ['a', 'b']]);
    expect(flushes).toEqual([
      { size: 1, reason: 'idle' },
      { size: 2, reason: 'complete' },
    ]);
  });

  it('raises an OrchestratorError after dispose', () => {
    const batcher = createBatcher<string, string>({ size: 2, windowMs: 5, send: () => throwError(() => new Error()) });
    batcher.dispose();
    let error: unknown;
    batcher.submit$('a').subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(OrchestratorError);
  });

  it('starts no timer until an item is submitted, and none is left once its answer came', () => {
    jest.useFakeTimers();
    try {
      createBatcher<string, string>({ size: 2, windowMs: 5, send: () => throwError(() => new Error()) });
      expect(jest.getTimerCount()).toBe(0);
      const batcher = createBatcher<string, string>({ size: 10, windowMs: 5, send: (items) => of(upper(items)) });
      const answers: string[] = [];
      batcher.submit$('a').subscribe((answer) => answers.push(answer));
      expect(jest.getTimerCount()).toBe(1);
      jest.advanceTimersByTime(0);
      expect(answers).toEqual(['A']);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('by default, gathers what is submitted in one turn of the event loop and sends it in the next (setImmediate)', () => {
    jest.useFakeTimers();
    try {
      const send = jest.fn((items: string[]) => of(upper(items)));
      const batcher = createBatcher<string, string>({ size: 10, windowMs: 5, send });
      const answers: string[] = [];
      batcher.submit$('a').subscribe((answer) => answers.push(answer));
      batcher.submit$('b').subscribe((answer) => answers.push(answer));
      expect(send).not.toHaveBeenCalled();
      // setImmediate runs before any timer, even one of 0 ms
      jest.advanceTimersByTime(0);
      expect(send.mock.calls.map(([items]) => items)).toEqual([['a', 'b']]);
      expect(answers).toEqual(['A', 'B']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('drops the tick of held callers that all left', () => {
    jest.useFakeTimers();
    try {
      const send = jest.fn((items: string[]) => of(upper(items)));
      const batcher = createBatcher<string, string>({ size: 10, windowMs: 5, send });
      batcher.submit$('a').subscribe().unsubscribe();
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(10);
      expect(send).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects a batch size below 1 and a negative window', () => {
    expect(() => createBatcher<string, string>({ size: 0, windowMs: 5, send: () => throwError(() => new Error()) })).toThrow(RangeError);
    expect(() => createBatcher<string, string>({ size: 1, windowMs: -1, send: () => throwError(() => new Error()) })).toThrow(RangeError);
  });
});
