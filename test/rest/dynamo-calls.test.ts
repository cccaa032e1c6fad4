import { beforeAll, describe, expect, it } from 'vitest';
import { AUTH_CALLS_PER_REQUEST, dynamoCallsDuring, useTestRegistry } from '../support/registry-harness.js';
import { ContractValidator, restClient, type RestClient } from '../support/rest-contract.js';
import { recordDynamoCommands } from '../support/dynamo-commands.js';
import { encodeGlobalId } from '../../src/domain/global-id.js';

/**
 * A REST request costs the DynamoDB calls of its GraphQL equivalent: both are thin layers over the
 * same application queries and commands. Counted by command with the SDK middleware, and compared
 * command by command (same operations, same consistency) with the recorder.
 */
const t = useTestRegistry();
let rest: RestClient;
let token: string;

beforeAll(async () => {
  rest = restClient(t.origin, await ContractValidator.load());
  token = `bearer ${t.adminToken}`;
  for (let i = 0; i < 5; i++) await rest('POST', '/artifact/dataset', { token, body: { url: `https://www.kaggle.com/datasets/calls/d-${i}` } });
});

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
const shape = (commands: readonly { command: string; consistent: boolean; indexName: string | undefined }[]) =>
  commands.map((c) => `${c.command}${c.consistent ? ' consistent' : ''}${c.indexName ? ` ${c.indexName}` : ''}`).sort();

async function compare(label: string, viaRest: () => Promise<unknown>, viaGraphQL: () => Promise<unknown>) {
  const recorder = recordDynamoCommands(t.registry);
  const restCalls = await dynamoCallsDuring(t.registry, viaRest);
  const graphqlCalls = await dynamoCallsDuring(t.registry, viaGraphQL);
  const restCommands = await recorder.during(viaRest);
  const graphqlCommands = await recorder.during(viaGraphQL);
  console.log(`${label}: REST ${total(restCalls)} ${JSON.stringify(restCalls)}, GraphQL ${total(graphqlCalls)} ${JSON.stringify(graphqlCalls)}`);
  expect(restCalls).toEqual(graphqlCalls);
  expect(shape(restCommands)).toEqual(shape(graphqlCommands));
  return total(restCalls);
}

describe('DynamoDB calls per REST request = its GraphQL equivalent', () => {
  it('GET /artifacts/{type}/{id} = artifact(id): token, user + epoch, one BatchGet', async () => {
    const [first] = (await rest<{ id: string }[]>('POST', '/artifacts', { token, body: [{ name: '*' }] })).body;
    const calls = await compare(
      'GET /artifacts/{type}/{id}',
      () => rest('GET', `/artifacts/dataset/${first!.id}`, { token }),
      () => t.gql('query($id: ID!) { artifact(id: $id) { id name type url } }', { id: encodeGlobalId('Dataset', first!.id) }),
    );
    expect(calls).toBe(AUTH_CALLS_PER_REQUEST + 1);
  });

  it('POST /artifacts [{name: "*"}] = artifacts(first: 100): token, user + epoch, one Query', async () => {
    const calls = await compare(
      'POST /artifacts',
      () => rest('POST', '/artifacts', { token, body: [{ name: '*' }] }),
      () => t.gql('{ artifacts(first: 100) { edges { node { id name type } } pageInfo { hasNextPage endCursor } } }'),
    );
    expect(calls).toBe(AUTH_CALLS_PER_REQUEST + 1);
  });

  it('POST /artifact/{type} = ingestArtifact (a URL the registry reads no API for)', async () => {
    let n = 0;
    await compare(
      'POST /artifact/{type}',
      () => rest('POST', '/artifact/dataset', { token, body: { url: `https://www.kaggle.com/datasets/calls/ingest-${n++}` } }),
      () => t.gql('mutation($url: String!) { ingestArtifact(input: { type: DATASET, url: $url }) { artifact { id name type url } } }', { url: `https://www.kaggle.com/datasets/calls/ingest-${n++}` }),
    );
  });
});
