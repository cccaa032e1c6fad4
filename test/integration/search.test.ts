import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, TEST_SCRYPT, useTestRegistry } from '../support/registry-harness.js';
import { createRegistry } from '../../src/registry.js';
import { SYSTEM_ACTOR } from '../../src/domain/ids.js';
import { DELETE, INGEST, UPDATE, type ArtifactView } from '../support/operations.js';
import { seedArtifact } from '../support/seed-readme.js';

const t = useTestRegistry();

const SEARCH = `query($regex: String!, $types: [ArtifactType!], $first: Int, $after: String) {
  searchArtifacts(regex: $regex, types: $types, first: $first, after: $after) {
    edges { cursor node { id type name version } matches { field snippet start end } }
    pageInfo { hasNextPage endCursor }
    examined readmesExamined indexed
  }
}`;

interface Match { field: 'NAME' | 'README'; snippet: string; start: number; end: number }
interface SearchView {
  edges: { cursor: string; node: { id: string; type: string; name: string; version: number }; matches: Match[] }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  examined: number;
  readmesExamined: number;
  indexed: number;
}

async function search(regex: string, extra: { types?: string[]; first?: number; after?: string } = {}, token = t.adminToken): Promise<SearchView> {
  const response = await t.gqlAs<{ searchArtifacts: SearchView }>(token, SEARCH, { regex, ...extra });
  expect(response.errors, regex).toBeUndefined();
  return response.data!.searchArtifacts;
}

const names = (view: SearchView) => view.edges.map((edge) => edge.node.name);
const matched = (match: Match) => match.snippet.slice(match.start, match.end);

async function ingest(input: Record<string, unknown>): Promise<ArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input });
  expect(response.errors).toBeUndefined();
  return response.data!.ingestArtifact.artifact;
}

/** Seeds through the projection path with creation times one second apart, so "newest first" is certain. */
let clock = Date.now() - 3_600_000;
async function seed(type: 'MODEL' | 'DATASET' | 'CODE', name: string, readme?: string) {
  clock += 1_000;
  return seedArtifact((await t.scope()).store, { type, name, ...(readme !== undefined && { readme }) }, new Date(clock));
}

