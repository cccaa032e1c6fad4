import { describe, expect, it } from 'vitest';
import { applyEvent, foldEvents } from '../../src/domain/artifact-state.js';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { ActorId, ArtifactId } from '../../src/domain/ids.js';
import type { ArtifactName } from '../../src/domain/artifact-name.js';
import type { NormalizedUrl } from '../../src/domain/artifact-url.js';

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

  it('refuses gaps, repeats and events before registration: those are store bugs', () => {
    expect(() => foldEvents(undefined, [registered, deleted])).toThrow(/version 3/);
    expect(() => applyEvent(undefined, renamed)).toThrow();
    expect(() => foldEvents(undefined, [registered, { ...registered, version: 2 }])).toThrow(/registered twice/);
  });
});
