import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * Every GraphQL operation of the web UI is valid against schema/schema.graphql. gql.tada types
 * them from the same schema at compile time; this catches what types alone do not (an unknown
 * field, a wrong argument) in `npm test`, without the editor plugin.
 */
async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : Promise.resolve(/\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []))));
  return nested.flat();
}

describe('the web UI operations', () => {
  it('all validate against the printed schema', async () => {
    const schema = buildSchema(await readFile('schema/schema.graphql', 'utf8'));
    const documents: { file: string; text: string }[] = [];
    for (const file of await sources('ui/src')) {
      for (const match of (await readFile(file, 'utf8')).matchAll(/graphql\(`([\s\S]*?)`\)/g)) documents.push({ file, text: match[1]! });
    }
    expect(documents.length).toBeGreaterThanOrEqual(14);
    for (const { file, text } of documents) {
      const errors = validate(schema, parse(text)).map((e) => e.message);
      expect(errors, `${file}: ${text.slice(0, 80)}`).toEqual([]);
    }
  });
});
