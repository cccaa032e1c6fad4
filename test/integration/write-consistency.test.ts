import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { AUTHENTICATE, postGraphQL, startStorage, startTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { FixtureReplay } from '../support/fixture-replay.js';
import { routeSyntheticParent } from '../support/synthetic-parents.js';
import { DELETE, INGEST, RATE_MODEL, UPDATE, type ArtifactView } from '../support/operations.js';
import { uploadFile } from '../support/files.js';
import { inconsistentReads, recordDynamoCommands, type SentCommand } from '../support/dynamo-commands.js';

/**
 * DynamoDB reads eventually unless asked otherwise; dynalite is always consistent, so only the
 * requests themselves can show that a write path decides on a consistent read. Every read that any
 * write path sends must carry ConsistentRead, and an index query (which cannot) must be confirmed
 * by a consistent base-table read of each item it found.
 */
const CHILD = 'deepset/roberta-base-squad2';
const PARENT = 'FacebookAI/roberta-base';
const PASSWORD = 'a long enough password';

let storage: EmbeddedStorage;
let t: TestRegistry;
let recorder: ReturnType<typeof recordDynamoCommands>;
/** The requests of the last audited write path. */
let lastCommands: SentCommand[] = [];

beforeAll(async () => {
  storage = await startStorage();
  const replay = new FixtureReplay();
  routeSyntheticParent(replay, CHILD, PARENT);
  t = await startTestRegistry(storage, { replay });
  recorder = recordDynamoCommands(t.registry);
});
afterAll(async () => {
  expect(t.serverErrors).toEqual([]);
  await t.close();
  await storage.close();
});

/** Runs one write path and checks the reads it sent; returns its answer. */
async function audited<T extends { errors?: unknown }>(name: string, run: () => Promise<T>): Promise<T> {
  let answer: T | undefined;
  const commands: SentCommand[] = await recorder.during(async () => {
    answer = await run();
  });
  lastCommands = commands;
  expect(answer!.errors, name).toBeUndefined();
  expect(commands.some((c) => c.command.endsWith('ItemCommand') || c.command === 'QueryCommand'), name).toBe(true);
  expect(inconsistentReads(commands).map(({ command, indexName, keyPks }) => ({ command, indexName, keyPks })), name).toEqual([]);
  return answer!;
}

const ingest = (type: string, url: string) =>
  audited(`ingest ${url}`, () => t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type, url } })).then((r) => r.data!.ingestArtifact.artifact);

describe('reads on the write paths', () => {
  it('are consistent for artifact commands, and index lookups are confirmed on the base table', async () => {
    await ingest('MODEL', `https://huggingface.co/${PARENT}`);
    // The child finds its registered parent through the URL index (for its rating and its link).
    const child = await ingest('MODEL', `https://huggingface.co/${CHILD}`);
    expect(lastCommands.filter((c) => c.indexName !== undefined && c.returnedPks.length > 0).length).toBeGreaterThan(0);
    const renamed = await audited('rename', () => t.gql<{ updateArtifact: { artifact: ArtifactView } }>(UPDATE, { input: { id: child.id, expectedVersion: child.version, name: 'renamed' } }));
    const rated = await audited('rateModel', () => t.gql<{ rateModel: { artifact: ArtifactView } }>(RATE_MODEL, { id: child.id }));
    expect(rated.data!.rateModel.artifact.version).toBe(renamed.data!.updateArtifact.artifact.version + 1);

    const kaggle = await ingest('DATASET', 'https://www.kaggle.com/datasets/org/consistency');
    const moved = await audited('re-point', () => t.gql<{ updateArtifact: { artifact: ArtifactView } }>(UPDATE, { input: { id: kaggle.id, expectedVersion: 1, url: 'https://www.kaggle.com/datasets/org/consistency-2' } }));
    await audited('upload (createUploadUrl, completeUpload)', () => uploadFile(t, kaggle.id, 'weights.bin', Buffer.from('weights')));
    const version = moved.data!.updateArtifact.artifact.version + 1; // FileAdded (a download is no change)
    await audited('delete', () => t.gql(DELETE, { input: { id: kaggle.id, expectedVersion: version } }));
  });

  it('are consistent for logins and user commands', async () => {
    await audited('registerUser', () =>
      t.gql('mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }', { input: { username: 'auditor', password: PASSWORD, permissions: ['SEARCH'] } }),
    );
    await audited('authenticate', () => postGraphQL(t.url, AUTHENTICATE, { username: 'auditor', password: PASSWORD }));
    await audited('setPermissions', () => t.gql('mutation { setPermissions(input: { username: "auditor", permissions: [ADMIN] }) { user { username } } }'));
    await audited('deleteUser', () => t.gql('mutation { deleteUser(username: "auditor") { deletedUsername } }'));
  });
});
