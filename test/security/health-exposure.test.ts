import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoCallsDuring, useTestRegistry } from '../support/registry-harness.js';
import { TestClock } from '../support/clock.js';

// A hand-moved clock: which calls a health check shares is then a matter of the clock, not of how
// fast this machine answers 200 requests.
const clock = new TestClock(Date.parse('2026-11-23T12:00:00Z'));
const t = useTestRegistry({ clock });
/** Beyond the default period of 1 s: the next health call must check storage again. */
const PAST_THE_PERIOD_MS = 60_000;

const EVERYTHING = '{ health { status version components { name status latencyMs detail } warnings } }';
type HealthView = { health: { status: string; version: string | null; components: { name: string }[] | null; warnings: string[] | null } };

let searchToken: string;
let s3Calls = 0;

beforeAll(async () => {
  const registered = await t.gql('mutation { registerUser(input: { username: "searcher", password: "a long enough password", permissions: [SEARCH] }) { user { username } } }');
  expect(registered.errors).toBeUndefined();
  searchToken = await t.login('searcher', 'a long enough password');
  // Counts what the registry's own S3 client sends, like the DynamoDB call counter does.
  (await t.registry.blobs.connection()).client.middlewareStack.add((next) => (args) => {
    s3Calls++;
    return next(args);
  }, { step: 'initialize', name: 'countS3CallsForTest' });
});

const codesByField = (errors: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] | undefined) =>
  Object.fromEntries((errors ?? []).map((e) => [e.path?.join('.'), e.extensions?.['code']]));

describe('what health tells whom', () => {
  it('answers anonymous callers with the status only', async () => {
    const response = await t.gqlAs<HealthView>(undefined, EVERYTHING);
    expect(response.data!.health).toEqual({ status: 'OK', version: null, components: null, warnings: null });
    expect(codesByField(response.errors)).toEqual({ 'health.version': 'UNAUTHENTICATED', 'health.components': 'UNAUTHENTICATED', 'health.warnings': 'UNAUTHENTICATED' });
  });

  it('gives any valid token the version, and only admins the components and warnings', async () => {
    const response = await t.gqlAs<HealthView>(searchToken, EVERYTHING);
    expect(response.data!.health).toMatchObject({ status: 'OK', version: expect.any(String), components: null, warnings: null });
    expect(codesByField(response.errors)).toEqual({ 'health.components': 'FORBIDDEN', 'health.warnings': 'FORBIDDEN' });
  });

  it('shows admins everything, the default password warning included', async () => {
    const response = await t.gql<HealthView>(EVERYTHING);
    expect(response.errors).toBeUndefined();
    expect(response.data!.health.components!.map((c) => c.name)).toEqual(['dynamodb', 's3']);
    expect(response.data!.health.warnings).toEqual([expect.stringMatching(/default password/)]);
  });
});

describe('what health costs', () => {
  it('a burst of 200 anonymous health calls checks DynamoDB and S3 once', async () => {
    clock.advance(PAST_THE_PERIOD_MS);
    const s3Before = s3Calls;
    const dynamo = await dynamoCallsDuring(t.registry, async () => {
      const answers = await Promise.all(Array.from({ length: 200 }, () => t.gqlAs<HealthView>(undefined, '{ health { status } }')));
      expect(answers.every((a) => a.data?.health.status === 'OK')).toBe(true);
    });
    expect(dynamo).toEqual({ DescribeTableCommand: 1 });
    expect(s3Calls - s3Before).toBe(1);
  });

  it('checks again once the cached answer is older than the period', async () => {
    clock.advance(PAST_THE_PERIOD_MS);
    const first = await dynamoCallsDuring(t.registry, () => t.gqlAs(undefined, '{ health { status } }'));
    const cached = await dynamoCallsDuring(t.registry, () => t.gqlAs(undefined, '{ health { status } }'));
    clock.advance(PAST_THE_PERIOD_MS);
    const expired = await dynamoCallsDuring(t.registry, () => t.gqlAs(undefined, '{ health { status } }'));
    expect([first, cached, expired]).toEqual([{ DescribeTableCommand: 1 }, {}, { DescribeTableCommand: 1 }]);
  });
});
