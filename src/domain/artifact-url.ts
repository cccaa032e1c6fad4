import type { ArtifactType } from './artifact-type.js';
import { appError, err, ok, type Result } from './result.js';
import type { Brand } from './ids.js';
import { DEFAULT_KEY_LIMITS, utf8Bytes } from './key-limits.js';

/**
 * A URL in its canonical spelling as the registry stores and shows it: lower-case host without a
 * trailing dot or default port, no credentials, fragment, `.git` or `/tree/main`, known hosts
 * reduced to the repository root. The repository's own letter case is kept, as the user wrote it.
 */
export type NormalizedUrl = Brand<string, 'NormalizedUrl'>;
/**
 * The uniqueness key among live artifacts: the NormalizedUrl with the letter case folded where the
 * host resolves repository ids case-insensitively (GitHub, the Hugging Face Hub).
 */
export type UrlKey = Brand<string, 'UrlKey'>;

export type UrlSource =
  | { readonly kind: 'huggingface-model'; readonly repoId: string }
  | { readonly kind: 'huggingface-dataset'; readonly repoId: string }
  | { readonly kind: 'huggingface-space'; readonly repoId: string }
  | { readonly kind: 'github'; readonly owner: string; readonly repo: string }
  | { readonly kind: 'other' };

export interface ParsedArtifactUrl {
  readonly url: NormalizedUrl;
  readonly key: UrlKey;
  readonly source: UrlSource;
  /** The name a client gets when it does not supply one: the repository's own name. */
  readonly derivedName: string;
}

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

/** Hosts whose repositories are served over https on the default port only. */
const KNOWN_HOSTS = new Set(['huggingface.co', 'github.com']);
/** The default ports of https and http: on a known host both name the same repository. */
const DEFAULT_PORTS = new Set(['', '443', '80']);

const badUrl = (message: string) => err(appError('BAD_USER_INPUT', message, { field: 'url' }));

/** `.git` marks a clone URL of the same repository, also repeated (`x.git.git`). */
const withoutGitSuffix = (segment: string): string => segment.replace(/(?:\.git)+$/, '');

/** Hub repo id from path segments: `org/name`, or a legacy one-segment id such as `bert-base-uncased`. */
function hubRepoId(segments: readonly string[]): string | undefined {
  const [first, second] = segments;
  if (first === undefined) return undefined;
  if (second === undefined || HUB_REPO_SUBPAGES.has(second)) return withoutGitSuffix(first) || undefined;
  const name = withoutGitSuffix(second);
  return name ? `${first}/${name}` : undefined;
}

function classify(host: string, segments: readonly string[]): Result<{ source: UrlSource; path: string }> {
  if (host === 'huggingface.co') {
    const [first, ...rest] = segments;
    if (first === undefined) return badUrl('a Hugging Face URL must name a repository');
    // Hub namespaces are case-insensitive, so `Datasets/x` is the datasets page, not an org's model.
    const section = first.toLowerCase();
    if (section === 'datasets' || section === 'spaces') {
      const repoId = hubRepoId(rest);
      if (repoId === undefined) return badUrl(`a Hugging Face ${section} URL must name a repository`);
      const kind = section === 'datasets' ? 'huggingface-dataset' : 'huggingface-space';
      return ok({ source: { kind, repoId }, path: `/${section}/${repoId}` });
    }
    if (HUB_RESERVED.has(section)) return badUrl(`https://huggingface.co/${first} is not a repository URL`);
    const repoId = hubRepoId(segments);
    if (repoId === undefined) return badUrl('a Hugging Face URL must name a repository');
    return ok({ source: { kind: 'huggingface-model', repoId }, path: `/${repoId}` });
  }
  if (host === 'github.com') {
    const [owner, rawRepo] = segments;
    const repo = rawRepo === undefined ? undefined : withoutGitSuffix(rawRepo);
    if (owner === undefined || !repo) return badUrl('a GitHub URL must name a repository: https://github.com/<owner>/<repo>');
    return ok({ source: { kind: 'github', owner, repo }, path: `/${owner}/${repo}` });
  }
  return ok({ source: { kind: 'other' }, path: segments.length ? `/${segments.join('/')}` : '' });
}

/** Drops trailing `.git` and `/tree/main` until neither is left, so the result is a fixed point. */
function trimRepositoryViews(segments: string[]): void {
  for (;;) {
    const last = segments[segments.length - 1];
    if (last !== undefined && last.endsWith('.git')) {
      const trimmed = withoutGitSuffix(last);
      if (trimmed) segments[segments.length - 1] = trimmed;
      else segments.pop();
      continue;
    }
    if (segments.length >= 2 && segments[segments.length - 2] === 'tree' && last === 'main') {
      segments.splice(-2);
      continue;
    }
    return;
  }
}

