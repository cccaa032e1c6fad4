import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the resolving field's selection reaches `path` (field names, aliases aside), through
 * fragments and inline fragments, whatever their type conditions: for a resolver that can skip
 * costly work no one asked for. `@skip`/`@include` are not read: they can only make it say yes
 * where the answer is no, which costs the work and nothing else.
 */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  return info.fieldNodes.some((node) => node.selectionSet !== undefined && reaches(node.selectionSet, path, info, new Set()));
}

function reaches(selectionSet: SelectionSetNode, path: readonly string[], info: GraphQLResolveInfo, seen: Set<string>): boolean {
  const [first, ...rest] = path;
  if (first === undefined) return true;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== first) continue;
      if (rest.length === 0 || (selection.selectionSet !== undefined && reaches(selection.selectionSet, rest, info, seen))) return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (reaches(selection.selectionSet, path, info, seen)) return true;
    } else {
      const fragment = info.fragments[selection.name.value];
      // Validation has refused cycles; `seen` only keeps a fragment from being walked twice for the same rest of the path.
      const key = `${selection.name.value}/${path.length}`;
      if (!fragment || seen.has(key)) continue;
      seen.add(key);
      if (reaches(fragment.selectionSet, path, info, seen)) return true;
    }
  }
  return false;
}
