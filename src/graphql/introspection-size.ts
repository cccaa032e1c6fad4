import {
  getNamedType,
  getNullableType,
  isListType,
  isNamedType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * The bytes of JSON an introspection root field (`__schema`, `__type`) answers, found before it
 * runs. Introspection answers depend on the schema alone, so graphql-js's own introspection
 * resolvers (pure functions of the schema) are run over it and their answers measured without
 * being built: the figure is what execution would print, not a guess from list caps.
 *
 * The walk stops once the figure passes `limit`: every field it visits adds its key to the
 * figure, so its work is bounded by the limit, whatever the document.
 */
export class IntrospectionSize {
  private spent = 0;
  private readonly expanding = new Set<string>();
  // Introspection resolvers read `info.schema` and nothing else of the info.
  private readonly info: GraphQLResolveInfo;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly limit: number,
  ) {
    this.info = { schema } as unknown as GraphQLResolveInfo;
  }

  /** Bytes of the root field's answer, key included; just past the limit once it is passed. */
  root(node: FieldNode): number {
    this.spent = 0;
    this.expanding.clear();
    this.spend(keyBytes(node));
    if (node.name.value === SchemaMetaFieldDef.name) {
      this.object(node.selectionSet, getNamedType(SchemaMetaFieldDef.type) as GraphQLObjectType, this.schema);
    } else if (node.name.value === TypeMetaFieldDef.name) {
      const type = getNamedType(TypeMetaFieldDef.type) as GraphQLObjectType;
      const name = node.arguments?.find((arg) => arg.name.value === 'name')?.value;
      // A name from a variable is not known yet: priced as every type, the most it could be.
      if (name?.kind === Kind.STRING) {
        const named = this.schema.getType(name.value);
        if (named) this.object(node.selectionSet, type, named);
        else this.spend(NULL_BYTES);
      } else {
        for (const named of Object.values(this.schema.getTypeMap())) {
          this.object(node.selectionSet, type, named);
          if (this.over()) break;
        }
      }
    }
    return Math.min(this.spent, this.limit + 1);
  }

  private over(): boolean {
    return this.spent > this.limit;
  }

  private spend(bytes: number): void {
    this.spent += bytes;
  }

  /** `{ ... }` of one introspection object: braces, then each selected field with its key and comma. */
  private object(selectionSet: SelectionSetNode | undefined, type: GraphQLObjectType, source: unknown): void {
    this.spend(2);
    if (selectionSet) this.selections(selectionSet, type, source);
  }

  private selections(selectionSet: SelectionSetNode, type: GraphQLObjectType, source: unknown): void {
    for (const selection of selectionSet.selections) {
      if (this.over()) return;
      if (selection.kind === Kind.FIELD) this.field(selection, type, source);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || selection.typeCondition.name.value === type.name) this.selections(selection.selectionSet, type, source);
      } else {
        const name = selection.name.value;
        const definition = this.fragments.get(name);
        // Unknown fragments and cycles are other rules' errors; here they add nothing.
        if (!definition || definition.typeCondition.name.value !== type.name || this.expanding.has(name)) continue;
        this.expanding.add(name);
        this.selections(definition.selectionSet, type, source);
        this.expanding.delete(name);
      }
    }
  }

  private field(node: FieldNode, type: GraphQLObjectType, source: unknown): void {
    this.spend(keyBytes(node) + 1);
    if (node.name.value === '__typename') {
      this.spend(type.name.length + 2);
      return;
    }
    const definition = type.getFields()[node.name.value];
    // An unknown field is a validation error: nothing is answered for it.
    if (!definition) return;
    const value = this.resolve(definition, node, source);
    this.value(value, definition.type, node.selectionSet);
  }

  private resolve(definition: GraphQLField<unknown, unknown>, node: FieldNode, source: unknown): unknown {
    const args: Record<string, unknown> = {};
    for (const arg of definition.args) {
      const given = node.arguments?.find((a) => a.name.value === arg.name)?.value;
      // `includeDeprecated` from a variable: true, the larger answer.
      const value = given === undefined ? arg.defaultValue : given.kind === Kind.VARIABLE ? true : valueFromAST(given, arg.type);
      if (value !== undefined) args[arg.name] = value;
    }
    return definition.resolve ? definition.resolve(source, args, undefined, this.info) : (source as Record<string, unknown>)[definition.name];
  }

  private value(value: unknown, type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined): void {
    if (value === null || value === undefined) {
      this.spend(NULL_BYTES);
      return;
    }
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      this.spend(2);
      for (const element of value as Iterable<unknown>) {
        if (this.over()) return;
        this.spend(1);
        this.value(element, nullable.ofType, selectionSet);
      }
      return;
    }
    if (isNamedType(nullable) && isObjectType(nullable)) {
      this.object(selectionSet, nullable, value);
      return;
    }
    // Leaves: names, descriptions, kinds, booleans, printed default values.
    this.spend(JSON.stringify(value)?.length ?? NULL_BYTES);
  }
}

const NULL_BYTES = 4;

/** `"key":` */
function keyBytes(node: FieldNode): number {
  return (node.alias ?? node.name).value.length + 3;
}
