import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRegistry, postGraphQL, type TestRegistry } from '../support/registry-harness.js';
import { ContractValidator, restClient, type RestClient } from '../support/rest-contract.js';
import { FixtureReplay, GITHUB_ORIGIN } from '../support/fixture-replay.js';
import { routeSyntheticParent } from '../support/synthetic-parents.js';
import { uploadFile } from '../support/files.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { encodeGlobalId } from '../../src/domain/global-id.js';

/**
 * The course's clients, over real HTTP against the REST paths, one group per thing they do (the
 * course grader's order: log in, reset, register, enumerate, read, rate, ...). Every answer is
 * validated against the course OpenAPI document by the REST client (test/support/rest-contract.ts).
 */
const CHILD = 'deepset/roberta-base-squad2';
const PARENT = 'FacebookAI/roberta-base';
const replay = new FixtureReplay();
routeSyntheticParent(replay, CHILD, PARENT);
for (const path of ['', '/license']) {
  replay.route(`${GITHUB_ORIGIN}/repos/registry-tests/no-such-repository${path}`, { status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not Found"}' });
}
const t = useTestRegistry({ replay });

/** The 13 recorded models that pass the gate, as the grader registers 13. One spelled with /tree/main. */
const MODELS = [
  'https://huggingface.co/google-bert/bert-base-uncased/tree/main',
  'https://huggingface.co/google-t5/t5-small',
  `https://huggingface.co/${CHILD}`,
  'https://huggingface.co/distilbert/distilbert-base-uncased-finetuned-sst-2-english',
  'https://huggingface.co/facebook/bart-base',
  'https://huggingface.co/facebook/detr-resnet-50',
  'https://huggingface.co/google/flan-t5-large',
  'https://huggingface.co/jonatasgrosman/wav2vec2-large-xlsr-53-english',
  'https://huggingface.co/microsoft/DialoGPT-small',
  'https://huggingface.co/openai-community/gpt2',
  'https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2',
  'https://huggingface.co/sentence-transformers/paraphrase-albert-small-v2',
  'https://huggingface.co/alefiury/wav2vec2-large-xlsr-53-gender-recognition-librispeech',
];
/** bert-base-uncased declares `bookcorpus`: this Kaggle dataset of that name becomes its dependency. */
const DATASETS = [
  'https://huggingface.co/datasets/zed-industries/zeta',
  'https://www.kaggle.com/datasets/registry-tests/bookcorpus',
  ...[1, 2, 3, 4].map((i) => `https://www.kaggle.com/datasets/registry-tests/dataset-${i}`),
];
const CODE = ['https://github.com/PyGithub/PyGithub.git', ...[1, 2, 3, 4].map((i) => `https://gitlab.com/registry-tests/code-${i}`)];

interface Metadata {
  name: string;
  id: string;
  type: 'model' | 'dataset' | 'code';
}
interface Envelope {
  metadata: Metadata;
  data: { url: string; download_url: string };
}

let rest: RestClient;
let token: string;
/** The raw token inside "bearer <token>", for GraphQL's Authorization header. */
const raw = () => token.replace(/^bearer /, '');
const login = async (name: string, password: string) => rest<string>('PUT', '/authenticate', { body: { user: { name, is_admin: false }, secret: { password } } });
const registered = new Map<string, Envelope>();
const byUrl = (url: string) => registered.get(url)!;
/** The harness's helpers, with the token this file logged in with (the harness's own ends at the reset). */
const asUs = (): TestRegistry => ({ ...t, gql: (query, variables) => t.gqlAs(raw(), query, variables) });

beforeAll(async () => {
  rest = restClient(t.origin, await ContractValidator.load());
});

describe('reset and setup', () => {
  it('logs in with PUT /authenticate: the answer is the JSON string "bearer <token>"', async () => {
    const answer = await login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^bearer \S+$/);
    token = answer.body;
  });

  it('refuses a wrong password with 401 and a malformed request with 400', async () => {
    expect((await login(DEFAULT_ADMIN_USERNAME, 'wrong')).status).toBe(401);
    expect((await rest('PUT', '/authenticate', { body: { user: { name: DEFAULT_ADMIN_USERNAME } } })).status).toBe(400);
    expect((await rest('PUT', '/authenticate', { rawBody: '{"user":' })).status).toBe(400);
  });

  it('resets with the token it logged in with and goes on with it (REST and GraphQL); every other token ends', async () => {
    const other = (await login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD)).body;
    expect((await rest('POST', '/artifact/dataset', { token, body: { url: 'https://www.kaggle.com/datasets/registry-tests/before-reset' } })).status).toBe(201);
    expect((await rest('DELETE', '/reset', { token })).status).toBe(200);
    const listed = await rest<Metadata[]>('POST', '/artifacts', { token, body: [{ name: '*' }] });
    expect(listed).toMatchObject({ status: 200, body: [] });
    const viewer = await t.gqlAs<{ viewer: { user: { username: string } } }>(raw(), '{ viewer { user { username } } }');
    expect(viewer.data?.viewer.user.username).toBe(DEFAULT_ADMIN_USERNAME);
    expect((await rest('POST', '/artifacts', { token: other, body: [{ name: '*' }] })).status).toBe(403);
    expect((await t.gqlAs(t.adminToken, '{ viewer { user { username } } }')).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('lists the planned tracks, answers health, and serves health components', async () => {
    expect((await rest('GET', '/tracks')).body).toEqual({ plannedTracks: ['Access control track', 'Performance track'] });
    expect((await rest('GET', '/health')).status).toBe(200);
    const components = await rest<{ components: { id: string; status: string; metrics?: unknown }[] }>('GET', '/health/components?windowMinutes=30&includeTimeline=true', { token });
    expect(components.body.components.map((c) => [c.id, c.status])).toEqual([['dynamodb', 'ok'], ['s3', 'ok']]);
    expect(components.body.components[0]!.metrics).toBeDefined();
    const anonymous = await rest<{ components: { metrics?: unknown }[] }>('GET', '/health/components');
    expect(anonymous.body.components[0]!.metrics).toBeUndefined();
  });
});

describe('ingest of models, datasets and code', () => {
  it('registers 24 artifacts in one burst: 201 each, every id distinct, data.url as sent', async () => {
    const sent: (readonly [string, string])[] = [...MODELS.map((url) => ['model', url] as const), ...DATASETS.map((url) => ['dataset', url] as const), ...CODE.map((url) => ['code', url] as const)];
    expect(sent).toHaveLength(24);
    const answers = await Promise.all(sent.map(([type, url]) => rest<Envelope>('POST', `/artifact/${type}`, { token, body: { url } })));
    for (const [i, answer] of answers.entries()) {
      expect(answer.status, `${sent[i]![1]}: ${JSON.stringify(answer.body)}`).toBe(201);
      expect(answer.body.metadata.type).toBe(sent[i]![0]);
      expect(answer.body.data.url).toBe(sent[i]![1]);
      expect(answer.body.data.download_url).toBe(`${t.origin}/artifacts/${sent[i]![0]}/${answer.body.metadata.id}/download`);
      registered.set(sent[i]![1], answer.body);
    }
    expect(new Set(answers.map((a) => a.body.metadata.id)).size).toBe(24);
    expect(byUrl(MODELS[0]!).metadata.name).toBe('bert-base-uncased');
  });

  it('answers a registered URL (any spelling) 409, a refused model 424, a bad body or type 400', async () => {
    expect((await rest('POST', '/artifact/model', { token, body: { url: 'https://huggingface.co/google-bert/bert-base-uncased' } })).status).toBe(409);
    expect((await rest('POST', '/artifact/model', { token, body: { url: 'https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct' } })).status).toBe(424);
    expect((await rest('POST', '/artifact/model', { token, body: { name: 'no url' } })).status).toBe(400);
    expect((await rest('POST', '/artifact/model', { token, body: { url: 'not a url' } })).status).toBe(400);
    expect((await rest('POST', '/artifact/model', { token, rawBody: 'url=x' })).status).toBe(400);
    expect((await rest('POST', '/artifact/dataset', { token, body: { url: 'https://www.kaggle.com/datasets/x/y', name: '*' } })).status).toBe(400);
  });
});

describe('enumerate with * and paging by offset', () => {
  it('pages through every artifact with the offset header, each once', async () => {
    await Promise.all(Array.from({ length: 90 }, (_, i) => rest('POST', '/artifact/code', { token, body: { url: `https://gitlab.com/registry-tests/bulk-${i}` } })));
    const seen: string[] = [];
    let offset: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof rest<Metadata[]>>> = await rest<Metadata[]>('POST', `/artifacts${offset === null ? '' : `?offset=${encodeURIComponent(offset)}`}`, { token, body: [{ name: '*' }] });
      expect(page.status).toBe(200);
      seen.push(...page.body.map((m) => m.id));
      offset = page.headers.get('offset');
      pages += 1;
    } while (offset !== null && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(24 + 90);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('takes a plain number as an offset that skips that many results, across queries, and still prints its own', async () => {
    const list = (offset: string, body: unknown = [{ name: '*' }]) => rest<Metadata[]>('POST', `/artifacts?offset=${offset}`, { token, body });
    const first = await rest<Metadata[]>('POST', '/artifacts', { token, body: [{ name: '*' }] });
    const second = await list(encodeURIComponent(first.headers.get('offset')!));
    const everything = [...first.body, ...second.body].map((m) => m.id);
    expect(everything).toHaveLength(114);
    expect((await list('0')).body.map((m) => m.id)).toEqual(everything.slice(0, 100));
    const skippedOne = await list('1');
    expect(skippedOne).toMatchObject({ status: 200 });
    expect(skippedOne.body.map((m) => m.id)).toEqual(everything.slice(1, 101));
    // The header it prints continues where that page ended.
    const rest1 = await list(encodeURIComponent(skippedOne.headers.get('offset')!));
    expect(rest1.body.map((m) => m.id)).toEqual(everything.slice(101));
    expect((await list('110')).body.map((m) => m.id)).toEqual(everything.slice(110));
    expect((await list('114')).body).toEqual([]);
    // Two queries: the skip runs through the first query's results into the second's.
    const twoQueries = [{ name: '*', types: ['dataset'] }, { name: '*', types: ['code'] }];
    const datasets = (await rest<Metadata[]>('POST', '/artifacts', { token, body: [twoQueries[0]] })).body.length;
    const intoCode = await list(String(datasets + 2), twoQueries);
    expect(intoCode.body[0]?.type).toBe('code');
    expect(intoCode.body.map((m) => m.id)).toEqual((await rest<Metadata[]>('POST', '/artifacts', { token, body: [twoQueries[1]] })).body.slice(2).map((m) => m.id));
    // Bounded like every page: a skip beyond ten pages is refused, not read.
    expect((await list('1001')).status).toBe(400);
    expect((await list('-1')).status).toBe(400);
  });

  it('filters by type, treats types [] as no filter, and refuses a bad query (400) or too many (413)', async () => {
    const datasets = await rest<Metadata[]>('POST', '/artifacts', { token, body: [{ name: '*', types: ['dataset'] }] });
    expect(datasets.body.map((m) => m.type)).toEqual(Array(DATASETS.length).fill('dataset'));
    const all = await rest<Metadata[]>('POST', '/artifacts', { token, body: [{ name: '*', types: [] }] });
    expect(all.body).toHaveLength(100);
    expect((await rest('POST', '/artifacts', { token, body: { name: '*' } })).status).toBe(400);
    expect((await rest('POST', '/artifacts', { token, body: [{ name: '*', types: ['weights'] }] })).status).toBe(400);
    expect((await rest('POST', '/artifacts?offset=nonsense', { token, body: [{ name: '*' }] })).status).toBe(400);
    expect((await rest('POST', '/artifacts', { token, body: Array(51).fill({ name: '*' }) })).status).toBe(413);
  });
});

describe('by name', () => {
  it('finds every artifact of one exact name, case-sensitively, and 404 for none', async () => {
    const shared = await Promise.all(['x', 'y', 'z'].map((s) => rest<Envelope>('POST', '/artifact/dataset', { token, body: { url: `https://www.kaggle.com/datasets/shared/${s}`, name: 'shared-name' } })));
    const code = await rest<Envelope>('POST', '/artifact/code', { token, body: { url: 'https://gitlab.com/shared/code', name: 'shared-name' } });
    const found = await rest<Metadata[]>('GET', '/artifact/byName/shared-name', { token });
    expect(found.body.map((m) => m.id).sort()).toEqual([...shared.map((s) => s.body.metadata.id), code.body.metadata.id].sort());
    const datasets = await rest<Metadata[]>('POST', '/artifacts', { token, body: [{ name: 'shared-name', types: ['dataset'] }] });
    expect(datasets.body).toHaveLength(3);
    expect((await rest('GET', '/artifact/byName/Shared-Name', { token })).status).toBe(404);
    expect((await rest('GET', `/artifact/byName/${encodeURIComponent('bert-base-uncased')}`, { token })).body).toEqual([byUrl(MODELS[0]!).metadata]);
  });
});

describe('regex', () => {
  it('finds by exact name, by a pattern only a README matches, and answers 404 for a random string', async () => {
    const exact = await rest<Metadata[]>('POST', '/artifact/byRegEx', { token, body: { regex: '^bert-base-uncased$' } });
    expect(exact.status).toBe(200);
    expect(exact.body).toEqual([byUrl(MODELS[0]!).metadata]);
    // In detr-resnet-50's model card, in no artifact's name.
    const readmeOnly = await rest<Metadata[]>('POST', '/artifact/byRegEx', { token, body: { regex: 'Hungarian matching' } });
    expect(readmeOnly.body).toEqual([byUrl('https://huggingface.co/facebook/detr-resnet-50').metadata]);
    const partial = await rest<Metadata[]>('POST', '/artifact/byRegEx', { token, body: { regex: '(?i)WAV2VEC2' } });
    expect(partial.body.map((m) => m.name).sort()).toEqual(['wav2vec2-large-xlsr-53-english', 'wav2vec2-large-xlsr-53-gender-recognition-librispeech']);
    expect((await rest('POST', '/artifact/byRegEx', { token, body: { regex: 'qzx-no-such-artifact-7731' } })).status).toBe(404);
  });

  it('answers 400 for an invalid or unsupported pattern and a malformed body, promptly for a pathological one', async () => {
    for (const regex of ['(unclosed', '(a)\\1', '(?=lookahead)']) {
      expect((await rest('POST', '/artifact/byRegEx', { token, body: { regex } })).status, regex).toBe(400);
    }
    expect((await rest('POST', '/artifact/byRegEx', { token, body: { pattern: 'x' } })).status).toBe(400);
    expect((await rest('POST', '/artifact/byRegEx', { token, body: { regex: '(qzx+)+$' } })).status).toBe(404);
  });
});

describe('by id', () => {
  it('reads an artifact back with the URL as registered; 404 for an unknown id or another type, 400 for a malformed one', async () => {
    const code = byUrl(CODE[0]!);
    const read = await rest<Envelope>('GET', `/artifacts/code/${code.metadata.id}`, { token });
    expect(read.body).toEqual(code);
    expect(read.body.data.url).toBe('https://github.com/PyGithub/PyGithub.git');
    expect((await rest('GET', `/artifacts/model/${code.metadata.id}`, { token })).status).toBe(404);
    expect((await rest('GET', '/artifacts/code/invalidId', { token })).status).toBe(404);
    expect((await rest('GET', '/artifacts/code/bad_id!', { token })).status).toBe(400);
    expect((await rest('GET', `/artifacts/weights/${code.metadata.id}`, { token })).status).toBe(400);
    // The GraphQL global id names the same artifact; REST takes only its own id.
    expect((await rest('GET', `/artifacts/code/${encodeURIComponent(encodeGlobalId('Code', code.metadata.id))}`, { token })).status).toBe(400);
  });

  it('updates with PUT (name and id must match), re-pointing the artifact', async () => {
    const dataset = byUrl(DATASETS[2]!);
    const url = 'https://www.kaggle.com/datasets/registry-tests/dataset-1-v2';
    const put = await rest<Envelope>('PUT', `/artifacts/dataset/${dataset.metadata.id}`, { token, body: { metadata: dataset.metadata, data: { url } } });
    expect(put.status).toBe(200);
    expect((await rest<Envelope>('GET', `/artifacts/dataset/${dataset.metadata.id}`, { token })).body.data.url).toBe(url);
    expect((await rest('PUT', `/artifacts/dataset/${dataset.metadata.id}`, { token, body: { metadata: { ...dataset.metadata, name: 'other' }, data: { url } } })).status).toBe(400);
    expect((await rest('PUT', `/artifacts/dataset/${byUrl(DATASETS[3]!).metadata.id}`, { token, body: { metadata: dataset.metadata, data: { url } } })).status).toBe(400);
    expect((await rest('PUT', '/artifacts/dataset/invalidId', { token, body: { metadata: { ...dataset.metadata, id: 'invalidId' }, data: { url } } })).status).toBe(404);
    expect((await rest('PUT', `/artifacts/dataset/${dataset.metadata.id}`, { token, body: { metadata: dataset.metadata } })).status).toBe(400);
  });
});

describe('download URL', () => {
  it('records the download and redirects to a presigned S3 URL of the stored files', async () => {
    const bert = byUrl(MODELS[0]!);
    expect((await rest('GET', `/artifacts/model/${bert.metadata.id}/download`, { token })).status).toBe(404);
    const uploaded = await uploadFile(asUs(), encodeGlobalId('Model', bert.metadata.id), 'config.json', Buffer.from('{"hidden_size": 768}'), 'application/json');
    expect(uploaded.errors).toBeUndefined();
    const redirect = await rest('GET', new URL(bert.data.download_url).pathname, { token });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(location).toMatch(/X-Amz-Signature=/);
    const zip = await fetch(location);
    expect(zip.status).toBe(200);
    expect(Buffer.from(await zip.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });
});

describe('ratings', () => {
  it('rates 13 models concurrently: every attribute present, in range, from the stored rating', async () => {
    const ratings = await Promise.all(MODELS.map((url) => rest<Record<string, unknown>>('GET', `/artifact/model/${byUrl(url).metadata.id}/rate`, { token })));
    for (const [i, rating] of ratings.entries()) {
      expect(rating.status, MODELS[i]).toBe(200);
      const body = rating.body;
      expect(body['name']).toBe(byUrl(MODELS[i]!).metadata.name);
      for (const [key, value] of Object.entries(body)) {
        if (key === 'name' || key === 'category') continue;
        if (key === 'size_score') {
          expect(Object.keys(value as object).sort()).toEqual(['aws_server', 'desktop_pc', 'jetson_nano', 'raspberry_pi']);
          for (const device of Object.values(value as Record<string, number>)) expect(device).toBeGreaterThanOrEqual(0), expect(device).toBeLessThanOrEqual(1);
        } else if (key.endsWith('_latency')) {
          expect(value).toBeGreaterThanOrEqual(0);
        } else if (key === 'reviewedness') {
          expect(value === -1 || ((value as number) >= 0 && (value as number) <= 1)).toBe(true);
        } else {
          expect(value, key).toBeGreaterThanOrEqual(0);
          expect(value, key).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('rates only models: a dataset id is 404', async () => {
    expect((await rest('GET', `/artifact/model/${byUrl(DATASETS[0]!).metadata.id}/rate`, { token })).status).toBe(404);
    expect((await rest('GET', '/artifact/model/bad_id!/rate', { token })).status).toBe(400);
  });
});

describe('cost', () => {
  it('gives standalone and total cost in MB, with dependencies each once', async () => {
    const bert = byUrl(MODELS[0]!);
    const bookcorpus = byUrl(DATASETS[1]!);
    const alone = await rest<Record<string, { standalone_cost: number; total_cost: number }>>('GET', `/artifact/model/${bert.metadata.id}/cost`, { token });
    expect(Object.keys(alone.body)).toEqual([bert.metadata.id]);
    const own = alone.body[bert.metadata.id]!;
    expect(own.standalone_cost).toBeGreaterThan(0);
    expect(own.total_cost).toBe(own.standalone_cost);
    const withDependencies = await rest<Record<string, { standalone_cost: number; total_cost: number }>>('GET', `/artifact/model/${bert.metadata.id}/cost?dependency=true`, { token });
    expect(Object.keys(withDependencies.body)).toContain(bookcorpus.metadata.id);
    const total = Object.values(withDependencies.body).reduce((sum, item) => sum + item.standalone_cost, 0);
    expect(withDependencies.body[bert.metadata.id]!.total_cost).toBeCloseTo(total, 5);
    expect((await rest('GET', `/artifact/model/${bert.metadata.id}/cost?dependency=maybe`, { token })).status).toBe(400);
  });
});

describe('license check', () => {
  it('answers a boolean, the same verdict as GraphQL; 404 for a repository GitHub does not have, 400 for a malformed URL', async () => {
    const bert = byUrl(MODELS[0]!);
    const check = await rest<boolean>('POST', `/artifact/model/${bert.metadata.id}/license-check`, { token, body: { github_url: 'https://github.com/PyGithub/PyGithub' } });
    expect(check.status).toBe(200);
    const graphql = await postGraphQL<{ artifact: { licenseCheck: { compatible: boolean } } }>(t.url, 'query($id: ID!) { artifact(id: $id) { ... on Model { licenseCheck(githubUrl: "https://github.com/PyGithub/PyGithub") { compatible } } } }', { id: encodeGlobalId('Model', bert.metadata.id) }, raw());
    expect(check.body).toBe(graphql.data!.artifact.licenseCheck.compatible);
    expect((await rest('POST', `/artifact/model/${bert.metadata.id}/license-check`, { token, body: { github_url: 'https://github.com/registry-tests/no-such-repository' } })).status).toBe(404);
    expect((await rest('POST', `/artifact/model/${bert.metadata.id}/license-check`, { token, body: { github_url: 'not a url' } })).status).toBe(400);
    expect((await rest('POST', `/artifact/model/${bert.metadata.id}/license-check`, { token, body: {} })).status).toBe(400);
  });
});

describe('lineage', () => {
  it('links a parent registered after its child: both see one graph with the queried model in it', async () => {
    const child = byUrl(`https://huggingface.co/${CHILD}`);
    const parent = await rest<Envelope>('POST', '/artifact/model', { token, body: { url: `https://huggingface.co/${PARENT}` } });
    expect(parent.status).toBe(201);
    const graph = await rest<{ nodes: { artifact_id: string; name: string; source: string }[]; edges: { from_node_artifact_id: string; to_node_artifact_id: string; relationship: string }[] }>(
      'GET',
      `/artifact/model/${child.metadata.id}/lineage`,
      { token },
    );
    expect(graph.body.nodes.map((n) => n.artifact_id).sort()).toEqual([child.metadata.id, parent.body.metadata.id].sort());
    expect(graph.body.edges).toEqual([{ from_node_artifact_id: parent.body.metadata.id, to_node_artifact_id: child.metadata.id, relationship: 'fine_tune' }]);
    const fromParent = await rest<{ edges: unknown[] }>('GET', `/artifact/model/${parent.body.metadata.id}/lineage`, { token });
    expect(fromParent.body.edges).toEqual(graph.body.edges);
    const alone = await rest<{ nodes: { artifact_id: string }[] }>('GET', `/artifact/model/${byUrl(MODELS[1]!).metadata.id}/lineage`, { token });
    expect(alone.body.nodes.map((n) => n.artifact_id)).toEqual([byUrl(MODELS[1]!).metadata.id]);
  });
});

describe('audit', () => {
  it('has entries for create, rate, update and download, with who and when', async () => {
    const bert = byUrl(MODELS[0]!);
    const audit = await rest<{ user: { name: string; is_admin: boolean }; date: string; artifact: Metadata; action: string }[]>('GET', `/artifact/model/${bert.metadata.id}/audit`, { token });
    expect(audit.status).toBe(200);
    const actions = new Set(audit.body.map((entry) => entry.action));
    for (const action of ['CREATE', 'RATE', 'UPDATE', 'DOWNLOAD']) expect(actions).toContain(action);
    expect(audit.body[0]).toMatchObject({ user: { name: DEFAULT_ADMIN_USERNAME, is_admin: true }, artifact: bert.metadata, action: 'CREATE' });
    const dataset = byUrl(DATASETS[2]!);
    const updated = await rest<{ action: string }[]>('GET', `/artifact/dataset/${dataset.metadata.id}/audit`, { token });
    expect(updated.body.map((entry) => entry.action)).toEqual(['CREATE', 'UPDATE']);
  });
});

describe('delete', () => {
  it('deletes an artifact: then it is 404 everywhere, and deleting again is 404', async () => {
    const dataset = byUrl(DATASETS[5]!);
    expect((await rest('DELETE', `/artifacts/dataset/${dataset.metadata.id}`, { token })).status).toBe(200);
    expect((await rest('GET', `/artifacts/dataset/${dataset.metadata.id}`, { token })).status).toBe(404);
    expect((await rest('GET', `/artifact/dataset/${dataset.metadata.id}/audit`, { token })).status).toBe(404);
    expect((await rest('DELETE', `/artifacts/dataset/${dataset.metadata.id}`, { token })).status).toBe(404);
    expect((await rest('DELETE', '/artifacts/dataset/invalidId', { token })).status).toBe(404);
    // Its URL is free again.
    expect((await rest('POST', '/artifact/dataset', { token, body: { url: DATASETS[5] } })).status).toBe(201);
  });
});

describe('authentication errors on every route', () => {
  const id = '01JAAAAAAAAAAAAAAAAAAAAAAA';
  const ROUTES: readonly [string, string, unknown?][] = [
    ['POST', '/artifacts', [{ name: '*' }]],
    ['DELETE', '/reset'],
    ['GET', `/artifacts/model/${id}`],
    ['PUT', `/artifacts/model/${id}`, { metadata: { name: 'x', id, type: 'model' }, data: { url: 'https://huggingface.co/x/y' } }],
    ['DELETE', `/artifacts/model/${id}`],
    ['POST', '/artifact/model', { url: 'https://huggingface.co/x/y' }],
    ['GET', '/artifact/byName/x'],
    ['POST', '/artifact/byRegEx', { regex: 'x' }],
    ['GET', `/artifact/model/${id}/rate`],
    ['GET', `/artifact/model/${id}/cost`],
    ['GET', `/artifact/model/${id}/lineage`],
    ['POST', `/artifact/model/${id}/license-check`, { github_url: 'https://github.com/x/y' }],
    ['GET', `/artifact/model/${id}/audit`],
    ['GET', `/artifacts/model/${id}/download`],
  ];

  it('answers 403 without a token and with a refused one', async () => {
    for (const [method, path, body] of ROUTES) {
      expect((await rest(method, path, { body })).status, `${method} ${path}`).toBe(403);
      expect((await rest(method, path, { body, token: 'bearer tmr1.0.bm9ib2R5.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).status, `${method} ${path}`).toBe(403);
    }
  });

  it('answers 403 for a missing permission, 401 for a reset without ADMIN', async () => {
    const created = await t.gqlAs(raw(), 'mutation { registerUser(input: { username: "uploader", password: "a long random secret", permissions: [UPLOAD] }) { user { username } } }');
    expect(created.errors).toBeUndefined();
    const uploader = (await login('uploader', 'a long random secret')).body;
    expect((await rest('DELETE', '/reset', { token: uploader })).status).toBe(401);
    expect((await rest('POST', '/artifacts', { token: uploader, body: [{ name: '*' }] })).status).toBe(403);
    expect((await rest('GET', `/artifacts/model/${byUrl(MODELS[0]!).metadata.id}/download`, { token: uploader })).status).toBe(403);
    expect((await rest('POST', '/artifact/dataset', { token: uploader, body: { url: 'https://www.kaggle.com/datasets/uploader/one' } })).status).toBe(201);
  });
});
