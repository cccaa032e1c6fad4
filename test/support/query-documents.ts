/** `fragment F{i} on Query { ...F{i-1} ...F{i-1} }`: text linear in n, expansion 2^n (issue 11). */
export function doublingFragments(n: number, leaf = '__typename'): string {
  const lines = [`fragment F0 on Query { ${leaf} }`];
  for (let i = 1; i <= n; i++) lines.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
  return `query { ...F${n} } ${lines.join(' ')}`;
}
