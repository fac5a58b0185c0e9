import { Timers } from '../../src/simulator/timers';

describe('simulator Timers', () => {
  let timeouts: jest.SpyInstance;
  let immediates: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    timeouts = jest.spyOn(global, 'setTimeout');
    immediates = jest.spyOn(global, 'setImmediate');
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  /** Moves the clock on and lets resolved promises run their callbacks. */
  const advance = async (ms: number): Promise<void> => {
    jest.advanceTimersByTime(ms);
    for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
  };

  /** A wait of `ms` from now, and whether it has resolved yet. */
  const waitFor = (timers: Timers, ms: number): { resolved: () => boolean } => {
    let resolved = false;
    void timers.until(performance.now() + ms).then(() => (resolved = true));
    return { resolved: () => resolved };
  };

  it('aims its timer 1.5 ms short, polls on setImmediate for the rest, and resolves at the due time', async () => {
    const wait = waitFor(new Timers(), 25);
    expect(timeouts).toHaveBeenCalledTimes(1);
    expect(timeouts.mock.calls[0]?.[1]).toBe(23.5);
    expect(immediates).not.toHaveBeenCalled();

    await advance(24);
    expect(immediates).toHaveBeenCalled();
    expect(wait.resolved()).toBe(false);

    await advance(1);
    expect(wait.resolved()).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves at once for a due time already past; sleep(ms) is until(now + ms)', async () => {
    const timers = new Timers();
    await expect(timers.until(performance.now() - 1)).resolves.toBeUndefined();
    expect(timeouts).not.toHaveBeenCalled();
    let slept = false;
    void timers.sleep(10).then(() => (slept = true));
    await advance(9);
    expect(slept).toBe(false);
    await advance(1);
    expect(slept).toBe(true);
  });

  it('clearAll stops a wait still on its timer and one already polling, and leaves nothing scheduled', async () => {
    const timers = new Timers();
    const polling = waitFor(timers, 25);
    const sleeping = waitFor(timers, 50);
    await advance(24);
    expect(immediates).toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(2);

    timers.clearAll();
    expect(jest.getTimerCount()).toBe(0);
    await advance(100);
    expect(polling.resolved()).toBe(false);
    expect(sleeping.resolved()).toBe(false);
  });

  it('waits past the longest timer Node takes in steps, rather than firing at once', async () => {
    const wait = waitFor(new Timers(), 2 ** 31 + 10);
    expect(timeouts.mock.calls[0]?.[1]).toBe(2 ** 31 - 1);
    await advance(2 ** 31 - 1);
    expect(wait.resolved()).toBe(false);
    expect(timeouts).toHaveBeenCalledTimes(2);
  });
});
