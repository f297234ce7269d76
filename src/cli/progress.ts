/**
 * Search progress on stderr: a live bar (trial i/N, best so far, elapsed, ETA) on a terminal,
 * plain lines otherwise (CI logs, pipes).
 */
import cliProgress from 'cli-progress';
import type { SearchCallbacks, Trial } from '../index.js';
import { terminalText } from '../storage/index.js';
import { formatNumber } from './format.js';

export interface ProgressOptions {
  readonly stream?: NodeJS.WriteStream;
  /** Force plain lines even on a terminal. */
  readonly plain?: boolean;
}

function bestText(best: Trial | undefined): string {
  return best?.values === undefined ? '-' : best.values.map(formatNumber).join(', ');
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export interface SearchProgress extends SearchCallbacks {
  /** A trial another process (`--workers N`) finished: counted, and shown like ours. */
  otherTrialEnded(trial: Trial, best: Trial | undefined): void;
}

/** Callbacks that draw the progress of a search (of the whole study, when others share it). */
export function searchProgress(options: ProgressOptions = {}): SearchProgress {
  const stream = options.stream ?? process.stderr;
  const live = options.plain !== true && stream.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  let started = Date.now();
  let done = 0;
  let budget: number | undefined;
  let endedSinceStart = 0;
  // study names, error texts and metric names are the user's: control characters shown escaped
  const line = (text: string): void => {
    stream.write(`${terminalText(text)}\n`);
  };
  const trialEnded = (trial: Trial, best: Trial | undefined): void => {
    done++;
    endedSinceStart++;
    const elapsed = Date.now() - started;
    const remaining = budget === undefined ? undefined : Math.max(0, budget - done);
    const eta = remaining === undefined ? '?' : seconds((elapsed / endedSinceStart) * remaining);
    if (live) {
      bar?.update(done, { best: bestText(best), elapsed: seconds(elapsed), eta_text: eta });
    } else {
      const value =
        trial.values === undefined ? '' : ` value ${trial.values.map(formatNumber).join(', ')}`;
      const error = trial.status === 'FAILED' ? ` (${(trial.error ?? '').split('\n')[0]})` : '';
      line(
        `trial ${done}${budget === undefined ? '' : `/${budget}`}: #${trial.number} ${trial.status}${value}${error} | best ${bestText(best)} | ${seconds(elapsed)} elapsed, ETA ${eta}`,
      );
    }
  };
  return {
    otherTrialEnded: trialEnded,
    onSearchStart(info) {
      started = Date.now();
      done = info.alreadyDone;
      budget = info.budget;
      if (info.alreadyDone > 0)
        line(`Resuming study '${info.studyName}': ${info.alreadyDone} trial(s) already done.`);
      if (live) {
        bar = new cliProgress.SingleBar(
          {
            format: 'trial {value}/{total} |{bar}| best {best} | {elapsed} elapsed, ETA {eta_text}',
            stream,
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(budget ?? 0, done, { best: '-', elapsed: '0s', eta_text: '?' });
      }
    },
    onTrialReport(trial, step, metrics) {
      if (!live) return;
      const shown = Object.entries(metrics)
        .slice(0, 3)
        .map(([k, v]) => `${k}=${formatNumber(v)}`)
        .join(' ');
      bar?.update({ eta_text: terminalText(`trial ${trial.number} step ${step} ${shown}`) });
    },
    onOracleChoice(choice) {
      // which oracle an automatic one picked, and why: once, and again when it switches
      if (live && bar !== undefined) stream.write('\r\x1b[K');
      line(`Oracle: ${choice.oracle} (${choice.reason})`);
    },
    onTrialEnd: trialEnded,
    onSearchEnd(info) {
      bar?.stop();
      line(`Search ended: ${info.reason} (${info.trialsRun} trial(s) run now).`);
    },
  };
}
