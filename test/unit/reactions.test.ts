import { describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { ActorId, ArtifactId } from '../../src/domain/ids.js';
import type { ArtifactName } from '../../src/domain/artifact-name.js';
import { Reactions } from '../../src/application/reactions/reactions.js';
import { handlesEvent, type CommittedChange, type Reactor } from '../../src/application/reactions/reactor.js';
import { FEED_SHARDS, positionOf, shardOf } from '../../src/store/change-feed.js';
import { createEntities } from '../../src/store/entities.js';

const ID = '01JABCDEFGHJKMNPQRSTVWXYZ0' as ArtifactId;
const renamed = (version: number): ArtifactEvent => ({ type: 'ArtifactUpdated', payload: { name: `n${version}` as ArtifactName }, artifactId: ID, version, at: '2026-01-01T00:00:00.000Z', actor: 'someone' as ActorId });

/** A reactor that records what it saw, and fails when told to. */
function recording(name: string, handles: Reactor['handles'], seen: string[], fails = false): Reactor {
  return {
    name,
    handles,
    async react(change: CommittedChange) {
      seen.push(`${name}:${change.event.type}@${change.event.version}:epoch ${change.epoch}`);
      if (fails) throw new Error('down');
    },
  };
}

describe('reactors declare what they handle', () => {
  it('given a list of types, handles only those; given "every event", all', () => {
    expect(handlesEvent({ handles: ['ArtifactDeleted'] }, 'ArtifactDeleted')).toBe(true);
    expect(handlesEvent({ handles: ['ArtifactDeleted'] }, 'ArtifactUpdated')).toBe(false);
    expect(handlesEvent({ handles: 'every event' }, 'IngestRefused')).toBe(true);
  });
});

describe('inline reactions after a commit', () => {
  it('given registered reactors, when an event commits, then those that handle it run in order with the epoch, and are remembered as done', async () => {
    const seen: string[] = [];
    const reactions = new Reactions(() => {});
    reactions.use(3, [recording('a', 'every event', seen), recording('b', ['ArtifactDeleted'], seen), recording('c', ['ArtifactUpdated'], seen)]);
    await reactions.afterCommit(renamed(2), undefined);
    expect(seen).toEqual(['a:ArtifactUpdated@2:epoch 3', 'c:ArtifactUpdated@2:epoch 3']);
    expect(reactions.inlineOutcome('a', ID, 2)).toBe('done');
    expect(reactions.inlineOutcome('b', ID, 2)).toBeUndefined();
  });

  it('given a failing reactor, when an event commits, then the failure is logged, the others still run, and it is left to the replay', async () => {
    const seen: string[] = [];
    const log: string[] = [];
    const reactions = new Reactions((line) => log.push(line));
    reactions.use(0, [recording('broken', 'every event', seen, true), recording('fine', 'every event', seen)]);
    await expect(reactions.afterCommit(renamed(5), undefined)).resolves.toBeUndefined();
    expect(seen).toEqual(['broken:ArtifactUpdated@5:epoch 0', 'fine:ArtifactUpdated@5:epoch 0']);
    expect(reactions.inlineOutcome('broken', ID, 5)).toBeUndefined();
    expect(reactions.inlineOutcome('fine', ID, 5)).toBe('done');
    expect(log.join('\n')).toMatch(/reaction broken to ArtifactUpdated of .* v5 failed; the change feed replays it: Error: down/);
  });

  it('given outcomes long past, when forgotten, then only finished ones older than the window go', async () => {
    const reactions = new Reactions(() => {});
    reactions.use(0, [recording('a', 'every event', [])]);
    await reactions.afterCommit(renamed(1), undefined);
    reactions.forgetOld(Date.now() + 60_000);
    expect(reactions.inlineOutcome('a', ID, 1)).toBe('done');
    reactions.forgetOld(Date.now() + 11 * 60_000);
    expect(reactions.inlineOutcome('a', ID, 1)).toBeUndefined();
  });
});

describe('the change feed layout', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));

  it('spreads artifacts over a fixed number of shards, one artifact always on one', () => {
    const shards = new Set(Array.from({ length: 200 }, (_, i) => shardOf(`01J${String(i).padStart(23, '0')}`)));
    expect([...shards].sort()).toEqual(Array.from({ length: FEED_SHARDS }, (_, i) => i));
    expect(shardOf(ID)).toBe(shardOf(ID));
  });

  it('keys items by shard and orders them by time, artifact and padded version, as checkpoint positions compare', () => {
    const entities = createEntities(doc, 't', 2);
    const { Item } = entities.feedChange.put({ shard: 1, changedAt: '2026-01-01T00:00:00.000Z', artifactId: ID, version: 12, eventType: 'ArtifactUpdated', ttl: 1 }).params() as { Item: { pk: string; sk: string } };
    expect(Item.pk).toBe('$registry-e2#feed_changes#shard_1');
    expect(Item.sk).toBe(`$feedChange_1#changedAt_2026-01-01T00:00:00.000Z#artifactId_${ID}#version_0000000012`);
    const item = { changedAt: '2026-01-01T00:00:00.000Z', artifactId: ID };
    expect(positionOf({ ...item, version: 9 }) < positionOf({ ...item, version: 10 })).toBe(true);
    expect(positionOf({ ...item, version: 10 })).toBe(`2026-01-01T00:00:00.000Z#${ID}#0000000010`);
  });
});
