import { describe, expect, it } from 'vitest';
import { applyEvent, foldEvents } from '../../src/domain/artifact-state.js';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { ActorId, ArtifactId } from '../../src/domain/ids.js';
import type { ArtifactName } from '../../src/domain/artifact-name.js';
import type { NormalizedUrl } from '../../src/domain/artifact-url.js';
import type { Rating } from '../../src/domain/rating/rating.js';

const id = '01ARZ3NDEKTSV4RRFFQ69G5FAV' as ArtifactId;
const actor = 'tester' as ActorId;
const registered: ArtifactEvent = {
  type: 'ArtifactRegistered',
  payload: { artifactType: 'MODEL', name: 'm' as ArtifactName, url: 'https://huggingface.co/o/m' as NormalizedUrl },
  artifactId: id,
  version: 1,
  at: '2026-01-01T00:00:00.000Z',
  actor,
};
const renamed: ArtifactEvent = { type: 'ArtifactUpdated', payload: { name: 'n' as ArtifactName }, artifactId: id, version: 2, at: '2026-01-02T00:00:00.000Z', actor };
const deleted: ArtifactEvent = { type: 'ArtifactDeleted', payload: {}, artifactId: id, version: 3, at: '2026-01-03T00:00:00.000Z', actor };

describe('folding artifact events', () => {
  it('derives the current state, keeping createdAt and advancing version and updatedAt', () => {
    expect(foldEvents(undefined, [registered, renamed, deleted])).toEqual({
      id,
      type: 'MODEL',
      name: 'n',
      url: 'https://huggingface.co/o/m',
      version: 3,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-03T00:00:00.000Z',
      files: [],
      mirrorStatus: null,
      deleted: true,
    });
  });

  it('continues from a projection exactly as from the start', () => {
    const projected = foldEvents(undefined, [registered]);
    expect(foldEvents(projected, [renamed, deleted])).toEqual(foldEvents(undefined, [registered, renamed, deleted]));
  });

  it('takes a rating from registration and replaces it on ModelRated', () => {
    const rating = (netScore: number) => ({ netScore: { value: netScore } }) as unknown as Rating;
    const withRating: ArtifactEvent = { ...registered, payload: { ...registered.payload, rating: rating(0.7) } };
    const rerated: ArtifactEvent = { type: 'ModelRated', payload: { rating: rating(0.9) }, artifactId: id, version: 2, at: '2026-01-02T00:00:00.000Z', actor };
    expect(foldEvents(undefined, [withRating])?.rating?.netScore.value).toBe(0.7);
    expect(foldEvents(undefined, [withRating, rerated])).toMatchObject({ version: 2, updatedAt: '2026-01-02T00:00:00.000Z', rating: { netScore: { value: 0.9 } } });
  });

  it('folds a stream holding only a refused ingest to no artifact, and refuses anything after it', () => {
    const refused: ArtifactEvent = {
      type: 'IngestRefused',
      payload: { artifactType: 'MODEL', name: 'm' as ArtifactName, url: 'https://huggingface.co/o/m' as NormalizedUrl, reason: 'license 0', rating: {} as Rating },
      artifactId: id,
      version: 1,
      at: '2026-01-01T00:00:00.000Z',
      actor,
    };
    expect(foldEvents(undefined, [refused])).toBeUndefined();
    expect(() => foldEvents(undefined, [refused, { ...renamed }])).toThrow(/after a refused ingest/);
    expect(() => applyEvent(undefined, refused)).toThrow(/no artifact/);
  });

  it('refuses gaps, repeats and events before registration: those are store bugs', () => {
    expect(() => foldEvents(undefined, [registered, deleted])).toThrow(/version 3/);
    expect(() => applyEvent(undefined, renamed)).toThrow();
    expect(() => foldEvents(undefined, [registered, { ...registered, version: 2 }])).toThrow(/registered twice/);
  });
});
