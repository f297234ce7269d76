/**
 * The example's progress on stderr: a bar for the study's trials (those of every worker
 * process) and one for the epoch this process is training, or plain lines.
 */
import cliProgress from 'cli-progress';
import type { Objective, Trial } from '../../index.js';
import type { TrialEndInfo } from '../../tuner/index.js';
import type { TunerCallbacks } from '../../tfjs/index.js';
import {
  ProgressCounter,
  bestText,
  objectiveText,
  searchEndLine,
  searchStartLines,
  trialEndLine,
  trialStartLine,
  workerLabel,
} from '../../tuner/progress-text.js';
import { epochLine } from '../../tfjs/tuners/verbose-callbacks.js';
import { metricText, trialNote } from './text.js';

export interface ProgressOptions {
  readonly stream: NodeJS.WriteStream;
  /** Bars (a terminal) rather than lines. */
  readonly live: boolean;
  /** Name the process that ran each trial (when several do). */
  readonly showWorker: boolean;
}

export interface ExampleProgress extends TunerCallbacks {
  /** A trial another process of the search finished. */
  otherTrialEnded(trial: Trial, best: Trial | undefined, info: TrialEndInfo): void;
  /** A line above the bars (or on its own). */
  log(text: string): void;
  /** Stops the bars and says how the search ended (in `processes` processes). */
  finish(processes: number): void;
  /** Stops the bars (idempotent). */
  stop(): void;
}

export function exampleProgress(options: ProgressOptions): ExampleProgress {
  const { stream, live, showWorker } = options;
  const counter = new ProgressCounter();
  let objectives: readonly Objective[] = [];
  let reason = '';
  let multi: cliProgress.MultiBar | undefined;
  let trials: cliProgress.SingleBar | undefined;
  let epoch: cliProgress.SingleBar | undefined;
  const line = (text: string): void => {
    if (multi !== undefined) multi.log(`${text}\n`);
    else stream.write(`${text}\n`);
  };
  const trialEnded = (trial: Trial, best: Trial | undefined, info: TrialEndInfo): void => {
    counter.ended(trial, info.done);
    const by = showWorker ? workerLabel(trial.workerId) : undefined;
    trials?.update(counter.count, {
      text: `${bestText(best, objectives, info.paretoFront)} | ${counter.timeText}`,
    });
    // the trial's score is its best epoch's, which need not be its last
    const valueNote = trialNote(trial);
    line(trialEndLine(trial, best, info, counter, objectives, { by, valueNote }));
  };
  const stop = (): void => {
    multi?.update(); // writes the lines still waiting above the bars
    multi?.stop();
    multi = undefined;
    epoch = undefined;
    trials = undefined;
  };
  return {
    onSearchStart(info) {
      objectives = info.objectives;
      counter.start(info);
      // the example always has a time budget: it, not Ctrl+C, ends a search without --trials
      const until = 'it searches while the time budget leaves room for the final training';
      for (const text of searchStartLines(info, until)) line(text);
      if (!live) return;
      multi = new cliProgress.MultiBar(
        {
          stream,
          hideCursor: true,
          clearOnComplete: false,
          format: '{label} |{bar}| {value}/{total} {text}',
        },
        cliProgress.Presets.shades_classic,
      );
      trials = multi.create(counter.total ?? 0, counter.count, { label: 'trials', text: '' });
    },
    onTrialStart(trial) {
      if (!live) line(trialStartLine(trial));
    },
    onEpochBegin(info) {
      if (multi === undefined) return;
      const label = `trial ${info.trial} epoch ${info.epoch + 1}/${info.epochs}`;
      if (epoch === undefined) epoch = multi.create(info.batches, 0, { label, text: '' });
      else epoch.start(info.batches, 0, { label, text: '' });
    },
    onBatchEnd(info) {
      epoch?.update(info.batch + 1, {
        text: info.logs['loss'] === undefined ? '' : `loss ${info.logs['loss'].toFixed(4)}`,
      });
    },
    onEpochEnd(info) {
      if (live) epoch?.update({ text: metricText(info.logs) });
      else line(epochLine(info));
    },
    onTrialEnd(trial, best, info) {
      // the epoch bar showed the last epoch's metrics: now the score the study took
      const note = trialNote(trial);
      if (trial.status === 'COMPLETED')
        epoch?.update({
          text: `${objectiveText(trial, objectives)}${note === undefined ? '' : ` (${note})`}`,
        });
      trialEnded(trial, best, info);
    },
    otherTrialEnded: trialEnded,
    onSearchEnd(info) {
      reason = info.reason;
    },
    log: line,
    finish(processes) {
      stop();
      line(searchEndLine(reason, counter, processes));
    },
    stop,
  };
}
