import type { ArtifactType } from './artifact-type.js';
import { appError, err, ok, type Result } from './result.js';
import type { Brand } from './ids.js';

/** A URL in its one canonical spelling: the uniqueness key among live artifacts. */
export type NormalizedUrl = Brand<string, 'NormalizedUrl'>;

export type UrlSource =
  | { readonly kind: 'huggingface-model'; readonly repoId: string }
  | { readonly kind: 'huggingface-dataset'; readonly repoId: string }
  | { readonly kind: 'huggingface-space'; readonly repoId: string }
  | { readonly kind: 'github'; readonly owner: string; readonly repo: string }
  | { readonly kind: 'other' };

export interface ParsedArtifactUrl {
  readonly url: NormalizedUrl;
  readonly source: UrlSource;
  /** The name a client gets when it does not supply one: the repository's own name. */
  readonly derivedName: string;
}

export const MAX_URL_LENGTH = 2048;

const HOST_ALIASES: Readonly<Record<string, string>> = {
  'www.huggingface.co': 'huggingface.co',
  'hf.co': 'huggingface.co',
  'www.github.com': 'github.com',
};

/** Path segments that follow a Hub repo id (`/tree/main`, `/blob/...`): they address a view, not a repo. */
const HUB_REPO_SUBPAGES = new Set(['tree', 'blob', 'resolve', 'raw', 'commit', 'commits', 'discussions', 'edit', 'viewer', 'settings']);
/** Top-level Hub pages that are not repositories. */
const HUB_RESERVED = new Set(['models', 'docs', 'blog', 'api', 'organizations', 'settings', 'login', 'join', 'pricing', 'papers', 'collections', 'tasks', 'learn', 'new', 'search']);

/** Which artifact types each kind of source can hold (requirements §1, supported sources). */
const TYPES_BY_SOURCE: Readonly<Record<UrlSource['kind'], readonly ArtifactType[]>> = {
  'huggingface-model': ['MODEL'],
  'huggingface-dataset': ['DATASET'],
  'huggingface-space': ['CODE'],
  github: ['CODE', 'DATASET'],
  other: ['MODEL', 'DATASET', 'CODE'],
};

const badUrl = (message: string) => err(appError('BAD_USER_INPUT', message, { field: 'url' }));

/** Hub repo id from path segments: `org/name`, or a legacy one-segment id such as `bert-base-uncased`. */
function hubRepoId(segments: readonly string[]): string | undefined {
  if (segments.length === 0) return undefined;
  if (segments.length === 1 || HUB_REPO_SUBPAGES.has(segments[1]!)) return segments[0];
  return `${segments[0]}/${segments[1]}`;
}

function classify(host: string, segments: readonly string[]): Result<{ source: UrlSource; path: string }> {
  if (host === 'huggingface.co') {
    const [first, ...rest] = segments;
    if (first === undefined) return badUrl('a Hugging Face URL must name a repository');
    if (first === 'datasets' || first === 'spaces') {
      const repoId = hubRepoId(rest);
      if (repoId === undefined) return badUrl(`a Hugging Face ${first} URL must name a repository`);
      const kind = first === 'datasets' ? 'huggingface-dataset' : 'huggingface-space';
      return ok({ source: { kind, repoId }, path: `/${first}/${repoId}` });
    }
    if (HUB_RESERVED.has(first)) return badUrl(`https://huggingface.co/${first} is not a repository URL`);
    const repoId = hubRepoId(segments)!;
    return ok({ source: { kind: 'huggingface-model', repoId }, path: `/${repoId}` });
  }
  if (host === 'github.com') {
    const [owner, repo] = segments;
    if (owner === undefined || repo === undefined) return badUrl('a GitHub URL must name a repository: https://github.com/<owner>/<repo>');
    return ok({ source: { kind: 'github', owner, repo }, path: `/${owner}/${repo}` });
  }
  return ok({ source: { kind: 'other' }, path: segments.length ? `/${segments.join('/')}` : '' });
}

function lastSegment(path: string, host: string): string {
  const segments = path.split('/').filter(Boolean);
  return segments[segments.length - 1] ?? host;
}

/**
 * Validates a client-supplied URL for an artifact of `type` and returns its normalized form:
 * lower-case host, no trailing slash, no `.git`, no `/tree/main`; known hosts are reduced to the
 * repository root so every spelling of one repository has one key.
 */
export function parseArtifactUrl(raw: string, type: ArtifactType): Result<ParsedArtifactUrl> {
  const input = raw.trim();
  if (input.length === 0) return badUrl('url must not be empty');
  if (input.length > MAX_URL_LENGTH) return badUrl(`url is longer than ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    return badUrl(`not a valid absolute URL: ${JSON.stringify(input.slice(0, 100))}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return badUrl('url must use http or https');
  if (parsed.username || parsed.password) return badUrl('url must not carry credentials');
  if (!parsed.hostname) return badUrl('url must have a host');

  const host = HOST_ALIASES[parsed.hostname] ?? parsed.hostname;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return badUrl('url path has a malformed percent-encoding');
  }
  const segments = path.split('/').filter((segment) => segment.length > 0);
  const lastIndex = segments.length - 1;
  if (lastIndex >= 0 && segments[lastIndex]!.endsWith('.git')) segments[lastIndex] = segments[lastIndex]!.slice(0, -4);
  while (segments.length >= 2 && segments[segments.length - 2] === 'tree' && segments[segments.length - 1] === 'main') segments.splice(-2);
  if (segments.some((segment) => segment === '..' || segment === '.')) return badUrl('url path must not contain dot segments');

  const classified = classify(host, segments);
  if (!classified.ok) return classified;
  const { source, path: canonicalPath } = classified.value;
  if (!TYPES_BY_SOURCE[source.kind].includes(type)) {
    return badUrl(`a ${source.kind} URL cannot be registered as ${type}; it holds ${TYPES_BY_SOURCE[source.kind].join(' or ')}`);
  }

  const known = source.kind !== 'other';
  // Known hosts are always https; the query and fragment never name a different repository there.
  const scheme = known ? 'https:' : parsed.protocol;
  const port = parsed.port ? `:${parsed.port}` : '';
  const query = known ? '' : parsed.search;
  const url = `${scheme}//${host}${port}${encodeURI(canonicalPath)}${query}` as NormalizedUrl;
  return ok({ url, source, derivedName: lastSegment(canonicalPath, host) });
}
