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
    expect(schemaVersionOf({ schemaVersion: 3 })).toBe(3);
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

  it('a version-1 rating also has its -1 sentinels lifted, on the way through version 2', () => {
    const old = { ...v1Rating, busFactor: { ...score(-1), explanation: 'Not applicable: no code' } };
    const rating = ratingSchema.parse((upcast('artifactEvent', 1, { type: 'ModelRated', payload: { rating: old } }).payload as { rating: unknown }).rating);
    expect(rating.busFactor).toEqual({ value: null, latencySeconds: 0.01, explanation: 'Not applicable: no code' });
    expect(rating.treeScore.value).toBeNull();
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

describe('upcasting the -1 sentinel of version 2 ratings to null (not applicable)', () => {
  /** A rating as version 2 wrote it: -1 where a metric had no evidence, -1 on every device for an unknown size. */
  const v2Rating = {
    ...currentRating,
    reviewedness: { value: -1, latencySeconds: 0.001, explanation: 'Not applicable (-1): no GitHub repository is linked.' },
    treeScore: { value: -1, latencySeconds: 0.001, explanation: 'Not applicable: the model declares no parent model (base_model).' },
    sizeScore: { raspberryPi: -1, jetsonNano: -1, desktopPc: -1, awsServer: -1, latencySeconds: 0.001, explanation: 'Not applicable: the weight size is unknown.' },
  };

  it('a version-2 registration reads each -1 as null, its explanation as recorded', () => {
    const raw = upcast('artifactEvent', 2, { type: 'ArtifactRegistered', payload: { artifactType: 'MODEL', name: 'm', url: 'u', rating: v2Rating } });
    const rating = ratingSchema.parse((raw.payload as { rating: unknown }).rating);
    expect(rating.reviewedness).toEqual({ value: NOT_APPLICABLE, latencySeconds: 0.001, explanation: v2Rating.reviewedness.explanation });
    expect(rating.treeScore.value).toBe(NOT_APPLICABLE);
    expect(rating.sizeScore).toMatchObject({ raspberryPi: null, jetsonNano: null, desktopPc: null, awsServer: null, explanation: v2Rating.sizeScore.explanation });
    // Scores are as recorded.
    expect(rating.busFactor).toEqual(score(0.5));
    expect(rating.netScore).toEqual(score(0.7));
  });

  it('lifts ratings wherever events keep them, and projections', () => {
    for (const type of ['ModelRated', 'IngestRefused'] as const) {
      const raw = upcast('artifactEvent', 2, { type, payload: { rating: v2Rating } });
      expect(ratingSchema.parse((raw.payload as { rating: unknown }).rating).reviewedness.value).toBeNull();
    }
    const updated = upcast('artifactEvent', 2, { type: 'ArtifactUpdated', payload: { reading: { metadata: {}, rating: v2Rating } } });
    expect(ratingSchema.parse((updated.payload as { reading: { rating: unknown } }).reading.rating).sizeScore.awsServer).toBeNull();
    const projection = upcast('artifactProjection', 2, { rating: JSON.stringify(v2Rating) });
    expect(ratingSchema.parse(JSON.parse(projection.rating)).treeScore.value).toBeNull();
  });

  it('touches only -1: a score of 0 stays 0, a partly known size keeps its numbers', () => {
    const rating = { ...currentRating, license: score(0), sizeScore: { ...currentRating.sizeScore, raspberryPi: 0 } };
    const item = { rating: JSON.stringify(rating) };
    expect(upcast('artifactProjection', 2, item)).toBe(item);
    expect(upcast('artifactEvent', 2, { type: 'ModelRated', payload: { rating } }).payload).toEqual({ rating });
  });

  it('a current item is not upcast: null is its own value', () => {
    const item = { rating: JSON.stringify({ ...currentRating, reviewedness: { ...score(0), value: null } }) };
    expect(upcast('artifactProjection', CURRENT_SCHEMA_VERSION, item)).toBe(item);
    expect(CURRENT_SCHEMA_VERSION).toBe(3);
  });
});
