import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FixtureReplay, GITHUB_ORIGIN, HF_ORIGIN } from './fixture-replay.js';

/**
 * The recorded Hub and GitHub answers served over real HTTP on loopback, one port per service, so
 * the registry can run unchanged with HF_ENDPOINT and GITHUB_API_URL pointed here. Absolute URLs in
 * Link and Location headers are rewritten to these servers, as a self-hosted Hub or GitHub
 * Enterprise would answer with its own host. A URL with no recording gets 501 and is listed in
 * `unknown`, which tests assert is empty.
 */
export interface ReplayServers {
  readonly hfEndpoint: string;
  readonly githubApiUrl: string;
  /** Request paths (with query) per service, in arrival order. */
  readonly requests: string[];
  readonly unknown: string[];
  close(): Promise<void>;
}

export async function startReplayServers(replay: FixtureReplay = new FixtureReplay()): Promise<ReplayServers> {
  const requests: string[] = [];
  const unknown: string[] = [];
  const origins = { hf: '', github: '' };
  const rewrite = (value: string) => value.replaceAll(HF_ORIGIN, origins.hf).replaceAll(GITHUB_ORIGIN, origins.github);

  const serve = (recordedOrigin: string): Server =>
    createServer((req, res) => {
      const recordedUrl = `${recordedOrigin}${req.url ?? '/'}`;
      requests.push(recordedUrl);
      const answer = req.method === 'GET' ? replay.answer(recordedUrl) : undefined;
      if (!answer) {
        unknown.push(`${req.method} ${recordedUrl}`);
        res.writeHead(501, { 'content-type': 'text/plain' }).end(`no recording for ${req.method} ${recordedUrl}`);
        return;
      }
      const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name, name === 'location' || name === 'link' ? rewrite(value) : value]));
      res.writeHead(answer.status, headers).end(answer.body);
    });

  const hf = serve(HF_ORIGIN);
  const github = serve(GITHUB_ORIGIN);
  origins.hf = await listen(hf);
  origins.github = await listen(github);
  return {
    hfEndpoint: origins.hf,
    githubApiUrl: origins.github,
    requests,
    unknown,
    close: async () => {
      await Promise.all([close(hf), close(github)]);
    },
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}
