import { describe, expect, it } from 'vitest';
import { dynamoEngine, useTestRegistry } from '../support/registry-harness.js';
import { recordDynamoCommands } from '../support/dynamo-commands.js';
import { newArtifactId, SYSTEM_ACTOR, type ActorId } from '../../src/domain/ids.js';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { UserEvent } from '../../src/domain/users/user-events.js';
import type { Username } from '../../src/domain/users/username.js';

/**
 * The conditional put that commits an event asks DynamoDB for the item that holds the version
 * (ReturnValuesOnConditionCheckFailure: ALL_OLD), so a lost race names the winner without another
 * read. dynalite ignores the parameter: there the store falls back to one consistent Query. The
 * parity run (TEST_DYNAMODB=dynamodb-local) proves the no-read path.
 */
const t = useTestRegistry();

const engineAnswers = dynamoEngine() === 'dynamodb-local';

describe('a conditional append that loses the version race', () => {
  it('names the winning version of an artifact stream, from the returned item where the engine returns it', async () => {
    const { store } = await t.scope();
    const recorder = recordDynamoCommands(t.registry);
    const artifactId = newArtifactId(Date.now());
    const event = (actor: string): ArtifactEvent => ({
      type: 'ArtifactUpdated',
      payload: { name: actor as never },
      artifactId,
      version: 1,
      at: new Date().toISOString(),
      actor: actor as ActorId,
    });
    expect(await store.events.append(event('first'))).toBe('appended');
    const commands = await recorder.during(async () => {
      expect(await store.events.append(event('second'))).toEqual({ taken: true, winnerVersion: 1 });
    });
    expect(commands[0]).toMatchObject({ command: 'PutItemCommand', onConditionFailure: 'ALL_OLD' });
    // The fallback read happens only where the engine returned no item, and it is consistent.
    expect(commands.slice(1).map((c) => [c.command, c.consistent])).toEqual(engineAnswers ? [] : [['QueryCommand', true]]);
    // The winner's event is untouched.
    expect((await store.events.readStream(artifactId)).map((e) => e.actor)).toEqual(['first']);
  });

  it('does the same for user streams', async () => {
    const { users } = await t.scope();
    const recorder = recordDynamoCommands(t.registry);
    const username = `racer-${Date.now()}` as Username;
    const event: UserEvent = { type: 'UserDeleted', payload: {}, username, version: 1, at: new Date().toISOString(), actor: SYSTEM_ACTOR };
    expect(await users.events.append(event)).toBe('appended');
    const commands = await recorder.during(async () => {
      expect(await users.events.append(event)).toEqual({ taken: true, winnerVersion: 1 });
    });
    expect(commands.map((c) => c.command)).toEqual(engineAnswers ? ['PutItemCommand'] : ['PutItemCommand', 'QueryCommand']);
  });
});
