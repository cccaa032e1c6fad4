import type { Username } from '../domain/users/username.js';
import type { GlobalEntities } from './entities.js';
import { conditionHeld, isConditionalCheckFailed } from './conditional-check.js';
import { untilProcessed } from './batch.js';

export interface IssuedToken {
  readonly tokenHash: string;
  readonly username: Username;
  readonly epoch: number;
  /** The registration of the user the token was issued to (UserState.registeredVersion). */
  readonly registeredVersion: number;
  readonly issuedAt: string;
  readonly expiresAtMs: number;
  readonly remainingCalls: number;
}

export interface ConsumedToken {
  readonly username: Username;
  readonly epoch: number;
  /** Undefined for tokens issued before registrations were recorded: they match no user. */
  readonly registeredVersion: number | undefined;
  readonly expiresAtMs: number;
  /** Calls left after this one. */
  readonly remainingCalls: number;
}

/** Rewrites of a token racing its own requests: a reset request's token is rarely spent meanwhile. */
const CARRY_ATTEMPTS = 5;

export class TokenStore {
  constructor(private readonly entities: GlobalEntities) {}

  async issue(token: IssuedToken): Promise<void> {
    await this.entities.accessToken.create({ ...token, ttl: Math.ceil(token.expiresAtMs / 1000) }).go({ response: 'none' });
  }

  /**
   * Spends one call of a token: one conditional update, atomic under any concurrency. A token
   * that is unknown, expired or used up fails the condition and spends nothing.
   */
  async consume(tokenHash: string, nowMs: number): Promise<ConsumedToken | undefined> {
    try {
      const { data } = await this.entities.accessToken
        .patch({ tokenHash })
        .subtract({ remainingCalls: 1 })
        .where((attr, op) => `${op.gt(attr.remainingCalls, 0)} AND ${op.gt(attr.expiresAtMs, nowMs)}`)
        .go({ response: 'all_new' });
      return {
        username: data.username as Username,
        epoch: data.epoch,
        registeredVersion: data.registeredVersion,
        expiresAtMs: data.expiresAtMs,
        remainingCalls: data.remainingCalls,
      };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  /**
   * Moves a token into another epoch for another registration of its user: the reset that the
   * default administrator performs keeps the token it was performed with. False when it is gone.
   */
  async carry(tokenHash: string, epoch: number, registeredVersion: number): Promise<boolean> {
    // epoch and registeredVersion are read-only attributes, so the item is rewritten whole; the
    // rewrite is conditioned on the calls left, so a request spending the token meanwhile is never
    // refunded (the budget holds). Each refusal means a call was spent: bounded by the budget.
    for (let attempt = 0; attempt < CARRY_ATTEMPTS; attempt++) {
      const { data } = await this.entities.accessToken.get({ tokenHash }).go({ consistent: true });
      if (!data) return false;
      const rewrite = this.entities.accessToken
        .put({ ...data, epoch, registeredVersion })
        .where((attr, op) => op.eq(attr.remainingCalls, data.remainingCalls))
        .go({ response: 'none' });
      if (await conditionHeld(rewrite)) return true;
    }
    return false;
  }

  /** Hashes of tokens issued in other epochs than `keepEpoch`, for removal after a reset (a scan). */
  async *staleHashes(keepEpoch: number): AsyncGenerator<string[]> {
    let cursor: string | null = null;
    do {
      const page: { data: { tokenHash: string; epoch: number }[]; cursor: string | null } = await this.entities.accessToken.scan.go({
        cursor,
        attributes: ['tokenHash', 'epoch'],
      });
      yield page.data.filter((item) => item.epoch !== keepEpoch).map((item) => item.tokenHash);
      cursor = page.cursor;
    } while (cursor);
  }

  async delete(tokenHashes: readonly string[]): Promise<void> {
    // The unprocessed deletes used to be dropped: a token of an old epoch could outlive its reset.
    await untilProcessed(tokenHashes.map((tokenHash) => ({ tokenHash })), async (keys) => {
      const { unprocessed } = await this.entities.accessToken.delete([...keys]).go();
      return unprocessed.map((key) => ({ tokenHash: String(key.tokenHash) }));
    }, 'token batch delete');
  }
}
