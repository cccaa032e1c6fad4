import { describe, expect, it } from 'vitest';
import { errorCode, useTestRegistry, type GraphQLResponse } from '../support/registry-harness.js';
import { FixtureReplay } from '../support/fixture-replay.js';
import { routeUnlicensedRepo, UNLICENSED_REPO } from '../support/unlicensed-repo.js';
import { BY_URL, INGEST, LIST, UPDATE, type ArtifactPage, type ArtifactView } from '../support/operations.js';

/**
 * Every key has one canonical form (issue 12, items 3 to 5): spellings of one repository are one
 * artifact, names cannot hide characters or pose as `*`, and licenseCheck tells a missing
 * repository from an unlicensed one. Over HTTP, on the recorded Hub and GitHub answers.
 */
const t = useTestRegistry({ replay: routeUnlicensedRepo(new FixtureReplay()) });

type Ingested = { ingestArtifact: { artifact: ArtifactView } };

async function ingest(type: string, url: string, name?: string): Promise<GraphQLResponse<Ingested>> {
  return t.gql<Ingested>(INGEST, { input: { type, url, ...(name !== undefined && { name }) } });
}

async function ingestOk(type: string, url: string, name?: string): Promise<ArtifactView> {
  const response = await ingest(type, url, name);
  if (!response.data?.ingestArtifact) throw new Error(`ingest of ${url} failed: ${JSON.stringify(response.errors)}`);
  return response.data.ingestArtifact.artifact;
}

const extensions = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions ?? {};

describe('one key per repository', () => {
  it('refuses a second spelling of a GitHub repository as a CONFLICT naming the first; a re-spelling update keeps the claim', async () => {
    const first = await ingestOk('CODE', 'https://github.com/PyGithub/PyGithub');
    // The URL keeps the spelling the client registered; only the key is folded.
    expect(first.url).toBe('https://github.com/PyGithub/PyGithub');
    for (const spelling of ['https://github.com/pygithub/pygithub', 'http://GitHub.com.:443/PYGITHUB/pygithub.git/tree/main/', 'https://www.github.com/pyGitHub/PyGithub#readme']) {
      const again = await ingest('CODE', spelling);
      expect(errorCode(again), spelling).toBe('CONFLICT');
      expect(extensions(again)['existingId']).toBe(first.id);
    }
    const found = await t.gql<{ artifactByUrl: ArtifactView | null }>(BY_URL, { url: 'https://github.com/pygithub/PYGITHUB' });
    expect(found.data!.artifactByUrl).toMatchObject({ id: first.id, url: 'https://github.com/PyGithub/PyGithub' });

    const respelled = await t.gql<{ updateArtifact: { artifact: ArtifactView } }>(UPDATE, { input: { id: first.id, expectedVersion: first.version, url: 'https://github.com/pygithub/pygithub' } });
    expect(respelled.data!.updateArtifact.artifact.url).toBe('https://github.com/pygithub/pygithub');
    const stillHeld = await ingest('CODE', 'https://github.com/PyGithub/PyGithub');
    expect(errorCode(stillHeld)).toBe('CONFLICT');
    expect(extensions(stillHeld)['existingId']).toBe(first.id);
  });

  it('treats :443 and a trailing host dot on the Hub as the same repository, and the Hub case-insensitively; other ports are refused', async () => {
    const bert = await ingestOk('MODEL', 'https://huggingface.co/google-bert/bert-base-uncased');
    for (const spelling of ['http://huggingface.co:443/google-bert/bert-base-uncased', 'https://huggingface.co./google-bert/bert-base-uncased', 'https://huggingface.co/Google-BERT/BERT-base-uncased']) {
      const again = await ingest('MODEL', spelling);
      expect(errorCode(again), spelling).toBe('CONFLICT');
      expect(extensions(again)['existingId']).toBe(bert.id);
      const found = await t.gql<{ artifactByUrl: ArtifactView | null }>(BY_URL, { url: spelling });
      expect(found.data!.artifactByUrl?.id).toBe(bert.id);
    }
    const otherPort = await ingest('MODEL', 'https://huggingface.co:8443/google-bert/bert-base-uncased');
    expect(errorCode(otherPort)).toBe('BAD_USER_INPUT');
    expect(extensions(otherPort)['field']).toBe('url');
  });

  it('refuses a URL whose encoded form exceeds the key limit as BAD_USER_INPUT naming url, on ingest and lookup', async () => {
    const long = `https://example.com/${'é'.repeat(1000)}`;
    // With a name of its own, so the derived name (1,000 characters, over the name limit) is not what fails.
    const ingested = await ingest('MODEL', long, 'long');
    expect(errorCode(ingested)).toBe('BAD_USER_INPUT');
    expect(extensions(ingested)['field']).toBe('url');
    const looked = await t.gql(BY_URL, { url: long });
    expect(errorCode(looked)).toBe('BAD_USER_INPUT');
  });
});

