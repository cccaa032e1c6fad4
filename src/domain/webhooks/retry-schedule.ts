/**
 * How long after each failed attempt the next one goes (issue 23): +2 s, +10 s, +1 min, +5 min,
 * +30 min, +2 h, +6 h. The attempt after the last delay is the final one: failing it, the delivery
 * is FAILED, about 8.6 hours after the first try.
 */
export const RETRY_DELAYS_MS = [2_000, 10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000] as const;

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** When the next attempt is due after `attempts` failures (undefined: none, the delivery has FAILED). */
export const retryDelayAfter = (attempts: number): number | undefined => RETRY_DELAYS_MS[attempts - 1];

/** A webhook whose every delivery failed for this long is deactivated (a health warning says so). */
export const DEACTIVATE_AFTER_MS = 24 * 60 * 60 * 1000;

/** An answer slower than this is a failure. */
export const DELIVERY_TIMEOUT_MS = 10_000;
