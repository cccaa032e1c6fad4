import { describe, expect, it } from 'vitest';
import { useTestRegistry } from '../support/registry-harness.js';
import { courseDocument } from '../support/rest-contract.js';

/** RFC 9110: a method a served path does not take is 405 with `Allow`; an unknown path stays 404. */
const t = useTestRegistry();

const SAMPLE_PARAMETERS: Record<string, string> = { artifact_type: 'model', id: '01JZ0000000000000000000000', name: 'bert' };
const concrete = (template: string) => template.replace(/\{([^}]+)\}/g, (_, name: string) => SAMPLE_PARAMETERS[name] ?? 'x');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const send = (method: string, path: string) => fetch(`${t.origin}${path}`, { method });

describe('methods a served path does not take', () => {
  const paths = Object.entries(courseDocument().paths as Record<string, Record<string, unknown>>);

  it.each(paths)('%s: PATCH is 405, Allow lists what the contract serves there', async (template, operations) => {
    const documented = Object.keys(operations).filter((key) => HTTP_METHODS.includes(key)).map((method) => method.toUpperCase());
    const expected = new Set([...documented, ...(documented.includes('GET') ? ['HEAD'] : [])]);
    const answer = await send('PATCH', concrete(template));
    expect(answer.status).toBe(405);
    expect(new Set(answer.headers.get('allow')!.split(', '))).toEqual(expected);
    expect(await answer.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers OPTIONS on a path without it (no CORS configured) with 405 and Allow', async () => {
    const answer = await send('OPTIONS', '/reset');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('DELETE');
  });

  it('keeps 404 for unknown paths, and serves HEAD where GET is served', async () => {
    for (const path of ['/nowhere', '/artifact/model/x/y/z', '/tracks/']) {
      const answer = await send('PATCH', path);
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('allow'), path).toBeNull();
    }
    expect((await send('HEAD', '/tracks')).status).toBe(200);
  });
});
