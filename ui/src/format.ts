/** Display helpers shared by the pages. */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** With seconds: two changes a minute apart must not read the same (the time-travel banner). */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/**
 * A score in [0, 1], or "n/a" when the metric does not apply (the evidence it needs does not
 * exist): null in the schema, -1 in ratings stored before it said so.
 */
export type Score = number | null;
const applies = (value: Score): value is number => value !== null && value >= 0;
export const formatScore = (value: Score): string => (applies(value) ? value.toFixed(2) : 'n/a');

/** The ingest gate's threshold: a metric below it disqualifies a model (docs/metrics.md). */
export const PASSING_SCORE = 0.5;

export type Verdict = 'pass' | 'fail' | 'na';
export const verdictOf = (value: Score): Verdict => (!applies(value) ? 'na' : value >= PASSING_SCORE ? 'pass' : 'fail');
/** Bar width in percent: an inapplicable metric draws none. */
export const barPercent = (value: Score): number => (applies(value) ? Math.round(value * 100) : 0);
export const VERDICT_TEXT: Record<Verdict, string> = { pass: 'passes', fail: 'fails', na: 'not applicable' };

/** The license id the license metric's explanation names ("... is under apache-2.0: ..."). */
export function licenseFromExplanation(explanation: string): string | undefined {
  return /\b(?:under|license is|declares|names)\s+([A-Za-z0-9.+-]+)(?:\s|:|\()/.exec(explanation)?.[1];
}