describe('names', () => {
  it.each([
    ['a right-to-left override', 'model\u202egnp.exe'],
    ['a zero-width space', 'bert\u200bbase'],
    ['a fullwidth asterisk', '\uff0a'],
    ['an asterisk and a zero-width space', '*\u200b'],
    ['a lone surrogate', 'bert\ud800'],
  ])('refuses a name with %s as BAD_USER_INPUT naming name', async (_label, name) => {
    const response = await ingest('DATASET', `https://www.kaggle.com/datasets/registry-tests/${encodeURIComponent(_label.replace(/ /g, '-'))}`, name);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(extensions(response)['field']).toBe('name');
  });

  it('finds "bert-base" by the normalized name "ＢＥＲＴ base", and refuses search keys past the key limit', async () => {
    const bert = await ingestOk('DATASET', 'https://www.kaggle.com/datasets/registry-tests/bert-base', 'bert-base');
    const page = await t.gql<ArtifactPage>(LIST, { filter: { normalizedName: 'ＢＥＲＴ base' } });
    expect(page.data!.artifacts.edges.map((edge) => edge.node.id)).toContain(bert.id);
    const tooLong = await t.gql(LIST, { filter: { normalizedName: '\ufdfa'.repeat(200) } });
    expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
    const exactTooLong = await t.gql(LIST, { filter: { name: 'x'.repeat(3000) } });
    expect(errorCode(exactTooLong)).toBe('BAD_USER_INPUT');
  });
});

describe('licenseCheck', () => {
  const CHECK = `query($id: ID!, $url: String!) { artifact(id: $id) { ... on Model { licenseCheck(githubUrl: $url) { compatible modelLicense codeLicense reason } } } }`;
  type CheckView = { artifact: { licenseCheck: { compatible: boolean; codeLicense: string | null; reason: string } | null } };

  it('answers a repository without a license with a verdict, and a missing repository with BAD_USER_INPUT', async () => {
    const found = await t.gql<{ artifactByUrl: ArtifactView | null }>(BY_URL, { url: 'https://huggingface.co/google-bert/bert-base-uncased' });
    const bert = found.data!.artifactByUrl ?? (await ingestOk('MODEL', 'https://huggingface.co/google-bert/bert-base-uncased'));
    const unlicensed = await t.gql<CheckView>(CHECK, { id: bert.id, url: `https://github.com/${UNLICENSED_REPO}` });
    expect(unlicensed.errors).toBeUndefined();
    expect(unlicensed.data!.artifact.licenseCheck).toMatchObject({ compatible: false, codeLicense: null });
    expect(unlicensed.data!.artifact.licenseCheck!.reason).toMatch(/no license/);

    const missing = await t.gql<CheckView>(CHECK, { id: bert.id, url: 'https://github.com/registry-tests/no-such-repository' });
    expect(errorCode(missing)).toBe('BAD_USER_INPUT');
    expect(missing.errors![0]!.message).toContain('no such repository: registry-tests/no-such-repository');
    expect(extensions(missing)['field']).toBe('githubUrl');
  });
});
