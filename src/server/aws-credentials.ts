import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { err, ok, type Result } from '../domain/result.js';
import { startupFailure, type StartupFailure } from './startup-failure.js';

export interface CredentialCheckLimits {
  /** How long the SDK's provider chain may take (the instance-metadata lookup is its slowest step). */
  readonly timeoutMs: number;
}

export const DEFAULT_CREDENTIAL_CHECK_LIMITS: CredentialCheckLimits = { timeoutMs: 5_000 };

const HOW_TO_SET = 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), or AWS_PROFILE naming a profile in ~/.aws (after `aws configure` or `aws sso login`), or run with an instance or task role';

/**
 * With STORAGE=aws the SDK would otherwise look for credentials at the first request and fail it
 * with a 500; asking its default provider chain once at start-up turns that into one line here.
 */
export async function checkAwsCredentials(region: string, limits: CredentialCheckLimits = DEFAULT_CREDENTIAL_CHECK_LIMITS): Promise<Result<void, StartupFailure>> {
  const client = new DynamoDBClient({ region });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limits.timeoutMs);
  });
  try {
    const outcome = await Promise.race([client.config.credentials().then(() => 'found' as const), timeout]);
    if (outcome === 'found') return ok(undefined);
    return err(startupFailure(`STORAGE=aws but no AWS credentials were found within ${limits.timeoutMs / 1000} s`, HOW_TO_SET));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return err(startupFailure(`STORAGE=aws but no AWS credentials were found (${reason})`, HOW_TO_SET));
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}
