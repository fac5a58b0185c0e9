/** A mistake in the command line: printed with a pointer to the command's help, exit code 64. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What the commands need of the process, injectable for tests. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether the output may be coloured: a terminal, and no `NO_COLOR` (https://no-color.org). */
  color: boolean;
  /** Resolves on SIGINT or SIGTERM. */
  untilInterrupted(): Promise<void>;
}

/** The real process. */
export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  color: process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
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