describe('searchArtifacts: regular expressions over names and READMEs', () => {
  beforeAll(async () => {
    await seed('MODEL', 'tiny-bert-finetuned', 'A small model.\nTrained on SQuAD v1.1 for question answering.\n');
    await seed('DATASET', 'qa-pairs', 'Questions and answers drawn from the squad dataset and a bert tokenizer.\n');
    await seed('CODE', 'bert-trainer', 'Scripts that train models.\n');
    await seed('CODE', 'plain-tools', 'Nothing of note here.\n');
    await seed('DATASET', 'hundred-kilobytes', 'a'.repeat(100_000));
    // Ingested over GraphQL from the recorded Hub answers: a real card.
    await ingest({ type: 'MODEL', url: 'https://huggingface.co/google-bert/bert-base-uncased' });
  });

  it('finds an exact name, with the match located in the name', async () => {
    const view = await search('^bert-base-uncased$');
    expect(names(view)).toEqual(['bert-base-uncased']);
    const [first] = view.edges[0]!.matches;
    expect(first).toMatchObject({ field: 'NAME', snippet: 'bert-base-uncased', start: 0, end: 17 });
  });

  it('ranks name matches before README-only matches, newest first within each', async () => {
    const view = await search('bert');
    // Names: bert-base-uncased (ingested last), bert-trainer, tiny-bert-finetuned; then qa-pairs, whose README says bert.
    expect(names(view)).toEqual(['bert-base-uncased', 'bert-trainer', 'tiny-bert-finetuned', 'qa-pairs']);
    const readmeOnly = view.edges[3]!;
    expect(readmeOnly.matches.map((m) => m.field)).toEqual(['README']);
    expect(matched(readmeOnly.matches[0]!)).toBe('bert');
    expect(readmeOnly.matches[0]!.snippet).toContain('squad dataset and a bert tokenizer');
    expect(view.pageInfo.hasNextPage).toBe(false);
    expect(view.indexed).toBe(6);
  });

  it('finds a README-only match in a real card, with a snippet of at most 200 characters', async () => {
    const view = await search('BookCorpus');
    expect(names(view)).toEqual(['bert-base-uncased']);
    const match = view.edges[0]!.matches[0]!;
    expect(match.field).toBe('README');
    expect(matched(match)).toBe('BookCorpus');
    expect(match.snippet.length).toBeLessThanOrEqual(200);
    expect(match.snippet.length).toBeGreaterThan('BookCorpus'.length);
  });

  it('is case-sensitive unless the pattern says (?i)', async () => {
    expect(names(await search('SQUAD'))).toEqual([]);
    expect(names(await search('squad'))).toEqual(['qa-pairs']);
    const folded = await search('(?i)SQUAD');
    expect(names(folded)).toEqual(['qa-pairs', 'tiny-bert-finetuned']);
    expect(matched(folded.edges[1]!.matches[0]!)).toBe('SQuAD');
  });

  it('filters by type', async () => {
    expect(names(await search('bert', { types: ['CODE'] }))).toEqual(['bert-trainer']);
    expect(names(await search('bert', { types: ['DATASET', 'MODEL'] }))).toEqual(['bert-base-uncased', 'tiny-bert-finetuned', 'qa-pairs']);
  });

  it('pages through every result with cursors, each once, in rank order', async () => {
    const everything = await search('e', { first: 100 });
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const view = await search('e', { first: 2, ...(after && { after }) });
      expect(view.edges.length).toBeLessThanOrEqual(2);
      seen.push(...names(view));
      if (!view.pageInfo.hasNextPage) break;
      after = view.pageInfo.endCursor!;
    }
    expect(seen).toEqual(names(everything));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(4);
  });

  it('stops scanning once the page is full, and says how much it examined', async () => {
    const one = await search('e', { first: 1 });
    expect(one.edges).toHaveLength(1);
    expect(one.pageInfo.hasNextPage).toBe(true);
    // Names are tested newest first (bert-base-uncased, hundred-kilobytes, ...): the second match
    // ends the scan before the other four names, and before any README.
    expect(one.examined).toBe(2);
    expect(one.readmesExamined).toBe(0);
    const none = await search('no artifact says this');
    expect(none.edges).toEqual([]);
    expect(none.examined).toBe(6);
    expect(none.readmesExamined).toBeGreaterThanOrEqual(5);
  });

  it('refuses cursors of another query, and pages of more than 100', async () => {
    const page = await search('e', { first: 1 });
    const other = await t.gql(SEARCH, { regex: 'a', first: 1, after: page.pageInfo.endCursor });
    expect(errorCode(other)).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(SEARCH, { regex: 'a', first: 101 }))).toBe('BAD_USER_INPUT');
  });

  it('answers invalid and unsupported patterns with BAD_USER_INPUT, the reason and the position', async () => {
    const cases: [string, RegExp, number | undefined][] = [
      ['(bert', /missing closing \)/, 0],
      ['bert)', /unexpected \)/, 0],
      ['(a)\\1', /invalid escape sequence/, 3],
      ['bert(?=-base)', /unsupported Perl syntax/, 4],
      ['(?<!x)bert', /invalid named capture|unsupported/, 0],
      ['x{2,1}', /invalid repeat count/, 1],
      ['(a{1,99999}){1,99999}$', /invalid repeat count/, 2],
      ['', /empty/, undefined],
      ['a'.repeat(1_001), /longer than 1000 characters/, 1_000],
    ];
    for (const [regex, reason, position] of cases) {
      const response = await t.gql(SEARCH, { regex });
      expect(errorCode(response), regex).toBe('BAD_USER_INPUT');
      const extensions = response.errors![0]!.extensions!;
      expect(String(extensions['reason']), regex).toMatch(reason);
      expect(extensions['position'], regex).toBe(position);
    }
  });

  it('answers pathological patterns (linear time, no backtracking) over a 100 KB README of a', async () => {
    const endsInA = await search('(a+)+$');
    expect(names(endsInA)).toEqual(['hundred-kilobytes']);
    expect(endsInA.edges[0]!.matches[0]).toMatchObject({ field: 'README' });
    expect(matched(endsInA.edges[0]!.matches[0]!)).toMatch(/^a+$/);
    const twenty = await search('(.*a){20}');
    expect(names(twenty)).toContain('hundred-kilobytes');
    // (a|aa)*b matches every "b": hundred-kilobytes by its name, never in its README of a's.
    const anyB = await search('(a|aa)*b');
    expect(anyB.edges.find((edge) => edge.node.name === 'hundred-kilobytes')!.matches.map((m) => m.field)).toEqual(['NAME']);
    expect(names(await search('(a|aa)*c$'))).toEqual([]);
  });

  it('sees renames and deletions on the next request; deleted artifacts never match', async () => {
    const created = await ingest({ type: 'CODE', url: 'https://gitlab.com/search-org/lifecycle-probe', name: 'lifecycle-probe' });
    expect(names(await search('lifecycle'))).toEqual(['lifecycle-probe']);
    const renamed = await t.gql<{ updateArtifact: { artifact: ArtifactView } }>(UPDATE, { input: { id: created.id, expectedVersion: 1, name: 'renamed-probe' } });
    expect(renamed.errors).toBeUndefined();
    expect(names(await search('lifecycle'))).toEqual([]);
    expect(names(await search('renamed'))).toEqual(['renamed-probe']);
    const deleted = await t.gql(DELETE, { input: { id: created.id, expectedVersion: 2 } });
    expect(deleted.errors).toBeUndefined();
    expect(names(await search('renamed'))).toEqual([]);
    expect(names(await search('probe'))).toEqual([]);
  });

  it('sees what another process (a second Lambda container) commits, through the change feed', async () => {
    // A second registry over the same table: its writes never pass through this server's process.
    const other = await createRegistry(
      { region: 'us-east-1', tableName: t.registry.config.tableName, bucketName: t.registry.config.bucketName, dynamodbEndpoint: t.storage.dynamodbEndpoint, s3Endpoint: t.storage.s3Endpoint, emulated: true },
      { scrypt: TEST_SCRYPT },
    );
    try {
      expect(names(await search('elsewhere'))).toEqual([]);
      const { store, commands } = other.scope(0);
      const seeded = await seedArtifact(store, { type: 'MODEL', name: 'made-elsewhere', readme: 'Registered by another container.\n' });
      expect(names(await search('elsewhere'))).toEqual(['made-elsewhere']);
      const renamed = await commands.update({ id: seeded.id, type: 'MODEL', expectedVersion: 1, name: 'renamed-elsewhere' }, SYSTEM_ACTOR);
      expect(renamed.ok).toBe(true);
      expect(names(await search('made-'))).toEqual([]);
      expect(names(await search('another container'))).toEqual(['renamed-elsewhere']);
      expect((await commands.delete({ id: seeded.id, type: 'MODEL', expectedVersion: 2 }, SYSTEM_ACTOR)).ok).toBe(true);
      expect(names(await search('elsewhere|another container'))).toEqual([]);
    } finally {
      other.destroy();
    }
  });

  it('requires SEARCH', async () => {
    await t.gql(`mutation { registerUser(input: { username: "search-uploader", password: "a long enough password", permissions: [UPLOAD] }) { user { username } } }`);
    const token = await t.login('search-uploader', 'a long enough password');
    expect(errorCode(await t.gqlAs(token, SEARCH, { regex: 'bert' }))).toBe('FORBIDDEN');
    expect(errorCode(await t.gqlAs(undefined, SEARCH, { regex: 'bert' }))).toBe('UNAUTHENTICATED');
  });
});
