import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValueNode } from 'graphql';

/** Limits on what one document may ask for. Every figure in one place, as graphql-armor does. */
export interface QueryLimits {
  /**
   * Deepest nesting of selection sets (`{ artifacts { edges { node { id } } } }` is 4). Introspection
   * (`__schema`, `__type`) is exempt: GraphiQL's own query nests 15 deep and costs little.
   */
  readonly maxDepth: number;
  /** Aliased fields per document: aliases multiply work without multiplying the text. */
  readonly maxAliases: number;
  /** Estimated fields resolved: a list field multiplies its subtree by its `first` (or the page maximum). */
  readonly maxCost: number;
  /** Page size assumed for a list field whose `first` is a variable or absent. */
  readonly assumedPageSize: number;
  /** Lexical tokens per document, enforced by the parser before any work is done. */
  readonly maxTokens: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 30,
  maxCost: 20_000,
  assumedPageSize: 100,
  maxTokens: 5_000,
};

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

const tooComplex = (message: string) => new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });

function pageSize(value: ValueNode | undefined, limits: QueryLimits): number {
  if (value?.kind === Kind.INT) return Math.max(1, Math.min(Number(value.value), limits.assumedPageSize));
  return limits.assumedPageSize;
}

interface Measure {
  depth: number;
  cost: number;
  aliases: number;
}

/** Walks one selection set, following fragments (cycles are rejected by the standard rules first). */
function measure(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  limits: QueryLimits,
  visiting: Set<string>,
): Measure {
  let depth = 0;
  let cost = 0;
  let aliases = 0;
  for (const selection of selectionSet.selections) {
    let inner: Measure | undefined;
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) aliases += 1;
      const introspection = INTROSPECTION_ROOTS.has(selection.name.value);
      const child = selection.selectionSet ? measure(selection.selectionSet, fragments, limits, visiting) : { depth: 0, cost: 0, aliases: 0 };
      const first = selection.arguments?.find((arg) => arg.name.value === 'first');
      const multiplier = first ? pageSize(first.value, limits) : 1;
      if (!introspection) depth = Math.max(depth, child.depth + 1);
      cost += 1 + multiplier * child.cost;
      aliases += child.aliases;
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) inner = measure(selection.selectionSet, fragments, limits, visiting);
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      inner = measure(fragment.selectionSet, fragments, limits, visiting);
      visiting.delete(name);
    }
    if (inner) {
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
      aliases += inner.aliases;
    }
  }
  return { depth, cost, aliases };
}

/** A validation rule rejecting operations over the limits with QUERY_TOO_COMPLEX. */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    return {
      OperationDefinition(operation) {
        const { depth, cost, aliases } = measure(operation.selectionSet, fragments, limits, new Set());
        if (depth > limits.maxDepth) context.reportError(tooComplex(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`));
        if (aliases > limits.maxAliases) context.reportError(tooComplex(`${aliases} aliases exceed the limit of ${limits.maxAliases}`));
        if (cost > limits.maxCost) context.reportError(tooComplex(`estimated cost ${cost} exceeds the limit of ${limits.maxCost}; ask for smaller pages or fewer fields`));
      },
    };
  };
}
