/** A mistake in the command line: printed with the usage, exit code 64. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What the commands need of the process, injectable for tests. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves on SIGINT or SIGTERM. */
  untilInterrupted(): Promise<void>;
}

/** The real process. */
export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  untilInterrupted: () =>
    new Promise((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }),
};
