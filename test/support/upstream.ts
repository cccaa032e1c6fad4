import { createUpstream, type Upstream, type UpstreamConfig } from '../../src/upstream/upstream.js';
import { FixtureReplay, replayFetch, type ReplayFetch } from './fixture-replay.js';

/** Production clients over the recorded responses; retries do not wait. */
export function replayUpstream(options: Partial<UpstreamConfig> & { replay?: FixtureReplay } = {}): Upstream & { fetch: ReplayFetch } {
  const { replay, ...config } = options;
  const fetch = replayFetch(replay ?? new FixtureReplay());
  const upstream = createUpstream({
    hfEndpoint: 'https://huggingface.co',
    githubApiUrl: 'https://api.github.com',
    sleep: async () => {},
    ...config,
    fetch: (config.fetch as ReplayFetch | undefined) ?? fetch,
  });
  return { ...upstream, fetch };
}
