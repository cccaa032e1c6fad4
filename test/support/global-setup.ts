import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../src/server/dynamodb-local.js';

/**
 * The test harness switch: `TEST_DYNAMODB=dynamodb-local` (what `npm run test:parity` sets) runs
 * the suites against one DynamoDB Local process shared by every test file, each file on its own
 * table as usual; unset, every file starts its own dynalite.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const engine = process.env['TEST_DYNAMODB'] ?? 'dynalite';
  if (engine === 'dynalite') return;
  if (engine !== 'dynamodb-local') throw new Error(`TEST_DYNAMODB must be dynalite or dynamodb-local, not ${engine}`);
  const local = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', local.endpoint);
  return () => local.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the parity run: every test file's table lives in this engine. */
    dynamodbEndpoint: string | undefined;
  }
}
