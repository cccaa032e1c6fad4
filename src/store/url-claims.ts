import type { ArtifactId } from '../domain/ids.js';
import { isArtifactType, type ArtifactType } from '../domain/artifact-type.js';
import { urlKeyOf, type NormalizedUrl, type UrlKey } from '../domain/artifact-url.js';
import type { Entities } from './entities.js';
import { conditionHeld } from './conditional-check.js';

export interface UrlClaim {
  /** The claimed key: every spelling of one repository claims the same item. */
  readonly key: UrlKey;
  readonly artifactId: ArtifactId;
  readonly artifactType?: ArtifactType | undefined;
  readonly claimedAt: string;
}

export type ClaimOutcome = { readonly claimed: true } | { readonly claimed: false; readonly holder: UrlClaim };

/**
 * Uniqueness of URL keys (urlKeyOf: the normalized URL, case folded where the host folds it); the
 * item's `url` attribute holds the key. The GSI on projections answers lookups but is eventually
 * consistent and cannot refuse a write; a claim item per URL, created only if absent, can.
 */
export class UrlClaims {
  constructor(private readonly entities: Entities) {}

  async claim(url: NormalizedUrl, artifactId: ArtifactId, now: string, artifactType?: ArtifactType): Promise<ClaimOutcome> {
    await this.recordHolder(urlKeyOf(url), artifactId);
    return this.claimRecorded(url, artifactId, now, artifactType);
  }

  /** `claim` for a holder already recorded (an import's rebuild records every URL its stream held). */
  async claimRecorded(url: NormalizedUrl, artifactId: ArtifactId, now: string, artifactType?: ArtifactType): Promise<ClaimOutcome> {
    const key = urlKeyOf(url);
    // A second attempt covers a holder that released the claim between our put and our read.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await conditionHeld(this.entities.urlClaim.create({ url: key, artifactId, claimedAt: now, ...(artifactType && { artifactType }) }).go({ response: 'none' }))) {
        return { claimed: true };
      }
      const holder = await this.get(url);
      if (holder) return { claimed: false, holder };
    }
    throw new Error(`url claim for ${url} was released twice during one claim`);
  }

  async get(url: NormalizedUrl): Promise<UrlClaim | undefined> {
    const { data } = await this.entities.urlClaim.get({ url: urlKeyOf(url) }).go({ consistent: true });
    if (!data) return undefined;
    const artifactType = data.artifactType !== undefined && isArtifactType(data.artifactType) ? data.artifactType : undefined;
    return { key: data.url as UrlKey, artifactId: data.artifactId as ArtifactId, artifactType, claimedAt: data.claimedAt };
  }

  /** Moves a stale claim to a new holder, only if it still belongs to the holder we judged stale. */
  async takeOver(stale: UrlClaim, artifactId: ArtifactId, now: string, artifactType?: ArtifactType): Promise<boolean> {
    await this.recordHolder(stale.key, artifactId);
    return conditionHeld(
      this.entities.urlClaim
        .put({ url: stale.key, artifactId, claimedAt: now, ...(artifactType && { artifactType }) })
        .where((attr, op) => `${op.eq(attr.artifactId, stale.artifactId as string)} AND ${op.eq(attr.claimedAt, stale.claimedAt)}`)
        .go({ response: 'none' }),
    );
  }

  /**
   * Remembers that `artifactId` may hold `key`, before it claims it: an entry whose claim or commit
   * never happened is harmless (readers confirm each against the artifact's events), while one
   * written after the commit could be lost in a crash. Idempotent.
   */
  async recordHolder(key: UrlKey, artifactId: ArtifactId): Promise<void> {
    await this.entities.urlHolder.put({ urlKey: key, artifactId }).go({ response: 'none' });
  }

  /** Every artifact that ever claimed `key` (read-only, eventually consistent), plus the current claim's holder. */
  async holders(key: UrlKey): Promise<ArtifactId[]> {
    const [{ data }, claim] = await Promise.all([
      this.entities.urlHolder.query.byKey({ urlKey: key }).go({ pages: 'all' }),
      this.entities.urlClaim.get({ url: key }).go(),
    ]);
    // The claim covers artifacts registered before holders were recorded (until rebuild-projections backfills them).
    return [...new Set([...data.map((item) => item.artifactId), ...(claim.data ? [claim.data.artifactId] : [])])] as ArtifactId[];
  }

  /** Every claim of this epoch, a page at a time. A scan: for the crash repair pass only. */
  async *all(): AsyncGenerator<UrlClaim[]> {
    let cursor: string | null = null;
    do {
      const page: { data: { url: string; artifactId: string; claimedAt: string }[]; cursor: string | null } =
        await this.entities.urlClaim.scan.go({ cursor, attributes: ['url', 'artifactId', 'claimedAt'] });
      yield page.data.map((item) => ({ key: item.url as UrlKey, artifactId: item.artifactId as ArtifactId, claimedAt: item.claimedAt }));
      cursor = page.cursor;
    } while (cursor);
  }

  /** Drops a claim judged dead, only if it is still exactly that claim (no one took it over since). */
  async releaseIfUnchanged(claim: UrlClaim): Promise<boolean> {
    return conditionHeld(
      this.entities.urlClaim
        .delete({ url: claim.key })
        .where((attr, op) => `${op.eq(attr.artifactId, claim.artifactId as string)} AND ${op.eq(attr.claimedAt, claim.claimedAt)}`)
        .go({ response: 'none' }),
    );
  }

  /** Releases a claim if `artifactId` still holds it; someone else's claim is left alone. */
  async release(url: NormalizedUrl, artifactId: ArtifactId): Promise<void> {
    await conditionHeld(
      this.entities.urlClaim
        .delete({ url: urlKeyOf(url) })
        .where((attr, op) => op.eq(attr.artifactId, artifactId as string))
        .go({ response: 'none' }),
    );
  }
}
