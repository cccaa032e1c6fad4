/**
 * Reading model and dataset cards (Markdown with YAML front matter) the way a person skims them:
 * which sections exist, whether they say anything, which code blocks they show. Deterministic text
 * rules only; no model is consulted.
 */

export interface CardSection {
  readonly level: number;
  readonly heading: string;
  /** Text under the heading, including its sub-sections, up to the next heading of its level or above. */
  readonly content: string;
}

export interface CodeBlock {
  readonly language: string;
  readonly code: string;
}

export function splitFrontMatter(text: string): { frontMatter: string; body: string } {
  const normalized = text.replace(/\r\n/g, '\n');
  if (!normalized.startsWith('---\n')) return { frontMatter: '', body: normalized };
  const end = normalized.indexOf('\n---', 4);
  if (end < 0) return { frontMatter: '', body: normalized };
  const after = normalized.indexOf('\n', end + 4);
  return { frontMatter: normalized.slice(4, end), body: after < 0 ? '' : normalized.slice(after + 1) };
}

/** Headings outside fenced code blocks, each with everything nested beneath it. */
export function cardSections(text: string): CardSection[] {
  const lines = splitFrontMatter(text).body.split('\n');
  const headings: { level: number; heading: string; line: number }[] = [];
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) return;
    const match = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (match) headings.push({ level: match[1]!.length, heading: match[2]!.trim(), line: index });
  });
  return headings.map((h, i) => {
    const next = headings.slice(i + 1).find((other) => other.level <= h.level);
    return { level: h.level, heading: h.heading, content: lines.slice(h.line + 1, next?.line ?? lines.length).join('\n') };
  });
}

export function codeBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const pattern = /^\s*(```|~~~)\s*([\w+-]*)[^\n]*\n([\s\S]*?)^\s*\1\s*$/gm;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    blocks.push({ language: match[2]!.toLowerCase(), code: match[3]! });
  }
  return blocks;
}

/** Template placeholders the Hub's card templates leave in unfilled sections. */
const PLACEHOLDERS = /\[(?:More Information Needed|Needs More Information)\](?:\([^)]*\))?|<!--[\s\S]*?-->/gi;

/** True when a section says something beyond template placeholders and headings. */
export function hasSubstance(content: string, minimumCharacters = 20): boolean {
  const text = content
    .replace(PLACEHOLDERS, '')
    .replace(/^#{1,6}\s.*$/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length >= minimumCharacters;
}

export function findSection(sections: readonly CardSection[], pattern: RegExp, withSubstance = true): CardSection | undefined {
  return sections.find((section) => pattern.test(section.heading) && (!withSubstance || hasSubstance(section.content)));
}

export function wordCount(text: string): number {
  return splitFrontMatter(text).body.split(/\s+/).filter((word) => /\w/.test(word)).length;
}

/** A top-level front-matter value (`license: mit`) or the first item of a list under the key. */
export function frontMatterValue(frontMatter: string, key: string): string | undefined {
  const lines = frontMatter.split('\n');
  const index = lines.findIndex((line) => new RegExp(`^${key}\\s*:`).test(line));
  if (index < 0) return undefined;
  const inline = lines[index]!.replace(new RegExp(`^${key}\\s*:`), '').trim();
  if (inline.length > 0 && inline !== '|' && inline !== '>') return unquote(inline.replace(/^\[|\]$/g, '').split(',')[0]!.trim());
  const item = /^\s*-\s*(.+)$/.exec(lines[index + 1] ?? '');
  return item ? unquote(item[1]!.trim()) : undefined;
}

const unquote = (value: string): string => value.replace(/^["']|["']$/g, '');
