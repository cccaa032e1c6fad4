import { describe, expect, it } from 'vitest';
import { errorCode, useTestRegistry } from '../support/registry-harness.js';
import { DELETE, INGEST, type ArtifactView } from '../support/operations.js';
import { normalizeName } from '../../src/domain/artifact-name.js';
import type { AliasLabel } from '../../src/domain/aliases.js';

const t = useTestRegistry();
let counter = 0;

/** Aliases move alike for every type (only a model must also pass the gate: test/security/gate-bypass.test.ts). */
async function ingest(name: string, url = `https://www.kaggle.com/datasets/org/alias-${++counter}`): Promise<ArtifactView> {
  const type = url.startsWith('https://huggingface.co/') ? 'MODEL' : 'DATASET';
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type, url, name } });
  expect(response.errors).toBeUndefined();
  return response.data!.ingestArtifact.artifact;
}

const SET = 'mutation($input: SetAliasInput!) { setAlias(input: $input) { moved artifact { id name } } }';
const REMOVE = 'mutation($input: RemoveAliasInput!) { removeAlias(input: $input) { removedFrom } }';
const BY_ALIAS = 'query($name: String!, $alias: String!) { artifactByAlias(name: $name, alias: $alias) { id name } }';
const ALIAS_HISTORY = `query($id: ID!) { artifact(id: $id) { history(first: 100, types: [ALIAS_MOVED]) { edges { node {
  version type actor change { ... on AliasMovedChange { name alias from to } }
} } } } }`;

const set = (name: string, alias: string, artifactId: string) => t.gql<{ setAlias: { moved: boolean; artifact: { id: string } } }>(SET, { input: { name, alias, artifactId } });
const byAlias = async (name: string, alias: string) => (await t.gql<{ artifactByAlias: { id: string } | null }>(BY_ALIAS, { name, alias })).data!.artifactByAlias;
const aliasHistory = async (id: string) =>
  (await t.gql<{ artifact: { history: { edges: { node: { version: number; type: string; actor: string; change: Record<string, unknown> } }[] } } }>(ALIAS_HISTORY, { id })).data!.artifact.history.edges.map((e) => e.node);

describe('aliases', () => {
  it('point at one artifact of a name, move (recorded in both histories: who, from, to) and are removed', async () => {
    // Two rated models of one name, as aliases are mostly used.
    const v1 = await ingest('Sentiment Model', 'https://huggingface.co/distilbert/distilbert-base-uncased-finetuned-sst-2-english');
    const v2 = await ingest('sentiment-model', 'https://huggingface.co/google-bert/bert-base-uncased');
    expect((await set('sentiment model', 'production', v1.id)).data!.setAlias).toEqual({ moved: true, artifact: { id: v1.id, name: 'Sentiment Model' } });
    expect(await byAlias('SENTIMENT_MODEL', 'production')).toEqual({ id: v1.id, name: 'Sentiment Model' });
    // Setting it where it points records nothing.
    expect((await set('sentiment-model', 'production', v1.id)).data!.setAlias.moved).toBe(false);

    expect((await set('sentiment-model', 'production', v2.id)).errors).toBeUndefined();
    expect(await byAlias('sentiment-model', 'production')).toEqual({ id: v2.id, name: 'sentiment-model' });
    const move = { name: 'sentimentmodel', alias: 'production' };
    expect(await aliasHistory(v1.id)).toEqual([
      { version: 1, type: 'ALIAS_MOVED', actor: 'ece30861defaultadminuser', change: { ...move, from: null, to: v1.id } },
      { version: 2, type: 'ALIAS_MOVED', actor: 'ece30861defaultadminuser', change: { ...move, from: v1.id, to: v2.id } },
    ]);
    expect(await aliasHistory(v2.id)).toEqual([{ version: 2, type: 'ALIAS_MOVED', actor: 'ece30861defaultadminuser', change: { ...move, from: v1.id, to: v2.id } }]);
    // An alias move is no change of the artifact: its version stays.
    expect((await t.gql<{ artifact: { version: number } }>('query($id: ID!) { artifact(id: $id) { version } }', { id: v2.id })).data!.artifact.version).toBe(v2.version);

    expect((await t.gql<{ removeAlias: { removedFrom: string } }>(REMOVE, { input: { name: 'sentiment-model', alias: 'production' } })).data!.removeAlias.removedFrom).toBe(v2.id);
    expect(await byAlias('sentiment-model', 'production')).toBeNull();
    expect(errorCode(await t.gql(REMOVE, { input: { name: 'sentiment-model', alias: 'production' } }))).toBe('NOT_FOUND');
    expect((await aliasHistory(v2.id)).at(-1)!.change).toEqual({ ...move, from: v2.id, to: null });
  });

  it('refuse a deleted artifact (NOT_FOUND), another name and bad labels (BAD_USER_INPUT)', async () => {
    const model = await ingest('refusals');
    const other = await ingest('someone-else');
    expect(errorCode(await set('refusals', 'production', other.id))).toBe('BAD_USER_INPUT');
    expect(errorCode(await set('refusals', 'Prod Uction', model.id))).toBe('BAD_USER_INPUT');
    expect(errorCode(await set('', 'prod', model.id))).toBe('BAD_USER_INPUT');
    expect((await t.gql(DELETE, { input: { id: model.id, expectedVersion: model.version } })).errors).toBeUndefined();
    expect(errorCode(await set('refusals', 'production', model.id))).toBe('NOT_FOUND');
  });

  it('refuse a model the ingest gate refused (DISQUALIFIED)', async () => {
    const refused = await t.gql(INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct' } });
    expect(errorCode(refused)).toBe('DISQUALIFIED');
    const refusalId = refused.errors![0]!.extensions!['refusalId'] as string;
    const asModelId = Buffer.from(`Model:${refusalId}`).toString('base64');
    expect(errorCode(await set('Meta-Llama-3-8B-Instruct', 'production', asModelId))).toBe('DISQUALIFIED');
  });

  it('move safely under concurrency: every move records the target the one before it left', async () => {
    const candidates = await Promise.all(Array.from({ length: 8 }, () => ingest('racer')));
    const results = await Promise.all(candidates.map((c) => set('racer', 'live', c.id)));
    for (const result of results) expect(result.errors?.[0]?.extensions?.['code'] ?? 'ok', JSON.stringify(result.errors)).toMatch(/^(ok|CONFLICT)$/);
    const moves = await (await t.scope()).store.aliases.moves({ name: normalizeName('racer'), alias: 'live' as AliasLabel });
    expect(moves.length).toBe(results.filter((r) => r.errors === undefined && r.data!.setAlias.moved).length);
    expect(moves.map((m) => m.version)).toEqual(moves.map((_, i) => i + 1));
    moves.forEach((m, i) => expect(m.from?.id ?? null).toBe(i === 0 ? null : moves[i - 1]!.to!.id));
    const live = await byAlias('racer', 'live');
    expect(Buffer.from(live!.id, 'base64').toString().split(':')[1]).toBe(moves.at(-1)!.to!.id);
  });
});
