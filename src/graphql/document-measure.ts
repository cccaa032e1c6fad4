import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isIntrospectionType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { IntrospectionSize } from './introspection-size.js';

/** What one selection set asks for, expanded through fragments, lists and pages. */
export interface Measure {
  /** Deepest nesting of selection sets below this one (introspection roots excluded). */
  readonly depth: number;
  /** Estimated fields resolved. */
  readonly cost: number;
  readonly aliases: number;
  /** `downloadUrl` fields resolved, each of which appends an event. */
  readonly downloadUrls: number;
  /** Bytes of JSON the introspection root fields answer (introspection-size.ts). */
  readonly introspectionBytes: number;
  /** Resolutions of each field that has a cap per request (`maxFieldUses`), keyed `Type.field`. */
  readonly uses: Readonly<Record<string, number>>;
}

/** The figures the measurement needs; a subset of QueryLimits. */
export interface MeasureLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxDownloadUrls: number;
  readonly assumedPageSize: number;
  readonly defaultPageSize: number;
  readonly listSizes: Readonly<Record<string, number>>;
  readonly unknownListSize: number;
  readonly maxIntrospectionBytes: number;
  readonly maxFieldUses: Readonly<Record<string, number>>;
}

const EMPTY: Measure = { depth: 0, cost: 0, aliases: 0, downloadUrls: 0, introspectionBytes: 0, uses: {} };
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);
/** Fields that issue a presigned URL and record a download (an event) each time they resolve. */
const DOWNLOAD_FIELDS = { 'ArtifactFile.downloadUrl': 1, 'Artifact.downloadUrl': 1 } as const satisfies Record<string, number>;

/**
 * Measures operations of one document. Each fragment is measured once (memoized by name: its type
 * condition fixes what its fields mean wherever it is spread), so the work is linear in the
 * document however often fragments spread each other. Every figure saturates just past its limit
 * and a selection set stops at the first figure over its limit: once the document is refused, how
 * far over it is does not matter, and the numbers stay finite.
 */
