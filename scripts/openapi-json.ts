import { readFileSync, writeFileSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';

/**
 * The course's OpenAPI document (docs/course-openapi-3.4.7.yaml, unchanged) as the JSON the server
 * bundles (src/rest/course-openapi.json): no YAML parser in the Lambda bundle. `--check` fails when
 * the JSON is not the YAML's (test/rest/openapi-document.test.ts runs the same comparison).
 */
const YAML_PATH = new URL('../docs/course-openapi-3.4.7.yaml', import.meta.url);
const JSON_PATH = new URL('../src/rest/course-openapi.json', import.meta.url);

const expected = `${JSON.stringify(load(readFileSync(YAML_PATH, 'utf8'), { schema: CORE_SCHEMA }), null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (readFileSync(JSON_PATH, 'utf8') !== expected) {
    console.error('src/rest/course-openapi.json is not docs/course-openapi-3.4.7.yaml: run npm run openapi:json');
    process.exit(1);
  }
} else {
  writeFileSync(JSON_PATH, expected);
}
