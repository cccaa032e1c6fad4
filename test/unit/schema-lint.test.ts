import { Readable } from 'node:stream';
import {
  getIntrospectionQuery,
  graphqlSync,
  printSchema,
  specifiedScalarTypes,
  type IntrospectionField,
  type IntrospectionInputValue,
  type IntrospectionQuery,
  type IntrospectionType,
} from 'graphql';
import linter from 'graphql-schema-linter';
import { describe, expect, it } from 'vitest';
import { SCALAR_SPECIFICATIONS } from '../../src/graphql/builder.js';
import { schema } from '../../src/graphql/schema.js';

interface LintReport {
  readonly errors: readonly { readonly message: string; readonly rule: string; readonly location: { readonly line: number } }[];
}

/**
 * graphql-schema-linter's CLI, run in-process on SDL given as standard input, with its default
 * rules (every built-in one) unless a config file says otherwise: the same answer as
 * `npx graphql-schema-linter schema/schema.graphql`.
 */
async function lint(sdl: string): Promise<string[]> {
  let out = '';
  let err = '';
  const exitCode = await linter.runner.run(
    { write: (text) => ((out += text), true) },
    // Its reader concatenates Buffers, as a real standard input gives.
    Readable.from([Buffer.from(sdl, 'utf8')]),
    { write: (text) => ((err += text), true) },
    ['node', 'graphql-schema-linter', '--stdin', '--format', 'json'],
  );
  expect(err, 'the linter refused its configuration').toBe('');
  const report = JSON.parse(out) as LintReport;
  expect(exitCode === 0, 'exit code and report agree').toBe(report.errors.length === 0);
  return report.errors.map((error) => `${error.rule} (line ${error.location.line}): ${error.message}`);
}

describe('graphql-schema-linter with its default rules', () => {
  it('finds nothing in the schema', async () => {
    expect(await lint(`${printSchema(schema)}\n`)).toEqual([]);
  });

  it('is really running its rules (an undocumented field, a lower-case enum value, a non-Relay pageInfo)', async () => {
    const issues = await lint(
      '"""Q"""\ntype Query {\n  """A"""\n  a: Int\n  b: E\n  """C"""\n  c: XConnection\n}\n"""E"""\nenum E {\n  """v"""\n  v\n}\n' +
        '"""X"""\ntype XConnection {\n  """E"""\n  edges: [XEdge]\n  """P"""\n  pageInfo: Int!\n}\n"""X"""\ntype XEdge {\n  """C"""\n  cursor: String!\n  """N"""\n  node: Int\n}\n',
    );
    expect(issues.map((issue) => issue.split(' ')[0])).toEqual(
      expect.arrayContaining(['fields-have-descriptions', 'enum-values-all-caps', 'relay-connection-types-spec']),
    );
  });
});

/**
 * What GraphiQL's documentation pane and any client read: the schema's own introspection. Every
 * type, field, argument, input field and enum value is described, and every scalar of ours says
 * where its format is specified.
 */
describe('the schema by introspection', () => {
  const result = graphqlSync({ schema, source: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }) });
  const types = (result.data as unknown as IntrospectionQuery).__schema.types.filter((type) => !type.name.startsWith('__'));
  const described = (description: string | null | undefined) => (description ?? '').trim().length > 0;

  function undescribed(type: IntrospectionType): string[] {
    const missing = described(type.description) ? [] : [type.name];
    const inputValues = (owner: string, values: readonly IntrospectionInputValue[]) => values.filter((value) => !described(value.description)).map((value) => `${owner}(${value.name})`);
    if (type.kind === 'OBJECT' || type.kind === 'INTERFACE') {
      for (const field of type.fields as readonly IntrospectionField[]) {
        if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
        missing.push(...inputValues(`${type.name}.${field.name}`, field.args));
      }
    }
    if (type.kind === 'INPUT_OBJECT') missing.push(...inputValues(type.name, type.inputFields));
    if (type.kind === 'ENUM') missing.push(...type.enumValues.filter((value) => !described(value.description)).map((value) => `${type.name}.${value.name}`));
    return missing;
  }

  it('answers', () => {
    expect(result.errors).toBeUndefined();
    expect(types.length).toBeGreaterThan(50);
  });

  it('describes every type, field, argument, input field and enum value', () => {
    expect(types.flatMap(undescribed)).toEqual([]);
  });

  it('gives each custom scalar its specification URL', () => {
    const builtIn = new Set(specifiedScalarTypes.map((scalar) => scalar.name));
    const ours = Object.fromEntries(
      types.flatMap((type) => (type.kind === 'SCALAR' && !builtIn.has(type.name) ? [[type.name, type.specifiedByURL ?? null]] : [])),
    );
    expect(ours).toEqual({
      Bytes: SCALAR_SPECIFICATIONS.Bytes,
      DateTime: 'https://datatracker.ietf.org/doc/html/rfc3339',
      File: 'https://github.com/jaydenseric/graphql-multipart-request-spec',
    });
    for (const url of Object.values(ours)) expect(new URL(String(url)).protocol).toBe('https:');
  });
});
