import { appError, err, ok, type Result } from '../domain/result.js';
import { Semaphore } from '../upstream/semaphore.js';
import type { ScanAllowance } from './search-scan.js';

/**
 * What searches may cost. Work is engine work: characters RE2 runs over times the pattern's
 * compiled instructions, the bound on its time whatever the pattern (RE2 is linear in both). It
 * is counted, not timed, so it is the same on every machine; the time limit covers what the
 * count cannot see (a machine slower than expected).
 */
export interface SearchLimits {
  /**
   * Work one request may spend across all its searches (GraphQL aliases, REST's pages). A page
   * that runs out ends early with a cursor where it stopped; a search that starts with nothing
   * left is QUERY_TOO_COMPLEX. 4e9 scans 10,000 READMEs of 8 KB with a literal-like pattern of
   * ~50 instructions, or 4 MB of text with a 1,000-instruction one.
   */
  readonly workPerRequest: number;
  /** Scan time one request may spend across its searches (the worker's time, not time waiting for a turn). */
  readonly msPerRequest: number;
  /** Searches one user may have running at once in this process; past it RATE_LIMITED. */
  readonly concurrentPerUser: number;
  /** Searches running at once in this process, all users together; past it RATE_LIMITED. */
  readonly concurrentTotal: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = {
  workPerRequest: 4e9,
  msPerRequest: 5_000,
  concurrentPerUser: 2,
  concurrentTotal: 16,
};

/** A search's share of the request's budget, and what it spent of it. */
export interface Spent {
  readonly work: number;
  readonly ms: number;
}

const busy = (message: string) => err(appError('RATE_LIMITED', message, { retryAfterSeconds: 1 }));

/** This process's searches in flight, per user and in all: the concurrency caps of SearchLimits. */
export class SearchGate {
  private readonly perUser = new Map<string, number>();
  private total = 0;

  constructor(readonly limits: SearchLimits = DEFAULT_SEARCH_LIMITS) {}

  /** The budget of one request of this user, shared by all the searches it makes. */
  forRequest(user: string): RequestSearches {
    return new RequestSearches(this, user);
  }

  /** Takes a place for one search, or RATE_LIMITED; the place is given back by the function returned. */
  enter(user: string): Result<() => void> {
    const mine = this.perUser.get(user) ?? 0;
    if (mine >= this.limits.concurrentPerUser) return busy(`at most ${this.limits.concurrentPerUser} searches of one user run at once; retry when one has answered`);
    if (this.total >= this.limits.concurrentTotal) return busy('too many searches are running; retry shortly');
    this.perUser.set(user, mine + 1);
    this.total += 1;
    let left = false;
    return ok(() => {
      if (left) return;
      left = true;
      this.total -= 1;
      const now = (this.perUser.get(user) ?? 1) - 1;
      if (now === 0) this.perUser.delete(user);
      else this.perUser.set(user, now);
    });
  }
}

/**
 * One request's searches: they run one after another (aliases share the budget, so running them
 * together would only make each wait for the others), each holding one of its user's places, and
 * each spends from the request's budget.
 */
export class RequestSearches {
  private readonly turns = new Semaphore(1);
  private work = 0;
  private ms = 0;

  constructor(
    private readonly gate: SearchGate,
    private readonly user: string,
  ) {}

  /** What is left of the request's budget. */
  get remaining(): ScanAllowance {
    const { workPerRequest, msPerRequest } = this.gate.limits;
    return { work: workPerRequest - this.work, ms: msPerRequest - this.ms };
  }

  /** Runs one search with what is left of the budget, and takes what it spent from it. */
  run<T extends { readonly spent: Spent }>(search: (allowance: ScanAllowance) => Promise<Result<T>>): Promise<Result<T>> {
    return this.turns.run(async () => {
      const allowance = this.remaining;
      if (allowance.work <= 0 || allowance.ms <= 0) {
        const { workPerRequest, msPerRequest } = this.gate.limits;
        return err(
          appError('QUERY_TOO_COMPLEX', "this request's searches have spent its search budget; send further searches in another request", {
            limitName: allowance.work <= 0 ? 'workPerRequest' : 'msPerRequest',
            limit: allowance.work <= 0 ? workPerRequest : msPerRequest,
          }),
        );
      }
      const place = this.gate.enter(this.user);
      if (!place.ok) return place;
      try {
        const result = await search(allowance);
        if (result.ok) {
          this.work += result.value.spent.work;
          this.ms += result.value.spent.ms;
        }
        return result;
      } finally {
        place.value();
      }
    });
  }
}
