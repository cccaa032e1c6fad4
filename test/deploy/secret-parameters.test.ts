import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it, vi } from 'vitest';
import { resolveSecretParameters, ssmParameterReader, type ParameterReader } from '../../src/lambda/secret-parameters.js';
import { createLambdaApp } from '../../src/lambda/lambda-app.js';

const store = new Map([
  ['/registry/prod/admin-password', 's3cret-admin'],
  ['/registry/prod/hf-token', 'hf_abc'],
]);
const fakeReader = (): ParameterReader => async (names) => new Map(names.flatMap((n) => (store.has(n) ? [[n, store.get(n)!] as const] : [])));

const PARAMETERS = {
  ADMIN_PASSWORD_PARAMETER: '/registry/prod/admin-password',
  HF_TOKEN_PARAMETER: '/registry/prod/hf-token',
  GITHUB_TOKEN_PARAMETER: '/registry/prod/github-token',
};

describe('secrets from SSM parameters', () => {
  it('resolves the named parameters, leaving an optional missing one unset', async () => {
    expect(await resolveSecretParameters(PARAMETERS, fakeReader)).toEqual({ ADMIN_PASSWORD: 's3cret-admin', HF_TOKEN: 'hf_abc' });
  });

  it('does not touch SSM when no parameter is named', async () => {
    const read = vi.fn(fakeReader);
    expect(await resolveSecretParameters({ ADMIN_PASSWORD: 'local' }, read)).toEqual({});
    expect(read).not.toHaveBeenCalled();
  });

  it('refuses to start without the admin password parameter, naming it but no value', async () => {
    const missing = { ...PARAMETERS, ADMIN_PASSWORD_PARAMETER: '/registry/dev/admin-password' };
    await expect(resolveSecretParameters(missing, fakeReader)).rejects.toThrow(/\/registry\/dev\/admin-password \(ADMIN_PASSWORD\) does not exist.*aws ssm put-parameter --type SecureString/);
  });

  it('refuses a secret given both directly and by parameter', async () => {
    await expect(resolveSecretParameters({ ...PARAMETERS, HF_TOKEN: 'inline' }, fakeReader)).rejects.toThrow(/HF_TOKEN and HF_TOKEN_PARAMETER are both set/);
  });

  it('reads with decryption, at most 10 names per GetParameters call', async () => {
    const send = vi.fn(async (command: GetParametersCommand) => ({
      Parameters: (command.input.Names ?? []).map((Name) => ({ Name, Value: `v:${Name}` })),
      InvalidParameters: [],
      $metadata: {},
    }));
    const names = Array.from({ length: 12 }, (_, i) => `/p/${i}`);
    const values = await ssmParameterReader({ send })(names);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls.map(([command]) => [command.input.Names?.length, command.input.WithDecryption])).toEqual([[10, true], [2, true]]);
    expect(values.get('/p/11')).toBe('v:/p/11');
  });

  it('feeds resolved secrets into the configuration the Lambda app runs with', async () => {
    const app = await createLambdaApp(
      { ...PARAMETERS, STORAGE: 'aws', AWS_REGION: 'eu-west-1', TABLE_NAME: 'registry-prod', BUCKET_NAME: 'registry-blobs-prod' },
      { parameters: () => fakeReader() },
    );
    try {
      expect(app.config).toMatchObject({ adminPassword: 's3cret-admin', hfToken: 'hf_abc', region: 'eu-west-1', tableName: 'registry-prod' });
      expect(app.config.githubToken).toBeUndefined();
    } finally {
      app.registry.destroy();
    }
  });
});
