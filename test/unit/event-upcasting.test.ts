import { describe, expect, it } from 'vitest';
import { NOT_APPLICABLE, SCALAR_METRICS, type Rating } from '../../src/domain/rating/rating.js';
import { ratingSchema } from '../../src/store/stored-schemas.js';
import { CURRENT_SCHEMA_VERSION, METRIC_SINCE, schemaVersionOf, upcast } from '../../src/store/upcasters.js';

const score = (value: number) => ({ value, latencySeconds: 0.01, explanation: 'computed' });
const currentRating: Rating = {
  ratedAt: '2024-01-01T00:00:00.000Z',
  netScore: score(0.7),
  ...(Object.fromEntries(SCALAR_METRICS.map((metric) => [metric, score(0.5)])) as Record<(typeof SCALAR_METRICS)[number], ReturnType<typeof score>>),
  sizeScore: { raspberryPi: 0.1, jetsonNano: 0.2, desktopPc: 0.9, awsServer: 1, latencySeconds: 0.01, explanation: 'size' },
};
/** A rating as the first version wrote it: without the metrics added later. */
const { reproducibility: _r, reviewedness: _v, treeScore: _t, ...v1Rating } = currentRating;

describe('schema versions of stored items', () => {
  it('reads an item without schemaVersion as version 1', () => {
    expect(schemaVersionOf({})).toBe(1);
    expect(schemaVersionOf({ schemaVersion: null })).toBe(1);
    expect(schemaVersionOf({ schemaVersion: 2 })).toBe(2);
  });

  it('every metric says from which version on ratings carry it, and none is ahead of the code', () => {
    for (const metric of SCALAR_METRICS) {
      expect(METRIC_SINCE[metric]).toBeGreaterThanOrEqual(1);
      expect(METRIC_SINCE[metric]).toBeLessThanOrEqual(CURRENT_SCHEMA_VERSION);
    }
  });

  it('the current rating schema refuses a rating without a metric: the upcaster is what makes old ones readable', () => {
    expect(ratingSchema.safeParse(v1Rating).success).toBe(false);
  });
});

describe('upcasting ratings written before a metric existed', () => {
  it('a version-1 ModelRated event reads with the later metrics marked not rated', () => {
    const raw = upcast('artifactEvent', 1, { type: 'ModelRated', payload: { rating: v1Rating } });
    const payload = raw.payload as { rating: unknown };
    const rating = ratingSchema.parse(payload.rating);
    for (const metric of ['reproducibility', 'reviewedness', 'treeScore'] as const) {
      expect(rating[metric].value).toBe(NOT_APPLICABLE);
      expect(rating[metric].explanation).toMatch(new RegExp(`not rated.*before the ${metric} metric existed`));
    }
    // What was recorded stays as recorded.
    expect(rating.busFactor).toEqual(score(0.5));
    expect(rating.netScore).toEqual(score(0.7));
  });

  it('fills ratings wherever events keep them: registration, refusal and an update that re-read its source', () => {
    const registered = upcast('artifactEvent', 1, { type: 'ArtifactRegistered', payload: { artifactType: 'MODEL', name: 'm', url: 'u', rating: v1Rating } });
    const updated = upcast('artifactEvent', 1, { type: 'ArtifactUpdated', payload: { reading: { metadata: {}, rating: v1Rating } } });
    expect(ratingSchema.safeParse((registered.payload as { rating: unknown }).rating).success).toBe(true);
    expect(ratingSchema.safeParse((updated.payload as { reading: { rating: unknown } }).reading.rating).success).toBe(true);
  });

  it('a version-1 projection reads its rating with the later metrics marked not rated', () => {
    const item = { artifactId: 'x', rating: JSON.stringify(v1Rating) };
    const lifted = upcast('artifactProjection', 1, item);
    expect(lifted.artifactId).toBe('x');
    expect(ratingSchema.parse(JSON.parse(lifted.rating)).reviewedness.value).toBe(NOT_APPLICABLE);
  });

  it('leaves a version-1 rating that already has every metric, and current items, untouched', () => {
    const full = { type: 'ModelRated', payload: { rating: currentRating } };
    expect(upcast('artifactEvent', 1, full).payload).toEqual(full.payload);
    const item = { rating: JSON.stringify(v1Rating) };
    expect(upcast('artifactProjection', CURRENT_SCHEMA_VERSION, item)).toBe(item);
  });

  it('does not invent a metric the first version already had: a rating without it stays invalid', () => {
    const { busFactor: _b, ...broken } = v1Rating;
    const raw = upcast('artifactEvent', 1, { type: 'ModelRated', payload: { rating: broken } });
    expect(ratingSchema.safeParse((raw.payload as { rating: unknown }).rating).success).toBe(false);
  });

  it('passes an item from a newer version through as is', () => {
    const item = { type: 'ModelRated', payload: { rating: v1Rating } };
    expect(upcast('artifactEvent', CURRENT_SCHEMA_VERSION + 1, item)).toBe(item);
  });

  it('leaves events without ratings alone', () => {
    const item = { type: 'ArtifactDeleted', payload: {} };
    expect(upcast('artifactEvent', 1, item).payload).toEqual({});
    expect(upcast('userEvent', 1, { type: 'UserDeleted', payload: {} }).payload).toEqual({});
  });
});
