import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FetchFn } from '../../src/upstream/http-client.js';

/**
 * Replays the recorded Hub and GitHub responses in test/fixtures (see its README.md) through the
 * production clients: the clients' `fetch` is replaced, nothing else. Every answer is the exact
 * recorded status, content type, body and Link/Location headers for the exact URL the client asks.
 * A URL with no recording throws, so a test can never quietly talk to the network or to nothing.
 *
 * Two documented departures from "exact URL", both because the pack has no recording of the URL
 * the production client asks for:
 *  - ALIASES: a request answered with the recording of an equivalent URL (listed below).
 *  - UNRECORDED: pages the pack lacks but whose absence is a normal answer (a model card or dataset
 *    card not captured, a GitHub repository never recorded). They answer 404 in the shape the real
 *    service uses for a missing file or repository, so ingest proceeds as it would for a dead link.
 */

export const HF_ORIGIN = 'https://huggingface.co';
export const GITHUB_ORIGIN = 'https://api.github.com';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

interface IndexEntry {
  readonly file: string;
  readonly api_url: string;
  readonly status: number;
  readonly content_type: string;
  readonly response_headers?: Readonly<Record<string, string>>;
}

export interface ReplayAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Which rule answered: a recording, an alias of one, or the unrecorded-404 rule. */
  readonly via: 'recording' | 'alias' | 'unrecorded';
}

interface RedirectRecord {
  readonly response: { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string };
}

/** Request URL -> URL of the recording that answers it. */
const ALIASES: readonly { readonly pattern: RegExp; readonly to: (match: RegExpExecArray) => string; readonly why: string }[] = [
  {
    // The pack recorded only the plain model-info URL; `?blobs=true` returns the same document plus
    // per-file sizes, so the size metric falls back to safetensors parameter counts, as it must
    // whenever the Hub omits sizes.
    pattern: /^https:\/\/huggingface\.co\/api\/models\/(.+)\?blobs=true$/,
    to: (m) => `${HF_ORIGIN}/api/models/${m[1]}`,
    why: 'model info without ?blobs=true',
  },
  {
    // zeta's dataset info was recorded at a pinned revision: same document shape as /api/datasets/<id>.
    pattern: /^https:\/\/huggingface\.co\/api\/datasets\/zed-industries\/zeta$/,
    to: () => `${HF_ORIGIN}/api/datasets/zed-industries/zeta/revision/0f41422bc56fa0f9a5b3096e7e6f42905497d793`,
    why: 'dataset info at its recorded revision',
  },
  {
    // /raw/ and /resolve/ serve the same bytes for a non-LFS file such as a README.
    pattern: /^https:\/\/huggingface\.co\/datasets\/zed-industries\/zeta\/raw\/main\/README\.md$/,
    to: () => `${HF_ORIGIN}/datasets/zed-industries/zeta/resolve/main/README.md`,
    why: 'README via /resolve/ instead of /raw/',
  },
];

const HF_MISSING_FILE: ReplayAnswer = {
  status: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'x-error-code': 'EntryNotFound' },
  body: 'Entry not found',
  via: 'unrecorded',
};
const GITHUB_NOT_FOUND: ReplayAnswer = {
  status: 404,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }),
  via: 'unrecorded',
};

export class FixtureReplay {
  private readonly recordings = new Map<string, ReplayAnswer>();
  private readonly recordedGitHubRepos = new Set<string>();
  private readonly recordedModels = new Set<string>();
  private readonly declaredDatasets = new Set<string>();
  private readonly extra = new Map<string, ReplayAnswer>();

