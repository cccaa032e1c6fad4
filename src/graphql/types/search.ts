import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { session } from '../session.js';
import { forwardConnectionArgs } from '../connection-args.js';
import { selects } from '../selection.js';
import { searchArtifacts, type FieldMatch, type SearchHit, type SearchPage } from '../../application/search-artifacts.js';
import { MAX_SNIPPET_CHARS } from '../../domain/search/snippet.js';
import { PATTERN_LIMITS } from '../../domain/search/search-pattern.js';
import { ArtifactInterface, ArtifactTypeEnum } from './artifact.js';

const SearchFieldEnum = builder.enumType('SearchField', {
  values: { NAME: { description: "The artifact's name." }, README: { description: 'The README stored at ingest.' } } as const,
});

const SearchMatchRef = builder.objectRef<FieldMatch>('SearchMatch').implement({
  description: 'Where the pattern matched: the matched text with context around it.',
  fields: (t) => ({
    field: t.field({ type: SearchFieldEnum, resolve: (match) => match.field }),
    snippet: t.exposeString('text', { description: `The match with context, at most ${MAX_SNIPPET_CHARS} characters.` }),
    start: t.exposeInt('start', { description: 'Offset of the match in `snippet` (UTF-16 code units).' }),
    end: t.exposeInt('end', { description: 'Offset just past the match in `snippet`; a match longer than the snippet ends at its end.' }),
  }),
});

const SearchEdgeRef = builder.objectRef<SearchHit>('ArtifactSearchEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: ArtifactInterface, resolve: (hit) => hit.state }),
    matches: t.field({
      type: [SearchMatchRef],
      description: 'The first match in the name, then the first in the README: at least one.',
      resolve: (hit) => [...hit.matches],
    }),
  }),
});

type SearchConnection = SearchPage & { readonly hasPreviousPage: boolean };

const SearchPageInfoRef = builder.objectRef<SearchConnection>('ArtifactSearchPageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.string({ nullable: true, resolve: (page) => page.hits[0]?.cursor ?? null }),
    endCursor: t.string({
      nullable: true,
      description: 'Where the next page starts: the last edge, or where the scan stopped if this page ran out of time.',
      resolve: (page) => page.endCursor,
    }),
  }),
});

const SearchConnectionRef = builder.objectRef<SearchConnection>('ArtifactSearchConnection').implement({
  description: 'Artifacts whose name or README matches: name matches first, then README-only matches, newest first within each.',
  fields: (t) => ({
    edges: t.field({ type: [SearchEdgeRef], resolve: (page) => [...page.hits] }),
    pageInfo: t.field({ type: SearchPageInfoRef, resolve: (page) => page }),
    examined: t.exposeInt('examined', { description: 'Artifacts whose name or README this page tested; fewer than `indexed` when the page filled early.' }),
    readmesExamined: t.exposeInt('readmesExamined', { description: 'READMEs among them.' }),
    indexed: t.exposeInt('indexed', { description: 'Live artifacts of the asked types.' }),
  }),
});

builder.queryFields((t) => ({
  searchArtifacts: t.field({
    type: SearchConnectionRef,
    description:
      `Artifacts whose name or README matches an RE2 regular expression (at most ${PATTERN_LIMITS.maxLength} characters; ` +
      'case-sensitive unless it starts with (?i); linear time, so no pattern is slow). Invalid or unsupported patterns ' +
      '(backreferences, lookaround) are BAD_USER_INPUT with `extensions.reason` and `extensions.position`.',
    authScopes: { permission: 'SEARCH' },
    args: {
      regex: t.arg.string({ required: true }),
      types: t.arg({ type: [ArtifactTypeEnum], required: false, description: 'Only these types (all when absent).' }),
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