export class DocumentMeasure {
  private readonly measured = new Map<string, Measure>();
  private readonly inProgress = new Set<string>();
  private readonly introspection: IntrospectionSize;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly limits: MeasureLimits,
  ) {
    this.introspection = new IntrospectionSize(schema, fragments, limits.maxIntrospectionBytes);
  }

  selectionSet(selectionSet: SelectionSetNode, parent: GraphQLCompositeType | undefined): Measure {
    let total = EMPTY;
    for (const selection of selectionSet.selections) {
      let inner: Measure;
      // A capped field past its cap is refused whatever it holds: not measured (a second `__schema` would be walked).
      const capped = selection.kind === Kind.FIELD && parent ? entryKey(parent, selection.name.value, this.limits.maxFieldUses) : undefined;
      if (capped !== undefined && (total.uses[capped] ?? 0) >= (this.limits.maxFieldUses[capped] ?? 0)) {
        return this.add(total, { ...EMPTY, uses: { [capped]: 1 } });
      }
      if (selection.kind === Kind.FIELD) inner = this.field(selection, parent);
      else if (selection.kind === Kind.INLINE_FRAGMENT) inner = this.selectionSet(selection.selectionSet, this.typeNamed(selection.typeCondition?.name.value) ?? parent);
      else inner = this.fragment(selection.name.value);
      total = this.add(total, inner);
      if (this.over(total)) break;
    }
    return total;
  }

  /** True once any figure passes its limit: the caller can stop there. */
  over(m: Measure): boolean {
    const l = this.limits;
    return (
      m.depth > l.maxDepth ||
      m.cost > l.maxCost ||
      m.aliases > l.maxAliases ||
      m.downloadUrls > l.maxDownloadUrls ||
      m.introspectionBytes > l.maxIntrospectionBytes ||
      overUse(m.uses, l.maxFieldUses) !== undefined
    );
  }

  private fragment(name: string): Measure {
    const known = this.measured.get(name);
    if (known) return known;
    const definition = this.fragments.get(name);
    // Unknown fragments and cycles are other rules' errors; they add nothing here.
    if (!definition || this.inProgress.has(name)) return EMPTY;
    this.inProgress.add(name);
    const result = this.selectionSet(definition.selectionSet, this.typeNamed(definition.typeCondition.name.value));
    this.inProgress.delete(name);
    this.measured.set(name, result);
    return result;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType | undefined): Measure {
    const name = node.name.value;
    const definition = parent && fieldOf(this.schema, parent, name);
    const returned = definition ? getNamedType(definition.type) : undefined;
    const child = node.selectionSet ? this.selectionSet(node.selectionSet, returned && isCompositeType(returned) ? returned : undefined) : EMPTY;
    const introspectionRoot = INTROSPECTION_ROOTS.has(name);
    const page = definition && definition.args.some((arg) => arg.name === 'first') ? this.pageSize(node) : undefined;
    const elements = Math.max(1, page ?? (definition && parent ? this.listSize(parent, definition) : 1));
    const downloads = parent && lookup(parent, name, DOWNLOAD_FIELDS) !== undefined ? 1 : 0;
    // Measured only where the field exists (the query root); elsewhere it is a validation error.
    const ownBytes = introspectionRoot && definition ? this.introspection.root(node) : 0;
    const capped = parent && entryKey(parent, name, this.limits.maxFieldUses);
    let uses = this.scaleUses(child.uses, elements);
    if (capped !== undefined) uses = { ...uses, [capped]: this.saturate((uses[capped] ?? 0) + 1, this.limits.maxFieldUses[capped] ?? 0) };
    return {
      depth: introspectionRoot ? 0 : child.depth + 1,
      cost: this.saturate(1 + elements * child.cost, this.limits.maxCost),
      // An alias inside a list is one more field per element, which the cost counts already.
      aliases: this.saturate((node.alias ? 1 : 0) + child.aliases, this.limits.maxAliases),
      // Unpaged lists (files, lineage nodes) count once here: their sizes are known only when the
      // request runs, where a per-request counter enforces the same limit exactly.
      downloadUrls: this.saturate(downloads + (page ?? 1) * child.downloadUrls, this.limits.maxDownloadUrls),
      introspectionBytes: this.saturate(ownBytes + elements * child.introspectionBytes, this.limits.maxIntrospectionBytes),
      uses,
    };
  }

  /** A copy of `uses` with each count multiplied by the elements of the list it is under. */
  private scaleUses(uses: Readonly<Record<string, number>>, elements: number): Readonly<Record<string, number>> {
    if (elements === 1 || Object.keys(uses).length === 0) return uses;
    const scaled: Record<string, number> = {};
    for (const [key, count] of Object.entries(uses)) scaled[key] = this.saturate(count * elements, this.limits.maxFieldUses[key] ?? 0);
    return scaled;
  }

  /** A connection's page: `first` when written as a number, the largest page when a variable, else the default page. */
  private pageSize(node: FieldNode): number {
    const first = node.arguments?.find((arg) => arg.name.value === 'first');
    if (!first) return this.limits.defaultPageSize;
    const size = first.value.kind === Kind.INT ? Number(first.value.value) : this.limits.assumedPageSize;
    return Math.max(1, Math.min(size, this.limits.assumedPageSize));
  }

  /** Elements a list field can return, from the known caps; 1 for a field that is not a list. */
  private listSize(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): number {
    if (!isListType(getNullableType(field.type))) return 1;
    // Introspection lists are bounded by the schema, and their nesting by MaxIntrospectionDepthRule.
    if (isIntrospectionType(parent)) return 1;
    // A connection's edges are its page, already counted by the connection field's page size.
    if (isConnection(parent) && field.name === 'edges') return 1;
    return lookup(parent, field.name, this.limits.listSizes) ?? this.limits.unknownListSize;
  }

  private typeNamed(name: string | undefined): GraphQLCompositeType | undefined {
    const type = name === undefined ? undefined : this.schema.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  }

  private add(a: Measure, b: Measure): Measure {
    const l = this.limits;
    return {
      depth: Math.max(a.depth, b.depth),
      cost: this.saturate(a.cost + b.cost, l.maxCost),
      aliases: this.saturate(a.aliases + b.aliases, l.maxAliases),
      downloadUrls: this.saturate(a.downloadUrls + b.downloadUrls, l.maxDownloadUrls),
      introspectionBytes: this.saturate(a.introspectionBytes + b.introspectionBytes, l.maxIntrospectionBytes),
      uses: this.addUses(a.uses, b.uses),
    };
  }

  private addUses(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Readonly<Record<string, number>> {
    if (Object.keys(b).length === 0) return a;
    if (Object.keys(a).length === 0) return b;
    const sum: Record<string, number> = { ...a };
    for (const [key, count] of Object.entries(b)) sum[key] = this.saturate((sum[key] ?? 0) + count, this.limits.maxFieldUses[key] ?? 0);
    return sum;
  }

  /** Just past the limit is as refused as far past it, and keeps products of caps finite. */
  private saturate(value: number, limit: number): number {
    return Math.min(value, limit + 1);
  }
}

function fieldOf(schema: GraphQLSchema, parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === SchemaMetaFieldDef.name || name === TypeMetaFieldDef.name) {
    return parent === schema.getQueryType() ? (name === SchemaMetaFieldDef.name ? SchemaMetaFieldDef : TypeMetaFieldDef) : undefined;
  }
  if (!isObjectType(parent) && !isInterfaceType(parent)) return undefined;
  return parent.getFields()[name];
}

/** The first capped field used more often than its cap, with the cap. */
export function overUse(uses: Readonly<Record<string, number>>, caps: Readonly<Record<string, number>>): { readonly field: string; readonly limit: number } | undefined {
  for (const [field, count] of Object.entries(uses)) {
    const limit = caps[field];
    if (limit !== undefined && count > limit) return { field, limit };
  }
  return undefined;
}

function isConnection(type: GraphQLCompositeType): boolean {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return 'edges' in fields && 'pageInfo' in fields;
}

/** A `Type.field` entry for the field, on its own type or on an interface the type implements. */
function lookup(parent: GraphQLCompositeType, field: string, table: Readonly<Record<string, number>>): number | undefined {
  const key = entryKey(parent, field, table);
  return key === undefined ? undefined : table[key];
}

/** The key of the field's entry in `table`: `Type.field` of its own type, else of an interface the type implements. */
function entryKey(parent: GraphQLCompositeType, field: string, table: Readonly<Record<string, number>>): string | undefined {
  const own = `${parent.name}.${field}`;
  if (table[own] !== undefined) return own;
  if (!isObjectType(parent) && !isInterfaceType(parent)) return undefined;
  for (const iface of parent.getInterfaces()) {
    const inherited = `${iface.name}.${field}`;
    if (table[inherited] !== undefined) return inherited;
  }
  return undefined;
}
