import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type ValidationContext } from 'graphql';
import { MAX_FILES_PER_ARTIFACT } from '../domain/artifact-files.js';
import { MAX_LINEAGE_NODES } from '../application/lineage-graph.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../application/artifact-queries.js';
import { DocumentMeasure, overUse } from './document-measure.js';

/** Limits on what one document may ask for. Every figure in one place, as graphql-armor does. */
export interface QueryLimits {
  /**
   * Deepest nesting of selection sets (`{ artifacts { edges { node { id } } } }` is 4). Introspection
   * (`__schema`, `__type`) is exempt: GraphiQL's own query nests 15 deep and costs little (graphql-js's
   * MaxIntrospectionDepthRule bounds its list nesting).
   */
  readonly maxDepth: number;
  /** Aliased fields per operation, expanded through fragments: aliases multiply work without multiplying the text. */
  readonly maxAliases: number;
  /**
   * Estimated fields resolved: a connection multiplies its subtree by its page (`first`, or
   * `assumedPageSize` for a variable, `defaultPageSize` when absent), a list field by `listSizes` (or `unknownListSize`).
   */
  readonly maxCost: number;
  /** Page size assumed for a connection whose `first` is a variable: the largest page. */
  readonly assumedPageSize: number;
  /** Page size of a connection without `first`. */
  readonly defaultPageSize: number;
  /** Most elements each unpaged list field can return, keyed `Type.field` (an interface's entry covers its implementations). */
  readonly listSizes: Readonly<Record<string, number>>;
  /** Elements assumed for a list field missing from `listSizes`: large, so a forgotten entry refuses rather than admits. */
  readonly unknownListSize: number;
  /**
   * Download URLs one request may issue: each appends a download event, so one token call must not
   * append hundreds. Checked on the document and again, exactly, as the request runs.
   */
  readonly maxDownloadUrls: number;
  /** Lexical tokens per document, enforced by the parser before any work is done. */
  readonly maxTokens: number;
  /**
   * How deeply `{`, `[` and `(` may nest in the text, checked before parsing: the parser recurses,
   * and a deep list literal would overflow its stack (document-nesting.ts).
   */
  readonly maxNesting: number;
  /** Field selections written in the document, checked before the standard validation rules run. */
  readonly maxFields: number;
  /** Directives written in the document (`@skip(if: false)` a thousand times is only noise). */
  readonly maxDirectives: number;
  /**
   * Bytes of JSON the introspection fields of an operation answer, measured on the schema before
   * anything runs (introspection-size.ts). Introspection is open to anonymous callers and its
   * lists are the schema's, not pages: without this, 30 aliases of `__schema` answer megabytes.
   */
  readonly maxIntrospectionBytes: number;
  /**
   * Fields that may resolve at most so many times per operation (aliases and fragments
   * included), keyed `Type.field`: each use costs far more than its estimated cost says.
   */
  readonly maxFieldUses: Readonly<Record<string, number>>;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 30,
  // Lists count at their caps, so a page of 100 models with lineage (nodes, edges, datasets) is
  // about 170,000 in the worst case; the budget admits it and refuses a page of 100 artifacts' files.
  maxCost: 200_000,
  assumedPageSize: MAX_PAGE_SIZE,
  defaultPageSize: DEFAULT_PAGE_SIZE,
  listSizes: {
    'Artifact.files': MAX_FILES_PER_ARTIFACT,
    'Lineage.nodes': MAX_LINEAGE_NODES,
    // Edges join the graph's nodes; not capped by the traversal, see the report on issue 11.
    'Lineage.edges': MAX_LINEAGE_NODES,
    // The artifact and its dependencies, visited up to the lineage cap (artifact-cost.ts).
    'Cost.items': MAX_LINEAGE_NODES,
    // One link per declared dataset (at most 50 kept at ingest) and the one code URL of a card.
    'Model.datasets': 50,
    'Model.code': 1,
    // One ArtifactLinked event adds links to declared references only: at most 20 parents, 50
    // datasets and 1 code repository (artifact-sources.ts, artifact-links.ts).
    'LinkedChange.links': 71,
    'Health.components': 2,
    'CreateUploadUrlPayload.headers': 10,
    // The first match in the name and the first in the README (search-artifacts.ts).
    'ArtifactSearchEdge.matches': 2,
  },
  unknownListSize: 1_000,
  maxDownloadUrls: 20,
  maxTokens: 5_000,
  // Far above any useful document (introspection nests about 30), far below the parser's stack.
  maxNesting: 100,
  maxFields: 500,
  maxDirectives: 50,
  // GraphiQL's full introspection query answers about 120 KB today; room for descriptions to grow.
  maxIntrospectionBytes: 512 * 1024,
  maxFieldUses: {
    // GraphiQL and code generators send one `__schema`; `__type` is how a tool asks for a few types.
    'Query.__schema': 1,
    'Query.__type': 10,
    // Each is a scan of every name and README, budgeted per request (search-budget.ts): the
    // request's budget is shared, so more searches only cut each other short.
    'Query.searchArtifacts': 5,
    // One scrypt and a throttle write each, open to anonymous callers.
    'Mutation.authenticate': 1,
  },
};

/** QUERY_TOO_COMPLEX naming the limit that was hit (`limitName`) and its value (`limit`, as PAYLOAD_TOO_LARGE has it). */
export const tooComplex = (message: string, limitName: keyof QueryLimits | 'maxValidationErrors', limit: number, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', limit, limitName, ...extensions } });

/** A validation rule rejecting operations over the limits with QUERY_TOO_COMPLEX. */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    // One measure per document: fragments shared by several operations are measured once.
    const measure = new DocumentMeasure(context.getSchema(), fragments, limits);
    return {
      OperationDefinition(operation) {
        const root = context.getSchema().getRootType(operation.operation) ?? undefined;
        const { depth, cost, aliases, downloadUrls, introspectionBytes, uses } = measure.selectionSet(operation.selectionSet, root);
        // Figures saturate just past their limits: past it, "more than" is all that is known.
        if (depth > limits.maxDepth) context.reportError(tooComplex(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, 'maxDepth', limits.maxDepth));
        if (aliases > limits.maxAliases) context.reportError(tooComplex(`more than ${limits.maxAliases} aliases (the limit)`, 'maxAliases', limits.maxAliases));
        if (cost > limits.maxCost) {
          context.reportError(tooComplex(`estimated cost exceeds the limit of ${limits.maxCost}; ask for smaller pages or fewer fields`, 'maxCost', limits.maxCost));
        }
        if (downloadUrls > limits.maxDownloadUrls) {
          context.reportError(tooComplex(`more than ${limits.maxDownloadUrls} download URLs in one request (the limit); ask for fewer, or for the artifact's downloadUrl (one zip)`, 'maxDownloadUrls', limits.maxDownloadUrls));
        }
        if (introspectionBytes > limits.maxIntrospectionBytes) {
          context.reportError(
            tooComplex(`the introspection fields would answer more than ${limits.maxIntrospectionBytes} bytes (the limit); ask for the schema once, as GraphiQL does`, 'maxIntrospectionBytes', limits.maxIntrospectionBytes),
          );
        }
        const overused = overUse(uses, limits.maxFieldUses);
        if (overused) {
          const [type, field] = overused.field.split('.');
          context.reportError(
            tooComplex(`\`${field}\` may be asked for at most ${overused.limit} time${overused.limit === 1 ? '' : 's'} in one request (on ${type}, aliases included)`, 'maxFieldUses', overused.limit, { field: overused.field }),
          );
        }
      },
    };
  };
}
