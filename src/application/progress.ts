/**
 * How a long-running tool reports progress: the CLI draws a bar on a terminal and prints lines
 * otherwise; tests pass SILENT_PROGRESS.
 */
export interface Progress {
  /** A new phase; `total` when known in advance. */
  phase(name: string, total?: number): void;
  advance(count: number): void;
  /** The current phase is over: its final count stays on screen. */
  finish(): void;
}

export const SILENT_PROGRESS: Progress = { phase() {}, advance() {}, finish() {} };
