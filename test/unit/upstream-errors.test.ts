import { describe, expect, it } from 'vitest';
import { upstreamError } from '../../src/application/model-evidence.js';
import { createUpstream } from '../../src/upstream/upstream.js';
import type { FetchFn } from '../../src/upstream/http-client.js';

/** The Hub answers 401 with this body both for a repository anonymous callers may not see and for a bad token. */
const unauthorized: FetchFn = async () => new Response('{"error":"Invalid username or password."}', { status: 401 });

describe('upstream failures as contract errors', () => {
  it('reads an anonymous 401 from the Hub as "no such model" (private and absent repositories look alike)', async () => {
    const { hf } = createUpstream({ hfEndpoint: 'https://huggingface.co', githubApiUrl: 'https://api.github.com', fetch: unauthorized });
    const info = await hf.modelInfo('someone/private-model');
    expect(info.ok).toBe(false);
    if (info.ok) return;
    expect(upstreamError(info.error, 'no such model on the Hub: someone/private-model')).toMatchObject({ code: 'BAD_USER_INPUT', message: 'no such model on the Hub: someone/private-model' });
  });

  it('reads a 401 to the configured token as the service being unusable, not as the user\'s mistake', async () => {
    const { hf } = createUpstream({ hfEndpoint: 'https://huggingface.co', githubApiUrl: 'https://api.github.com', fetch: unauthorized, hfToken: 'hf_revoked' });
    const info = await hf.modelInfo('google-bert/bert-base-uncased');
    if (info.ok) throw new Error('expected a failure');
    const error = upstreamError(info.error, 'no such model');
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('check the configured token') });
    expect(JSON.stringify(error)).not.toContain('hf_revoked');
  });
});
