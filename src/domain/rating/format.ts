/** Number formatting for explanations: short, and the same everywhere. */
export const fmt = (value: number, digits = 2): string => String(Math.round(value * 10 ** digits) / 10 ** digits);

export const list = (items: readonly string[], max = 5): string =>
  items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;

export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

export function bytes(value: number): string {
  if (value >= 1e9) return `${fmt(value / 1e9)} GB`;
  if (value >= 1e6) return `${fmt(value / 1e6)} MB`;
  if (value >= 1e3) return `${fmt(value / 1e3)} kB`;
  return `${value} B`;
}
