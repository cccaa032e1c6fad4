import { describe, expect, it } from 'vitest';
import { errorCode, postMultipart, useTestRegistry, type GraphQLResponse } from '../support/registry-harness.js';
import { INGEST, type ArtifactView } from '../support/operations.js';
import { artifactIdOf } from '../support/ids.js';

/**
 * Issue 25, item 6: a global id names an artifact by type and id. Every mutation refuses one of
 * another type (NOT_FOUND, as `artifact(id)` answers null) and changes nothing: `Code:<a model's
 * id>` used to rename the model.
 */
const t = useTestRegistry();
const asType = (globalId: string, typename: string) => Buffer.from(`${typename}:${artifactIdOf(globalId)}`).toString('base64');

async function ingest(type: string, url: string): Promise<ArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type, url } });
  expect(response.errors).toBeUndefined();
  return response.data!.ingestArtifact.artifact;
}

const VERSION = 'query($id: ID!) { artifact(id: $id) { version name } }';
const SHA = 'a'.repeat(64);

describe('a global id of another type', () => {
  it('is refused by every mutation that names an artifact, and nothing changes', async () => {
    const model = await ingest('MODEL', 'https://huggingface.co/google-bert/bert-base-uncased');
    const dataset = await ingest('DATASET', 'https://www.kaggle.com/datasets/registry-tests/global-id-types');
    const before = await t.gql(VERSION, { id: model.id });
    const wrong = asType(model.id, 'Code');
    const mutations: [string, () => Promise<GraphQLResponse<unknown>>][] = [
      ['updateArtifact', () => t.gql('mutation($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { id } } }', { input: { id: wrong, expectedVersion: model.version, name: 'renamed-through-code' } })],
      ['rateModel', () => t.gql('mutation($id: ID!) { rateModel(id: $id) { artifact { id } } }', { id: asType(model.id, 'Dataset') })],
      ['deleteArtifact', () => t.gql('mutation($input: DeleteArtifactInput!) { deleteArtifact(input: $input) { deletedId } }', { input: { id: wrong, expectedVersion: model.version } })],
      ['mirrorArtifactFiles', () => t.gql('mutation($id: ID!) { mirrorArtifactFiles(id: $id) { artifact { id } } }', { id: wrong })],
      ['createUploadUrl', () => t.gql('mutation($input: CreateUploadUrlInput!) { createUploadUrl(input: $input) { uploadId } }', { input: { artifactId: wrong, path: 'w.bin', size: 1, sha256: SHA } })],
      ['uploadFile', () => postMultipart(t.url, 'mutation($input: UploadFileInput!) { uploadFile(input: $input) { file { path } } }', { input: { artifactId: wrong, path: 'w.bin', file: null } }, { 'input.file': Buffer.from('x') }, t.adminToken)],
      ['setAlias', () => t.gql('mutation($input: SetAliasInput!) { setAlias(input: $input) { moved } }', { input: { name: 'bert-base-uncased', alias: 'production', artifactId: wrong } })],
      ['setAlias (a dataset as a model)', () => t.gql('mutation($input: SetAliasInput!) { setAlias(input: $input) { moved } }', { input: { name: 'global-id-types', alias: 'production', artifactId: asType(dataset.id, 'Model') } })],
    ];
    for (const [name, send] of mutations) expect(errorCode(await send()), name).toBe('NOT_FOUND');
    expect(await t.gql(VERSION, { id: model.id })).toEqual(before);
    expect((await t.gql<{ artifact: { version: number } }>(VERSION, { id: dataset.id })).data!.artifact.version).toBe(dataset.version);
    // The right type still works.
    const renamed = await t.gql<{ updateArtifact: { artifact: { name: string } } }>('mutation($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { name } } }', {
      input: { id: model.id, expectedVersion: model.version, name: 'renamed-rightly' },
    });
    expect(renamed.data?.updateArtifact.artifact.name).toBe('renamed-rightly');
  });
});
