import cliProgress from 'cli-progress';
import type { Progress } from '../application/progress.js';

/** A bar with counts and rate on a terminal (stderr), so stdout keeps only the command's summary. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress((line) => stream.write(`${line}\n`));
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  let bar: cliProgress.SingleBar | undefined;
  let known = false;
  let started = 0;
  let done = 0;
  return {
    phase(name, total) {
      known = total !== undefined;
      started = Date.now();
      done = 0;
      const format = known
        ? `${name.padEnd(18)} {bar} {value}/{total} | {rate}/s | {duration_formatted}`
        : `${name.padEnd(18)} {value} | {rate}/s | {duration_formatted}`;
      bar = new cliProgress.SingleBar({ format, stream, hideCursor: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
      bar.start(total ?? 0, 0, { rate: '0' });
    },
    advance(count) {
      done += count;
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      if (!known) bar?.setTotal(done);
      bar?.update(done, { rate: Math.round(done / seconds).toString() });
    },
    finish() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** Not a terminal (a log, a pipe): a line at most every two seconds per phase, and one at its end. */
export function lineProgress(print: (line: string) => void, now: () => number = Date.now): Progress {
  let name = '';
  let total: number | undefined;
  let started = 0;
  let printed = 0;
  let done = 0;
  const line = (): string => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    return `${name}: ${done}${total === undefined ? '' : `/${total}`} (${Math.round(done / seconds)}/s, ${seconds.toFixed(1)} s)`;
  };
  return {
    phase(phaseName, phaseTotal) {
      name = phaseName;
      total = phaseTotal;
      started = now();
      printed = started;
      done = 0;
    },
    advance(count) {
      done += count;
      if (now() - printed >= 2_000) {
        printed = now();
        print(line());
      }
    },
    finish() {
      print(line());
    },
  };
}
