import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { session } from '../session.js';
import { forwardConnectionArgs, type PageInfo } from '../connection-args.js';
import { selects } from '../selection.js';
import { searchArtifacts, type FieldMatch, type SearchHit, type SearchPage } from '../../application/search-artifacts.js';
import { DEFAULT_SEARCH_LIMITS } from '../../application/search-budget.js';
import { MAX_SNIPPET_CHARS } from '../../domain/search/snippet.js';
import { PATTERN_LIMITS } from '../../domain/search/search-pattern.js';
import { ArtifactInterface, ArtifactTypeEnum } from './artifact.js';

const SearchFieldEnum = builder.enumType('SearchField', {
  description: 'The text of an artifact a pattern matched in.',
  values: { NAME: { description: "The artifact's name." }, README: { description: 'The README stored at ingest (at most 100 KB).' } } as const,
});

const SearchMatchRef = builder.objectRef<FieldMatch>('SearchMatch').implement({
  description: 'Where the pattern matched: the matched text with context around it.',
  fields: (t) => ({
    field: t.field({ type: SearchFieldEnum, description: 'Whether this match is in the name or in the README.', resolve: (match) => match.field }),
    snippet: t.exposeString('text', { description: `The match with context, at most ${MAX_SNIPPET_CHARS} characters.` }),
    start: t.exposeInt('start', { description: 'Offset of the match in `snippet` (UTF-16 code units).' }),
    end: t.exposeInt('end', { description: 'Offset just past the match in `snippet`; a match longer than the snippet ends at its end.' }),
  }),
});

const SearchEdgeRef = builder.objectRef<SearchHit>('ArtifactSearchEdge').implement({
  description: 'One matching artifact and where it matched.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque position of this edge, bound to the pattern and types: pass it as `after` to get the matches after it.' }),
    node: t.field({ type: ArtifactInterface, description: 'The matching artifact (live when the search ran).', resolve: (hit) => hit.state }),
    matches: t.field({
      type: [SearchMatchRef],
      description: 'The first match in the name, then the first in the README: at least one.',
      resolve: (hit) => [...hit.matches],
    }),
  }),
});

type SearchConnection = SearchPage & { readonly hasPreviousPage: boolean };

/**
 * The Relay PageInfo every connection shares, so one client paging helper serves them all. Unlike
 * forwardPageInfo's, the end cursor is the page's own: a page that ran out of time ends where its
 * scan stopped, which may be past its last edge.
 */
const searchPageInfo = (page: SearchConnection): PageInfo => ({
  hasNextPage: page.hasNextPage,
  hasPreviousPage: page.hasPreviousPage,
  startCursor: page.hits[0]?.cursor ?? null,
  endCursor: page.endCursor,
});

const SearchConnectionRef = builder.objectRef<SearchConnection>('ArtifactSearchConnection').implement({
  description: 'Artifacts whose name or README matches: name matches first, then README-only matches, newest first within each.',
  fields: (t) => ({
    edges: t.field({ type: [SearchEdgeRef], description: 'The matches of this page, in rank order; at most `first`.', resolve: (page) => [...page.hits] }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      description:
        `Paging state. \`endCursor\` is where the next page starts: the last edge's cursor, or where the scan stopped when the request's search budget ran out (${DEFAULT_SEARCH_LIMITS.msPerRequest / 1000} s of scanning, shared by every search of the request) ` +
        '(then `hasNextPage` is true, possibly with fewer than `first` edges, or none).',
      resolve: searchPageInfo,
    }),
    examined: t.exposeInt('examined', { description: 'Artifacts whose name or README this page tested; fewer than `indexed` when the page filled early.' }),
    readmesExamined: t.exposeInt('readmesExamined', { description: 'How many READMEs this page tested (at most `examined`).' }),
    indexed: t.exposeInt('indexed', { description: 'Live artifacts of the asked types: all the search could examine.' }),
  }),
});

builder.queryFields((t) => ({
  searchArtifacts: t.field({
    type: SearchConnectionRef,
    description:
      `Artifacts whose name or README matches an RE2 regular expression (at most ${PATTERN_LIMITS.maxLength} characters; ` +
      'case-sensitive unless it starts with (?i); linear time, so no pattern is slow). Invalid or unsupported patterns ' +
      '(backreferences, lookaround) are BAD_USER_INPUT with `extensions.reason` and `extensions.position`. No match is an empty connection. Needs SEARCH.',
    authScopes: { permission: 'SEARCH' },
    args: {
      regex: t.arg.string({
        required: true,
        description: `RE2 syntax (docs/search.md), 1 to ${PATTERN_LIMITS.maxLength} characters, unanchored: it matches anywhere in the name or the README.`,
      }),
      types: t.arg({ type: [ArtifactTypeEnum], required: false, description: 'Only artifacts of these types (all when absent or empty).' }),
      ...forwardConnectionArgs(t.arg),
    },
    resolve: async (_root, args, ctx, info) => {
      const { scope, queries, searches } = session(ctx);
      const withMatches = selects(info, ['edges', 'matches']);
      const page = unwrap(await searchArtifacts({ index: scope.search, states: (ids) => queries.getMany(ids), searches }, { ...args, withMatches }));
      return { ...page, hasPreviousPage: args.after != null };
    },
  }),
}));
