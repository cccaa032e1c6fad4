/**
 * A mistake in how the registry was started (configuration, DATA_DIR, port, host, credentials):
 * one line naming the problem and its fix. It is the operator's input, not a bug, so it is printed
 * without a stack trace.
 */
export interface StartupFailure {
  readonly message: string;
}

export const startupFailure = (problem: string, fix: string): StartupFailure => ({ message: `${problem}; ${fix}` });

/** Prints the failure as one line on stderr and exits with 1. */
export function exitWithFailure(failure: StartupFailure): never {
  console.error(`error: ${failure.message}`);
  process.exit(1);
}

/** The errno code of a Node system error (`EACCES`, `EADDRINUSE`, ...), if it is one. */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