  constructor() {
    const index = JSON.parse(readFileSync(path.join(FIXTURES, 'index.json'), 'utf8')) as { entries: IndexEntry[] };
    for (const entry of index.entries) {
      const raw = readFileSync(path.join(FIXTURES, entry.file), 'utf8');
      if (entry.file.startsWith('huggingface/redirects/')) {
        const record = JSON.parse(raw) as RedirectRecord;
        const headers = Object.fromEntries(Object.entries(record.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
        this.recordings.set(entry.api_url, { status: record.response.status, headers, body: record.response.body, via: 'recording' });
      } else {
        const headers = { 'content-type': entry.content_type, ...lowerKeys(entry.response_headers ?? {}) };
        this.recordings.set(entry.api_url, { status: entry.status, headers, body: raw, via: 'recording' });
      }
      const repo = /^https:\/\/api\.github\.com\/repos\/([^/?]+\/[^/?]+)/.exec(entry.api_url);
      if (repo) this.recordedGitHubRepos.add(repo[1]!.toLowerCase());
      const model = /^https:\/\/huggingface\.co\/api\/models\/([^?]+)$/.exec(entry.api_url);
      if (model && entry.status === 200) {
        this.recordedModels.add(model[1]!);
        const info = JSON.parse(raw) as { tags?: string[]; cardData?: { datasets?: string | string[] } };
        const declared = info.cardData?.datasets;
        for (const id of [...(typeof declared === 'string' ? [declared] : declared ?? []), ...(info.tags ?? []).filter((t) => t.startsWith('dataset:')).map((t) => t.slice(8))]) {
          this.declaredDatasets.add(id);
        }
      }
    }
  }

  /** Model ids with a recorded model-info answer (200), in a stable order. */
  get modelIds(): string[] {
    return [...this.recordedModels].sort((a, b) => a.localeCompare(b));
  }

  /** Adds or overrides an answer for one exact URL (edge cases: malformed bodies, 5xx, 429 ...). */
  route(url: string, answer: Omit<ReplayAnswer, 'via'> & { via?: ReplayAnswer['via'] }): this {
    this.extra.set(url, { via: 'recording', ...answer });
    return this;
  }

  answer(url: string): ReplayAnswer | undefined {
    const exact = this.extra.get(url) ?? this.recordings.get(url);
    if (exact) return exact;
    for (const alias of ALIASES) {
      const match = alias.pattern.exec(url);
      const target = match && this.recordings.get(alias.to(match));
      if (target) return { ...target, via: 'alias' };
    }
    return this.unrecorded(url);
  }

  private unrecorded(url: string): ReplayAnswer | undefined {
    const modelCard = /^https:\/\/huggingface\.co\/(?!datasets\/)(.+)\/raw\/main\/README\.md$/.exec(url);
    if (modelCard && this.recordedModels.has(modelCard[1]!)) return HF_MISSING_FILE;
    const datasetCard = /^https:\/\/huggingface\.co\/datasets\/(.+)\/raw\/main\/README\.md$/.exec(url);
    if (datasetCard && this.declaredDatasets.has(datasetCard[1]!)) return HF_MISSING_FILE;
    const repo = /^https:\/\/api\.github\.com\/repos\/([^/?]+\/[^/?]+)(?:[/?]|$)/.exec(url);
    if (repo && !this.recordedGitHubRepos.has(repo[1]!.toLowerCase())) return GITHUB_NOT_FOUND;
    return undefined;
  }
}

function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

export interface ReplayRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ReplayFetch extends FetchFn {
  /** Every request made, in order, with the headers sent (to check tokens go only where they belong). */
  readonly requests: ReplayRequest[];
  /** URLs nobody recorded. The fetch threw for each; the client may have turned that into a failure value. */
  readonly unknown: string[];
}

/**
 * A `fetch` answering from the recordings. Throws for a URL nobody recorded. Honors the request's
 * abort signal, so per-request timeouts behave as with the real `fetch`.
 */
export function replayFetch(replay: FixtureReplay = new FixtureReplay()): ReplayFetch {
  const requests: ReplayRequest[] = [];
  const unknown: string[] = [];
  const fetchFn = async (url: string, init: RequestInit): Promise<Response> => {
    init.signal?.throwIfAborted();
    requests.push({ url, headers: headerRecord(init.headers) });
    const answer = replay.answer(url);
    if (!answer) {
      unknown.push(url);
      throw new Error(`replay: no recording for GET ${url}`);
    }
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
  return Object.assign(fetchFn, { requests, unknown });
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  return Object.fromEntries(new Headers(headers).entries());
}
