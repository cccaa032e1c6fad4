import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoCallsDuring, useTestRegistry } from '../support/registry-harness.js';
import { GET, INGEST, LIST, type ArtifactPage, type ArtifactView } from '../support/operations.js';
import { seedUnratedModel } from '../support/seeded-models.js';

const t = useTestRegistry();
const seeded: ArtifactView[] = [];

beforeAll(async () => {
  const types = ['MODEL', 'DATASET', 'CODE'] as const;
  for (let i = 0; i < 120; i++) {
    const type = types[i % 3]!;
    // Hosts the registry does not read through an API: seeding 120 artifacts costs no upstream calls.
    const url = type === 'MODEL' ? `https://www.kaggle.com/models/org/item-${i}` : type === 'DATASET' ? `https://www.kaggle.com/datasets/org/item-${i}` : `https://gitlab.com/org/item-${i}`;
    // Every fourth name differs only in case and separators from "Shared Name".
    const name = i % 4 === 0 ? ['Shared Name', 'shared_name', 'SHARED-NAME', 'shared.name'][(i / 4) % 4]! : `item-${i}`;
    if (type === 'MODEL') {
      // Ingest rates every model, from the Hub only, and the recordings hold far fewer than 40: these
      // are unrated models as old data holds them (reads cost the same with or without a rating).
      seeded.push(await seedUnratedModel((await t.scope()).store, url, { name }));
      continue;
    }
    const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type, url, name } });
    seeded.push(response.data!.ingestArtifact.artifact);
  }
});

/** Every authenticated request also spends its token (one UpdateItem); its user and the current
 * epoch come from what the process remembers (test/security/revocation-delay.test.ts). */
const callsFor = (run: () => Promise<unknown>) => dynamoCallsDuring(t.registry, run);

const AUTH_CALLS = { UpdateItemCommand: 1 };

describe('reads are batched', () => {
  it('a page of 50 artifacts costs one DynamoDB query', async () => {
    let page: ArtifactPage | undefined;
    const calls = await callsFor(async () => {
      page = (await t.gql<ArtifactPage>(LIST, { first: 50 })).data;
    });
    expect(page!.artifacts.edges).toHaveLength(50);
    expect(calls).toEqual({ ...AUTH_CALLS, QueryCommand: 1 });
  });

  it('a by-id read costs one call, and several ids in one request still cost one', async () => {
    expect(await callsFor(() => t.gql(GET, { id: seeded[7]!.id }))).toEqual({ ...AUTH_CALLS, BatchGetItemCommand: 1 });
    const aliases = seeded.slice(0, 10).map((a, i) => `a${i}: artifact(id: "${a.id}") { id name }`).join('\n');
    let data: Record<string, { id: string }> | undefined;
    const calls = await callsFor(async () => {
      data = (await t.gql<Record<string, { id: string }>>(`{ ${aliases} }`)).data;
    });
    expect(Object.values(data!).map((a) => a.id)).toEqual(seeded.slice(0, 10).map((a) => a.id));
    expect(calls).toEqual({ ...AUTH_CALLS, BatchGetItemCommand: 1 });
  });
});

describe('listing and lookups', () => {
  it('pages through everything in creation order without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response: { data?: ArtifactPage } = await t.gql<ArtifactPage>(LIST, { first: 50, after });
      const connection = response.data!.artifacts;
      seen.push(...connection.edges.map((e) => e.node.id));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(seeded.map((a) => a.id));
  });

  it('filters by type, and pages within the filter', async () => {
    const models = seeded.filter((a) => a.type === 'MODEL').map((a) => a.id);
    const first = await t.gql<ArtifactPage>(LIST, { filter: { types: ['MODEL'] }, first: 30 });
    const rest = await t.gql<ArtifactPage>(LIST, { filter: { types: ['MODEL'] }, first: 30, after: first.data!.artifacts.pageInfo.endCursor });
    expect(first.data!.artifacts.pageInfo.hasNextPage).toBe(true);
    expect([...first.data!.artifacts.edges, ...rest.data!.artifacts.edges].map((e) => e.node.id)).toEqual(models);
    expect(rest.data!.artifacts.pageInfo.hasNextPage).toBe(false);
    const two = await t.gql<ArtifactPage>(LIST, { filter: { types: ['DATASET', 'CODE'] }, first: 100 });
    expect(two.data!.artifacts.edges.map((e) => e.node.id)).toEqual(seeded.filter((a) => a.type !== 'MODEL').map((a) => a.id));
  });

  it('finds names exactly (case-sensitive) and by normalized name', async () => {
    const exact = await t.gql<ArtifactPage>(LIST, { filter: { name: 'shared_name' }, first: 100 });
    expect(exact.data!.artifacts.edges.map((e) => e.node.name)).toEqual(Array(seeded.filter((a) => a.name === 'shared_name').length).fill('shared_name'));
    expect(exact.data!.artifacts.edges.length).toBeGreaterThan(0);
    const normalized = await t.gql<ArtifactPage>(LIST, { filter: { normalizedName: 'sharedNAME' }, first: 100 });
    expect(normalized.data!.artifacts.edges.map((e) => e.node.id).sort()).toEqual(
      seeded.filter((a) => /^shared[\s_.-]?name$/i.test(a.name)).map((a) => a.id).sort(),
    );
    const none = await t.gql<ArtifactPage>(LIST, { filter: { name: 'Shared' }, first: 100 });
    expect(none.data!.artifacts.edges).toEqual([]);
  });

  it('does not let an exact name match a longer name with the same prefix', async () => {
    await t.gql(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/prefix-1', name: 'abc' } });
    await t.gql(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/prefix-2', name: 'abc_' } });
    // 'abc_' folds to the same normalized name, so both live under one index partition.
    const response = await t.gql<ArtifactPage>(LIST, { filter: { name: 'abc' }, first: 10 });
    expect(response.data!.artifacts.edges.map((e) => e.node.name)).toEqual(['abc']);
  });
});
