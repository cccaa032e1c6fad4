import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { ArtifactName } from '../../src/domain/artifact-name.js';
import type { ActorId } from '../../src/domain/ids.js';
import { artifactIdOf } from './ids.js';
import type { TestRegistry } from './registry-harness.js';

/**
 * What a process killed between an event and its projection leaves behind, made on purpose: tests
 * of the repairs (start-up repair, stream projector) start from these.
 */

/** Deletes an artifact's projection: its events stay, as if the projection was never written. */
export async function loseProjection(t: TestRegistry, globalId: string): Promise<void> {
  const { entities } = await t.scope();
  const params = entities.artifactProjection.delete({ artifactId: artifactIdOf(globalId) }).params();
  await t.registry.dynamo.doc.send(new DeleteCommand(params as ConstructorParameters<typeof DeleteCommand>[0]));
}

/** Appends a rename at `version` without writing its projection, which stays one event behind. */
export async function renameWithoutProjection(t: TestRegistry, globalId: string, version: number, name: string): Promise<'appended' | 'taken'> {
  const { store } = await t.scope();
  const renamed: ArtifactEvent = {
    type: 'ArtifactUpdated', payload: { name: name as ArtifactName }, artifactId: artifactIdOf(globalId), version,
    at: new Date().toISOString(), actor: 'crashed-writer' as ActorId,
  };
  return (await store.events.append(renamed)) === 'appended' ? 'appended' : 'taken';
}
