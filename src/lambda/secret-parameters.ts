import type { GetParametersCommand, GetParametersCommandOutput } from '@aws-sdk/client-ssm';

/**
 * Secrets live in SSM Parameter Store (SecureString), never in the repository or the template.
 * The deployment sets `<VARIABLE>_PARAMETER` to a parameter NAME; the handler reads the values
 * once per container at setup. Resolving at run time (rather than `${ssm:...}` in serverless.yml)
 * keeps `osls package` offline, keeps secret values out of the Lambda configuration (anyone who
 * can read the function's settings would see them), and lets a secret rotate with a cold start
 * instead of a redeploy.
 */
export const SECRET_VARIABLES = [
  // Without it the reference default password would guard a public deployment: refuse to start.
  { variable: 'ADMIN_PASSWORD', required: true },
  // Upstream tokens only raise rate limits; the registry works without them.
  { variable: 'HF_TOKEN', required: false },
  { variable: 'GITHUB_TOKEN', required: false },
  // Encrypts webhook secrets; without it createWebhook is refused, nothing else changes.
  { variable: 'WEBHOOK_SECRET_KEY', required: false },
] as const;

/** Reads parameters by name; names it cannot find are absent from the result. */
export type ParameterReader = (names: readonly string[]) => Promise<ReadonlyMap<string, string>>;

/** The one SSM call the registry makes (an SSMClient is one); narrow so tests can fake it. */
export interface GetParametersSender {
  send(command: GetParametersCommand): Promise<GetParametersCommandOutput>;
}

/** GetParameters takes at most 10 names per call; decrypts SecureStrings with the caller's rights. */
export function ssmParameterReader(client: GetParametersSender): ParameterReader {
  return async (names) => {
    // Loaded when a parameter is read, not at module init: a cold start's init stays free of it.
    const { GetParametersCommand } = await import('@aws-sdk/client-ssm');
    const values = new Map<string, string>();
    for (let i = 0; i < names.length; i += 10) {
      const output = await client.send(new GetParametersCommand({ Names: names.slice(i, i + 10), WithDecryption: true }));
      for (const parameter of output.Parameters ?? []) {
        if (parameter.Name !== undefined && parameter.Value !== undefined) values.set(parameter.Name, parameter.Value);
      }
    }
    return values;
  };
}

export class SecretParameterError extends Error {
  override readonly name = 'SecretParameterError';
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The secret variables named by `<VARIABLE>_PARAMETER` in `env`, read in one round trip. Returns
 * only the variables it resolved, to be laid over the environment before `loadConfig`. Throws
 * (naming parameters, never values) when a required parameter is missing or a variable is given
 * both directly and by parameter: either would silently pick a secret nobody chose.
 */
export async function resolveSecretParameters(env: Env, read: () => ParameterReader): Promise<Record<string, string>> {
  const wanted = SECRET_VARIABLES.flatMap(({ variable, required }) => {
    const parameter = env[`${variable}_PARAMETER`];
    return parameter ? [{ variable, required, parameter }] : [];
  });
  const problems: string[] = [];
  for (const { variable } of wanted) {
    if (env[variable]) problems.push(`${variable} and ${variable}_PARAMETER are both set; set one`);
  }
  if (problems.length > 0) throw new SecretParameterError(problems.join('; '));
  if (wanted.length === 0) return {};

  const values = await read()(wanted.map((w) => w.parameter));
  const resolved: Record<string, string> = {};
  for (const { variable, required, parameter } of wanted) {
    const value = values.get(parameter);
    if (value !== undefined && value !== '') resolved[variable] = value;
    else if (required) problems.push(`SSM parameter ${parameter} (${variable}) does not exist or is empty; create it with: aws ssm put-parameter --type SecureString --name ${parameter} --value ...`);
  }
  if (problems.length > 0) throw new SecretParameterError(problems.join('; '));
  return resolved;
}
