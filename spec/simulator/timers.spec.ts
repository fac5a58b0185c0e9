import { Timers } from '../../src/simulator/timers';

describe('simulator Timers', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  /** Lets resolved promises run their callbacks. */
  const settle = async (): Promise<void> => {
    for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
  };

  it('resolves at the due time, not before, after a timer aimed short and a poll for the rest', async () => {
    const timers = new Timers();
    let done = false;
    void timers.until(performance.now() + 25).then(() => (done = true));
    jest.advanceTimersByTime(23);
    await settle();
    expect(done).toBe(false);
    // Within the last stretch it polls on setImmediate rather than trusting a late timer.
    jest.advanceTimersByTime(1);
    await settle();
    expect(done).toBe(false);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(1);
    await settle();
    expect(done).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves at once for a due time already past, and sleep(ms) waits ms', async () => {
    const timers = new Timers();
    await expect(timers.until(performance.now() - 1)).resolves.toBeUndefined();
    let slept = false;
    void timers.sleep(10).then(() => (slept = true));
    jest.advanceTimersByTime(9);
    await settle();
    expect(slept).toBe(false);
    jest.advanceTimersByTime(1);
    await settle();
    expect(slept).toBe(true);
  });

  it('clearAll stops every wait, in its timer or in its poll, and leaves nothing scheduled', async () => {
    const timers = new Timers();
    let resolved = 0;
    void timers.until(performance.now() + 1).then(() => (resolved += 1));
    void timers.until(performance.now() + 50).then(() => (resolved += 1));
    expect(jest.getTimerCount()).toBe(2);
    timers.clearAll();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(100);
    await settle();
    expect(resolved).toBe(0);
  });
});
