/**
 * Limits on logins, which are the one expensive thing an anonymous caller can ask for: every
 * `authenticate` runs scrypt (N=2^17: ~128 MiB and ~0.1-0.3 s of CPU on one libuv pool thread).
 */
export interface LoginLimits {
  /**
   * scrypt runs at once. Below libuv's pool size (4 unless UV_THREADPOOL_SIZE says otherwise), so
   * pool threads stay free for file system, DNS and zlib work; also caps scrypt memory at
   * concurrency x 128 MiB.
   */
  readonly hashConcurrency: number;
  /** scrypt runs waiting for a slot; a login beyond them is refused with RATE_LIMITED at once. */
  readonly hashQueue: number;
  /** Logins one client address may make in a burst... */
  readonly addressBurst: number;
  /** ...and how fast that allowance refills. */
  readonly addressPerMinute: number;
  /** Client addresses tracked at once (least recently seen are forgotten first): bounded memory. */
  readonly maxTrackedAddresses: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  hashConcurrency: 2,
  hashQueue: 8,
  addressBurst: 20,
  addressPerMinute: 60,
  maxTrackedAddresses: 10_000,
};
