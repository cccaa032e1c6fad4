/**
 * Caps how many upstream requests are in flight at once. Ingest fans out to the Hub and GitHub
 * (model info, card, dataset cards, contributors, reviews ...) and many ingests may run together;
 * without a cap a burst of ingests becomes a burst against rate-limited APIs.
 */
export class Semaphore {
  private available: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new Error(`a semaphore needs at least one permit, got ${permits}`);
    this.available = permits;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /**
   * Runs `task` like `run`, unless every permit is taken and `maxWaiting` tasks already wait:
   * then it answers undefined at once, so a caller can shed load instead of queueing without end.
   */
  tryRun<T>(task: () => Promise<T>, maxWaiting: number): Promise<T> | undefined {
    return this.wouldAdmit(maxWaiting) ? this.run(task) : undefined;
  }

  /** Whether `tryRun(task, maxWaiting)` would take a task now. */
  wouldAdmit(maxWaiting: number): boolean {
    return this.available > 0 || this.waiting.length < maxWaiting;
  }

  private acquire(): Promise<void> {
    if (this.available > 0) {
      this.available -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // Hand the permit straight to the next waiter, so a newcomer cannot overtake it.
    if (next) next();
    else this.available += 1;
  }
}
