// Runs before every spec file (jest's setupFilesAfterEnv): an unhandled promise rejection or an
// uncaught exception anywhere in a test fails that test, as `--unhandled-rejections=strict` would.
const escaped: unknown[] = [];
const keep = (reason: unknown): void => {
  escaped.push(reason);
};

beforeAll(() => {
  process.on('unhandledRejection', keep);
  process.on('uncaughtException', keep);
});

afterEach(async () => {
  // A rejection is reported as unhandled after the microtask queue drains: give it a macrotask.
  await new Promise((resolve) => setImmediate(resolve));
  if (escaped.length === 0) return;
  const reasons = escaped.splice(0).map((reason) => (reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)));
  throw new Error(`unhandled during the test:\n${reasons.join('\n')}`);
});

afterAll(() => {
  process.off('unhandledRejection', keep);
  process.off('uncaughtException', keep);
});
