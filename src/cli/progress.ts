/**
 * Search progress on stderr, in the one progress format (src/tuner/progress-text.ts): a line
 * per trial everywhere; on a terminal, under them, a live bar with the count, the best value,
 * the elapsed time and the ETA, and in its last field the running trial's last report.
 */
import cliProgress from 'cli-progress';
import type { Objective, SearchCallbacks, Trial } from '../index.js';
import { terminalText } from '../storage/index.js';
import type { TrialEndInfo } from '../tuner/index.js';
import {
  ProgressCounter,
  bestText,
  metricsText,
  searchEndLine,
  searchStartLines,
  trialEndLine,
  workerLabel,
} from '../tuner/progress-text.js';

export interface ProgressOptions {
  readonly stream?: NodeJS.WriteStream;
  /** Force plain lines even on a terminal. */
  readonly plain?: boolean;
  /** How a search without limits stops (its first line says it). */
  readonly noLimit?: string;
  /** Name the process of each trial (when several run the search). */
  readonly showWorker?: boolean;
}

export interface SearchProgress extends SearchCallbacks {
  /** A trial another process (`--workers N`) finished: counted, and shown like ours. */
  otherTrialEnded(trial: Trial, best: Trial | undefined, info: TrialEndInfo): void;
  /** How many trials other processes run now (as last seen). */
  runningElsewhere(count: number): void;
  /** Trials running now: this process's and, as last seen, the others'. */
  readonly running: number;
  /** A line of text (above the bar on a terminal). */
  log(text: string): void;
  /** Stops the bar and prints the end line (in `processes` processes); idempotent. */
  finish(processes?: number): void;
}

/** Callbacks that draw the progress of a search (of the whole study, when others share it). */
export function searchProgress(options: ProgressOptions = {}): SearchProgress {
  const stream = options.stream ?? process.stderr;
  const live = options.plain !== true && stream.isTTY === true;
  const counter = new ProgressCounter();
  let objectives: readonly Objective[] = [];
  let multi: cliProgress.MultiBar | undefined;
  let best = 'best -';
  let report = '';
  let ownRunning = 0;
  let elsewhere = 0;
  let reason: string | undefined;
  let finished = false;
  // study names, error texts and metric names are the user's: control characters shown escaped
  const line = (text: string): void => {
    if (multi !== undefined) multi.log(`${terminalText(text)}\n`);
    else stream.write(`${terminalText(text)}\n`);
  };
  /** The bar's line, drawn again by cli-progress several times a second. */
  const barLine = (options: cliProgress.Options, params: cliProgress.Params): string => {
    const total = counter.total;
    const bar =
      total === undefined ? ' |' : ` |${cliProgress.Format.BarFormat(params.progress, options)}|`;
    const running = report === '' ? '' : ` | ${report}`;
    return `trial ${counter.counter}${bar} ${best} | ${counter.timeText}${running}`;
  };
  const trialEnded = (trial: Trial, bestTrial: Trial | undefined, info: TrialEndInfo): void => {
    counter.ended(trial, info.done);
    best = bestText(bestTrial, objectives, info.paretoFront);
    const by = options.showWorker === true ? workerLabel(trial.workerId) : undefined;
    line(trialEndLine(trial, bestTrial, info, counter, objectives, { by }));
    bars?.update(counter.count);
  };
  let bars: cliProgress.SingleBar | undefined;
  return {
    otherTrialEnded: trialEnded,
    runningElsewhere(count) {
      elsewhere = count;
    },
    get running() {
      return ownRunning + elsewhere;
    },
    log: line,
    onSearchStart(info) {
      objectives = info.objectives;
      counter.start(info);
      for (const text of searchStartLines(info, options.noLimit ?? 'it runs until stopped'))
        line(text);
      if (!live) return;
      multi = new cliProgress.MultiBar(
        { stream, hideCursor: true, clearOnComplete: false, barsize: 20, format: barLine },
        cliProgress.Presets.shades_classic,
      );
      bars = multi.create(counter.total ?? 0, counter.count);
    },
    onTrialStart() {
      ownRunning++;
    },
    onTrialReport(trial, step, metrics) {
      report = terminalText(`#${trial.number} step ${step}: ${metricsText(metrics, 3)}`);
    },
    onTrialEnd(trial, bestTrial, info) {
      ownRunning = Math.max(0, ownRunning - 1);
      report = '';
      trialEnded(trial, bestTrial, info);
    },
    onOracleChoice(choice) {
      // which oracle an automatic one picked, and why: once, and again when it switches
      line(`Oracle: ${choice.oracle} (${choice.reason})`);
    },
    onSearchEnd(info) {
      reason = info.reason;
    },
    finish(processes = 1) {
      if (finished) return;
      finished = true;
      multi?.update(); // writes the lines still waiting above the bar
      multi?.stop();
      multi = undefined;
      line(searchEndLine(reason ?? 'stopped', counter, processes));
    },
  };
}
