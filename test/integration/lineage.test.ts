import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { dynamoCallsDuring, startStorage, startTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { FixtureReplay } from '../support/fixture-replay.js';
import { routeSyntheticParent } from '../support/synthetic-parents.js';
import { DELETE, INGEST } from '../support/operations.js';
import { artifactIdOf } from '../support/ids.js';
import { seedUnratedModel } from '../support/seeded-models.js';
import { SYSTEM_ACTOR } from '../../src/domain/ids.js';
import type { ArtifactLink } from '../../src/domain/artifact-links.js';

/**
 * Lineage and links through the real clients on recorded answers. The pack has no parent's model
 * info, so FacebookAI/roberta-base is a synthetic parent (test/support/synthetic-parents.ts);
 * deepset/roberta-base-squad2 is the recorded child declaring it (card base_model and the
 * base_model:finetune: tag). The late dataset is bookcorpus from Kaggle: bert-base-uncased declares
 * `bookcorpus`, the pack has no Hub dataset info for it, and a non-API host is registered from its
 * URL alone; the normalized-name key links it.
 */
const CHILD = 'deepset/roberta-base-squad2';
const PARENT = 'FacebookAI/roberta-base';

let storage: EmbeddedStorage;
const registries: TestRegistry[] = [];

async function fresh(): Promise<TestRegistry> {
  const replay = new FixtureReplay();
  routeSyntheticParent(replay, CHILD, PARENT);
  const registry = await startTestRegistry(storage, { replay });
  registries.push(registry);
  return registry;
}

beforeAll(async () => {
  storage = await startStorage();
});
afterAll(async () => {
  for (const registry of registries) {
    expect(registry.serverErrors).toEqual([]);
    await registry.close();
  }
  await storage.close();
});

interface ModelView {
  id: string;
  name: string;
  version: number;
  lineage: {
    nodes: { id: string; name: string }[];
    edges: { parent: { id: string; name: string }; child: { id: string; name: string }; relationship: string; source: string }[];
    unresolvedParents: string[];
  };
  datasets: { id: string; name: string }[];
  code: { id: string; name: string }[];
  rating: { treeScore: { value: number } } | null;
  history: { edges: { node: { type: string } }[] };
}

const MODEL = `query($id: ID!) { artifact(id: $id) { ... on Model {
  id name version
  lineage { nodes { id name } edges { parent { id name } child { id name } relationship source } unresolvedParents }
  datasets { id name } code { id name }
  rating { treeScore { value } }
  history { edges { node { type } } }
} } }`;

async function ingest(t: TestRegistry, type: string, url: string): Promise<string> {
  const response = await t.gql<{ ingestArtifact: { artifact: { id: string } } }>(INGEST, { input: { type, url } });
  expect(response.errors).toBeUndefined();
  return response.data!.ingestArtifact.artifact.id;
}

async function model(t: TestRegistry, id: string): Promise<ModelView> {
  const response = await t.gql<{ artifact: ModelView }>(MODEL, { id });
  expect(response.errors).toBeUndefined();
  return response.data!.artifact;
}

/** The graph in names only, so graphs of two registries (different ids) compare. */
const shape = (view: ModelView) => ({
  nodes: view.lineage.nodes.map((n) => n.name).sort(),
  edges: view.lineage.edges.map((e) => `${e.parent.name} -[${e.relationship}/${e.source}]-> ${e.child.name}`).sort(),
  unresolvedParents: view.lineage.unresolvedParents,
});

describe('lineage', () => {
  it('gives the same graph whichever of parent and child is registered first, to both of them', async () => {
    const childFirst = await fresh();
    const lateChild = await ingest(childFirst, 'MODEL', `https://huggingface.co/${CHILD}`);
    const before = await model(childFirst, lateChild);
    expect(shape(before)).toEqual({ nodes: ['roberta-base-squad2'], edges: [], unresolvedParents: [PARENT] });
    const lateParent = await ingest(childFirst, 'MODEL', `https://huggingface.co/${PARENT}`);

    const parentFirst = await fresh();
    const earlyParent = await ingest(parentFirst, 'MODEL', `https://huggingface.co/${PARENT}`);
    const earlyChild = await ingest(parentFirst, 'MODEL', `https://huggingface.co/${CHILD}`);

    const expected = { nodes: ['roberta-base', 'roberta-base-squad2'], edges: ['roberta-base -[finetune/tag]-> roberta-base-squad2'], unresolvedParents: [] };
    for (const [t, id] of [[childFirst, lateChild], [childFirst, lateParent], [parentFirst, earlyParent], [parentFirst, earlyChild]] as const) {
      expect(shape(await model(t, id))).toEqual(expected);
    }

    // Linked later by an event, then re-rated: treeScore now reads the parent's net score.
    const relinked = await model(childFirst, lateChild);
    expect(relinked.history.edges.map((e) => e.node.type)).toEqual(['REGISTERED', 'LINKED', 'RATED']);
    expect(before.rating!.treeScore.value).toBeNull();
    expect(relinked.rating!.treeScore.value).toBeGreaterThan(0);
    // Linked at ingest: the rating in the registration already counted the parent.
    const early = await model(parentFirst, earlyChild);
    expect(early.history.edges.map((e) => e.node.type)).toEqual(['REGISTERED', 'LINKED']);
    expect(early.rating!.treeScore.value).toBe(relinked.rating!.treeScore.value);

    // Pending items are kept: a parent deleted and registered again is linked again, under its new id.
    const parentVersion = (await childFirst.gql<{ artifact: { version: number } }>('query($id: ID!) { artifact(id: $id) { version } }', { id: lateParent })).data!.artifact.version;
    expect((await childFirst.gql(DELETE, { input: { id: lateParent, expectedVersion: parentVersion } })).errors).toBeUndefined();
    expect(shape(await model(childFirst, lateChild))).toEqual({ nodes: ['roberta-base-squad2'], edges: [], unresolvedParents: [PARENT] });
    const again = await ingest(childFirst, 'MODEL', `https://huggingface.co/${PARENT}`);
    const reattached = await model(childFirst, lateChild);
    expect(shape(reattached)).toEqual(expected);
    expect(reattached.lineage.edges[0]!.parent.id).toBe(again);
  });

  it('links a dataset registered after its model and re-rates the model', async () => {
    const t = await fresh();
    const bert = await ingest(t, 'MODEL', 'https://huggingface.co/google-bert/bert-base-uncased');
    expect((await model(t, bert)).datasets).toEqual([]);
    const bookcorpus = await ingest(t, 'DATASET', 'https://www.kaggle.com/datasets/registry-tests/bookcorpus');
    const linked = await model(t, bert);
    expect(linked.datasets).toEqual([{ id: bookcorpus, name: 'bookcorpus' }]);
    expect(linked.history.edges.map((e) => e.node.type)).toEqual(['REGISTERED', 'LINKED', 'RATED']);
  });

  it('loses no link when the parent is registered while the child is being re-rated', async () => {
    const t = await fresh();
    const child = await ingest(t, 'MODEL', `https://huggingface.co/${CHILD}`);
    const [rated, parent] = await Promise.all([
      t.gql('mutation($id: ID!) { rateModel(id: $id) { artifact { id } } }', { id: child }),
      ingest(t, 'MODEL', `https://huggingface.co/${PARENT}`),
    ]);
    expect(rated.errors).toBeUndefined();
    const view = await model(t, child);
    expect(view.lineage.edges.map((e) => [e.parent.id, e.child.id])).toEqual([[parent, child]]);
    const types = view.history.edges.map((e) => e.node.type);
    expect(types.filter((type) => type === 'LINKED')).toHaveLength(1);
  });
});

describe('concurrent registration of parent and child', () => {
  it('links them whichever commits first, exactly once', async () => {
    for (let round = 0; round < 3; round++) {
      const t = await fresh();
      const [child, parent] = await Promise.all([ingest(t, 'MODEL', `https://huggingface.co/${CHILD}`), ingest(t, 'MODEL', `https://huggingface.co/${PARENT}`)]);
      const view = await model(t, child);
      expect(view.lineage.edges.map((e) => [e.parent.id, e.child.id])).toEqual([[parent, child]]);
      expect(view.history.edges.filter((e) => e.node.type === 'LINKED')).toHaveLength(1);
      // Whichever side linked, the child's current rating counted the parent.
      expect(view.rating!.treeScore.value).toBeGreaterThan(0);
    }
  });
});

describe('licenseCheck', () => {
  const CHECK = `query($id: ID!, $url: String!) { artifact(id: $id) { ... on Model { licenseCheck(githubUrl: $url) { compatible modelLicense codeLicense reason } } } }`;
  type CheckView = { artifact: { licenseCheck: { compatible: boolean; modelLicense: string | null; codeLicense: string | null; reason: string } } };

  it('reads the project\'s SPDX id from GitHub (recorded) and answers for the pair; GitHub failing is UPSTREAM_UNAVAILABLE', async () => {
    const replay = new FixtureReplay();
    replay.route('https://api.github.com/repos/registry-tests/flaky/license', { status: 503, headers: { 'content-type': 'application/json' }, body: '{"message":"unavailable"}' });
    const t = await startTestRegistry(storage, { replay });
    registries.push(t);
    const bert = await ingest(t, 'MODEL', 'https://huggingface.co/google-bert/bert-base-uncased');
    const check = async (url: string) => t.gql<CheckView>(CHECK, { id: bert, url });
    expect((await check('https://github.com/github3py/github3py')).data!.artifact.licenseCheck).toMatchObject({ compatible: true, modelLicense: 'apache-2.0', codeLicense: 'bsd-3-clause' });
    expect((await check('https://github.com/PyGithub/PyGithub')).data!.artifact.licenseCheck).toMatchObject({ compatible: true, codeLicense: 'lgpl-3.0' });
    // licensee's own license file is one GitHub cannot classify: no SPDX id, so no license.
    const none = (await check('https://github.com/benbalter/licensee')).data!.artifact.licenseCheck;
    expect(none).toMatchObject({ compatible: false, codeLicense: null });
    const failed = await check('https://github.com/registry-tests/flaky');
    expect(failed.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    const notGitHub = await check('https://gitlab.com/org/repo');
    expect(notGitHub.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});

describe('cost', () => {
  it('adds the parent\'s stored size to the child\'s with dependencies, through the API, in bytes past 2^31', async () => {
    const t = await fresh();
    const parent = await ingest(t, 'MODEL', `https://huggingface.co/${PARENT}`);
    const child = await ingest(t, 'MODEL', `https://huggingface.co/${CHILD}`);
    const COST = `query($id: ID!, $deps: Boolean) { artifact(id: $id) { cost(includeDependencies: $deps) { standaloneBytes totalBytes items { artifact { id } standaloneBytes sizeKnown } } } }`;
    type CostView = { artifact: { cost: { standaloneBytes: number; totalBytes: number; items: { artifact: { id: string }; standaloneBytes: number; sizeKnown: boolean }[] } } };
    const alone = (await t.gql<CostView>(COST, { id: child, deps: false })).data!.artifact.cost;
    const all = (await t.gql<CostView>(COST, { id: child, deps: true })).data!.artifact.cost;
    const parentAlone = (await t.gql<CostView>(COST, { id: parent })).data!.artifact.cost;
    expect(alone.standaloneBytes).toBeGreaterThan(100_000_000);
    expect(alone.totalBytes).toBe(alone.standaloneBytes);
    expect(all.items.map((i) => i.artifact.id)).toEqual([child, parent]);
    expect(all.totalBytes).toBe(alone.standaloneBytes + parentAlone.standaloneBytes);
    const bert = await ingest(t, 'MODEL', 'https://huggingface.co/google-bert/bert-base-uncased');
    const kaggle = await ingest(t, 'DATASET', 'https://www.kaggle.com/datasets/registry-tests/bookcorpus');
    const withDataset = (await t.gql<CostView>(COST, { id: bert, deps: true })).data!.artifact.cost;
    expect(withDataset.items.map((i) => [i.artifact.id, i.sizeKnown])).toEqual([[bert, true], [kaggle, false]]);
  });
});

describe('cost on a diamond', () => {
  it('counts the shared ancestor once with dependencies, and only the model without', async () => {
    //        gpt2 (D)
    //        /      \
    //  roberta-base  bert-base-uncased      the child links both as parents, both link gpt2
    //        \      /
    //   roberta-base-squad2 (A)
    const t = await fresh();
    const b = await ingest(t, 'MODEL', `https://huggingface.co/${PARENT}`);
    const a = await ingest(t, 'MODEL', `https://huggingface.co/${CHILD}`); // linked to B at ingest
    const c = await ingest(t, 'MODEL', 'https://huggingface.co/google-bert/bert-base-uncased');
    const d = await ingest(t, 'MODEL', 'https://huggingface.co/openai-community/gpt2');
    const { commands } = await t.scope();
    const parent = (target: string): ArtifactLink => ({ kind: 'parent', targetId: artifactIdOf(target), relationship: 'base', source: 'card', reference: target });
    // The recordings declare no such edges: appended through the command ingest uses for links.
    for (const [child, target] of [[a, c], [b, d], [c, d]] as const) expect((await commands.link(artifactIdOf(child), [parent(target)], SYSTEM_ACTOR)).ok).toBe(true);

    const COST = `query($id: ID!, $deps: Boolean) { artifact(id: $id) { cost(includeDependencies: $deps) { standaloneBytes totalBytes items { artifact { id } standaloneBytes } } } }`;
    type CostView = { artifact: { cost: { standaloneBytes: number; totalBytes: number; items: { artifact: { id: string }; standaloneBytes: number }[] } } };
    const cost = async (id: string, deps: boolean) => (await t.gql<CostView>(COST, { id, deps })).data!.artifact.cost;
    const sizes = Object.fromEntries(await Promise.all([a, b, c, d].map(async (id) => [id, (await cost(id, false)).standaloneBytes] as const)));
    for (const id of [a, b, c, d]) expect(sizes[id]).toBeGreaterThan(0);

    const alone = await cost(a, false);
    expect(alone).toMatchObject({ standaloneBytes: sizes[a], totalBytes: sizes[a] });
    const all = await cost(a, true);
    expect(all.items.map((i) => i.artifact.id).sort()).toEqual([a, b, c, d].sort());
    expect(all.totalBytes).toBe(sizes[a]! + sizes[b]! + sizes[c]! + sizes[d]!);
    const lineage = (await model(t, d)).lineage;
    expect(lineage.nodes).toHaveLength(4);
    expect(lineage.edges).toHaveLength(4);
  });
});

describe('a page of models with lineage and datasets', () => {
  const PAGE = `query($first: Int) { artifacts(filter: { types: [MODEL] }, first: $first) { edges { node { id ... on Model {
    lineage { nodes { id name } edges { parent { id } child { id } relationship } unresolvedParents }
    datasets { id name } code { id }
  } } } } }`;

  const callsFor = (t: TestRegistry, run: () => Promise<unknown>) => dynamoCallsDuring(t.registry, run);

  it('costs the same DynamoDB calls for 4 models as for 40: one listing and one batch per loader and level', async () => {
    const t = await fresh();
    const { commands, store } = await t.scope();
    // More models than the recordings hold: unrated models from a host with no API, as old data
    // holds them (a rating changes no read of lineage). Links are appended through the same command
    // ingest uses, since Kaggle metadata declares nothing to resolve.
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const modelId = (await seedUnratedModel(store, `https://www.kaggle.com/models/org/m-${i}`)).id;
      const datasetId = await ingest(t, 'DATASET', `https://www.kaggle.com/datasets/org/d-${i}`);
      const links: ArtifactLink[] = [{ kind: 'dataset', targetId: artifactIdOf(datasetId), relationship: 'training', source: 'card', reference: `org/d-${i}` }];
      if (i % 2 === 1) links.push({ kind: 'parent', targetId: artifactIdOf(ids[i - 1]!), relationship: 'finetune', source: 'tag', reference: `org/m-${i - 1}` });
      const linked = await commands.link(artifactIdOf(modelId), links, SYSTEM_ACTOR);
      expect(linked.ok).toBe(true);
      ids.push(modelId);
    }
    const small = await callsFor(t, async () => {
      const response = await t.gql<{ artifacts: { edges: unknown[] } }>(PAGE, { first: 4 });
      expect(response.data!.artifacts.edges).toHaveLength(4);
    });
    let pageOf40: { artifacts: { edges: { node: ModelView }[] } } | undefined;
    const large = await callsFor(t, async () => {
      pageOf40 = (await t.gql<{ artifacts: { edges: { node: ModelView }[] } }>(PAGE, { first: 40 })).data;
    });
    expect(large).toEqual(small);
    // Against the same listing without lineage and links: one BatchGet of child sets (the reverse
    // index) and one of dataset projections, for the whole page. (The type filter makes the
    // listing itself read past the interleaved datasets; that cost is the listing's.)
    const plain = await callsFor(t, () => t.gql('{ artifacts(filter: { types: [MODEL] }, first: 40) { edges { node { id } } } }'));
    expect(large).toEqual({ ...plain, BatchGetItemCommand: (plain['BatchGetItemCommand'] ?? 0) + 2 });
    const second = pageOf40!.artifacts.edges[1]!.node;
    expect(second.lineage.nodes.map((n) => n.name).sort()).toEqual(['m-0', 'm-1']);
    expect(second.datasets.map((d) => d.name)).toEqual(['d-1']);
  });
});
