import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORE_SCHEMA, load } from 'js-yaml';
import { useTestRegistry } from '../support/registry-harness.js';
import { ContractValidator, courseDocument, restClient, type RestClient } from '../support/rest-contract.js';
import { ADDED_PATHS } from '../../src/rest/openapi-document.js';

/**
 * GET /openapi.json serves the course document unchanged plus this registry's added paths; the
 * bundled JSON is the YAML's; and the validator every REST test relies on does refuse answers that
 * do not conform (so a passing REST test means something).
 */
const t = useTestRegistry();
let validator: ContractValidator;
let rest: RestClient;

beforeAll(async () => {
  validator = await ContractValidator.load();
  rest = restClient(t.origin, validator);
});

describe('the served document', () => {
  it('is the course document, unchanged, plus the added paths', async () => {
    const served = await rest<Record<string, unknown> & { paths: Record<string, unknown> }>('GET', '/openapi.json');
    expect(served.status).toBe(200);
    const course = courseDocument();
    const { paths, ...rest_ } = served.body;
    const { paths: coursePaths, ...courseRest } = course;
    expect(rest_).toEqual(courseRest);
    expect(paths).toEqual({ ...coursePaths, ...ADDED_PATHS });
  });

  it('bundles exactly the YAML (src/rest/course-openapi.json is generated from docs/course-openapi-3.4.7.yaml)', () => {
    const yaml = load(readFileSync(new URL('../../docs/course-openapi-3.4.7.yaml', import.meta.url), 'utf8'), { schema: CORE_SCHEMA });
    const json: unknown = JSON.parse(readFileSync(new URL('../../src/rest/course-openapi.json', import.meta.url), 'utf8'));
    expect(json).toEqual(yaml);
  });
});

describe('the contract validator', () => {
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => ({ status, headers: new Headers({ 'content-type': 'application/json', ...headers }), body });
  const metadata = { name: 'bert', id: '01JAAAAAAAAAAAAAAAAAAAAAAA', type: 'model' };

  it('passes a conforming answer', () => {
    expect(validator.problems('GET', `/artifacts/model/${metadata.id}`, json({ metadata, data: { url: 'https://huggingface.co/google-bert/bert-base-uncased' } }))).toEqual([]);
  });

  it('refuses a body missing a required field, a wrong type, an id outside the pattern, a non-URI url', () => {
    expect(validator.problems('GET', `/artifacts/model/${metadata.id}`, json({ metadata }))).not.toEqual([]);
    expect(validator.problems('POST', '/artifacts', json([{ ...metadata, type: 'MODEL' }]))).not.toEqual([]);
    expect(validator.problems('POST', '/artifacts', json([{ ...metadata, id: 'not/an id' }]))).not.toEqual([]);
    expect(validator.problems('GET', `/artifacts/model/${metadata.id}`, json({ metadata, data: { url: 'not a url' } }))).not.toEqual([]);
    expect(validator.problems('GET', '/tracks', json({ plannedTracks: ['Speed track'] }))).not.toEqual([]);
  });

  it('refuses a status the operation does not list, and a path the document does not have', () => {
    expect(validator.problems('DELETE', '/reset', json({}, 500))).not.toEqual([]);
    expect(validator.problems('GET', '/nowhere', json({}))).not.toEqual([]);
  });

  it('refuses a rating without a metric, and a JSON answer sent as text', () => {
    expect(validator.problems('GET', `/artifact/model/${metadata.id}/rate`, json({ name: 'bert', category: 'model' }))).not.toEqual([]);
    expect(validator.problems('GET', '/artifact/byName/bert', { status: 200, headers: new Headers({ 'content-type': 'text/plain' }), body: [metadata] })).not.toEqual([]);
  });
});