/** Percent-encodes a decoded path; `?` and `#` too, which encodeURI keeps and which would end the path. */
function encodePath(path: string): string | undefined {
  try {
    return encodeURI(path).replace(/\?/g, '%3F').replace(/#/g, '%23');
  } catch {
    return undefined; // a lone surrogate
  }
}

function lastSegment(path: string, host: string): string {
  const segments = path.split('/').filter(Boolean);
  return segments[segments.length - 1] ?? host;
}

/**
 * The canonical form of any http(s) URL, whatever artifact type it is registered as. Every spelling
 * of one repository gives one `key`, and canonicalizing `url` again gives `url` and `key` back.
 */
export function canonicalizeUrl(raw: string): Result<ParsedArtifactUrl> {
  const input = raw.trim();
  if (input.length === 0) return badUrl('url must not be empty');
  if (input.length > DEFAULT_KEY_LIMITS.maxUrlInputChars) return badUrl(`url is longer than ${DEFAULT_KEY_LIMITS.maxUrlInputChars} characters`);
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    return badUrl(`not a valid absolute URL: ${JSON.stringify(input.slice(0, 100))}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return badUrl('url must use http or https');
  if (parsed.username || parsed.password) return badUrl('url must not carry credentials');
  // `huggingface.co.` is the same host written as a fully qualified name.
  const hostname = parsed.hostname.replace(/\.+$/, '');
  if (!hostname) return badUrl('url must have a host');
  const host = HOST_ALIASES[hostname] ?? hostname;
  const known = KNOWN_HOSTS.has(host);
  if (known && !DEFAULT_PORTS.has(parsed.port)) return badUrl(`${host} is served on its default port only, not :${parsed.port}`);

  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return badUrl('url path has a malformed percent-encoding');
  }
  const segments = path.split('/').filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment === '..' || segment === '.')) return badUrl('url path must not contain dot segments');
  trimRepositoryViews(segments);

  const classified = classify(host, segments);
  if (!classified.ok) return classified;
  const { source, path: canonicalPath } = classified.value;

  // Known hosts are always https; the query and fragment never name a different repository there.
  const origin = known ? `https://${host}` : `${parsed.protocol}//${host}${parsed.port ? `:${parsed.port}` : ''}`;
  const query = known ? '' : parsed.search;
  // GitHub and the Hub resolve repository ids case-insensitively: the key folds case, the URL keeps it.
  const encoded = encodePath(canonicalPath);
  const encodedKey = known ? encodePath(canonicalPath.toLowerCase()) : encoded;
  if (encoded === undefined || encodedKey === undefined) return badUrl('url path is not well-formed Unicode');
  const url = `${origin}${encoded}${query}`;
  const key = `${origin}${encodedKey}${query}`;
  const maxBytes = DEFAULT_KEY_LIMITS.maxUrlKeyBytes;
  if (utf8Bytes(url) > maxBytes || utf8Bytes(key) > maxBytes) return badUrl(`url is longer than ${maxBytes} bytes once percent-encoded`);
  return ok({ url: url as NormalizedUrl, key: key as UrlKey, source, derivedName: lastSegment(canonicalPath, host) });
}

/**
 * Validates a client-supplied URL for an artifact of `type` and returns its canonical form (see
 * canonicalizeUrl): lower-case host, no trailing slash, no `.git`, no `/tree/main`; known hosts
 * are reduced to the repository root so every spelling of one repository has one key.
 */
export function parseArtifactUrl(raw: string, type: ArtifactType): Result<ParsedArtifactUrl> {
  const canonical = canonicalizeUrl(raw);
  if (!canonical.ok) return canonical;
  const { source } = canonical.value;
  if (!TYPES_BY_SOURCE[source.kind].includes(type)) {
    return badUrl(`a ${source.kind} URL cannot be registered as ${type}; it holds ${TYPES_BY_SOURCE[source.kind].join(' or ')}`);
  }
  return canonical;
}

/**
 * The uniqueness key of a stored URL. A URL stored before a canonicalization rule existed (one the
 * rules now refuse) keeps itself as its key, so it stays reachable and releasable.
 */
export function urlKeyOf(url: NormalizedUrl): UrlKey {
  const canonical = canonicalizeUrl(url);
  return canonical.ok ? canonical.value.key : (url as string as UrlKey);
}
