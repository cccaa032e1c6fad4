import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type ValidationContext } from 'graphql';
import { MAX_FILES_PER_ARTIFACT } from '../domain/artifact-files.js';
import { MAX_LINEAGE_NODES } from '../application/lineage-graph.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../application/artifact-queries.js';
import { DocumentMeasure } from './document-measure.js';

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
};

/** QUERY_TOO_COMPLEX naming the limit that was hit (`limitName`) and its value (`limit`, as PAYLOAD_TOO_LARGE has it). */
export const tooComplex = (message: string, limitName: keyof QueryLimits | 'maxValidationErrors', limit: number) =>
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', limit, limitName } });

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
        const { depth, cost, aliases, downloadUrls } = measure.selectionSet(operation.selectionSet, root);
        // Figures saturate just past their limits: past it, "more than" is all that is known.
        if (depth > limits.maxDepth) context.reportError(tooComplex(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, 'maxDepth', limits.maxDepth));
        if (aliases > limits.maxAliases) context.reportError(tooComplex(`more than ${limits.maxAliases} aliases (the limit)`, 'maxAliases', limits.maxAliases));
        if (cost > limits.maxCost) {
          context.reportError(tooComplex(`estimated cost exceeds the limit of ${limits.maxCost}; ask for smaller pages or fewer fields`, 'maxCost', limits.maxCost));
        }
        if (downloadUrls > limits.maxDownloadUrls) {
          context.reportError(tooComplex(`more than ${limits.maxDownloadUrls} download URLs in one request (the limit); ask for fewer, or for the artifact's downloadUrl (one zip)`, 'maxDownloadUrls', limits.maxDownloadUrls));
        }
      },
    };
  };
}
