/**
 * Whether `error` or one of its causes passes `test`. ElectroDB wraps the SDK's error, and the SDK
 * wraps a socket's: the error that decides is a few causes down.
 */
export function hasCause(error: unknown, test: (cause: Error) => boolean): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (test(current)) return true;
  }
  return false;
}
