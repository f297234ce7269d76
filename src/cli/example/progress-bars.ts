/**
 * The example's progress on stderr: a bar for the study's trials (those of every worker
 * process) and one for the epoch this process is training, or plain lines.
 */
import cliProgress from 'cli-progress';
import type { Trial } from '../../index.js';
import type { TunerCallbacks } from '../../tfjs/index.js';
import { metricText, score, seconds, workerLabel } from './text.js';

export interface ProgressOptions {
  readonly stream: NodeJS.WriteStream;
  /** Bars (a terminal) rather than lines. */
  readonly live: boolean;
  /** The bar's total (undefined: unknown, e.g. Hyperband). */
  readonly maxTrials: number | undefined;
  /** Name the process that ran each trial (when several do). */
  readonly showWorker: boolean;
}

export interface ExampleProgress extends TunerCallbacks {
  /** A trial another process of the search finished. */
  otherTrialEnded(trial: Trial, best: Trial | undefined): void;
  /** A line above the bars (or on its own). */
  log(text: string): void;
  /** Stops the bars and says how the search ended (in `processes` processes). */
  finish(processes: number): void;
  /** Stops the bars (idempotent). */
  stop(): void;
}

export function exampleProgress(options: ProgressOptions): ExampleProgress {
  const { stream, live, maxTrials, showWorker } = options;
  const started = Date.now();
  let done = 0;
  let runNow = 0;
  let reason = '';
  let multi: cliProgress.MultiBar | undefined;
  let trials: cliProgress.SingleBar | undefined;
  let epoch: cliProgress.SingleBar | undefined;
  const line = (text: string): void => {
    if (multi !== undefined) multi.log(`${text}\n`);
    else stream.write(`${text}\n`);
  };
  const trialEnded = (trial: Trial, best: Trial | undefined): void => {
    done++;
    runNow++;
    const bestText = score(best);
    const error = trial.status === 'FAILED' ? ` (${(trial.error ?? '').split('\n')[0] ?? ''})` : '';
    const elapsed = Date.now() - started;
    const by = showWorker ? ` [${workerLabel(trial.workerId)}]` : '';
    trials?.update(done, { text: `best val_accuracy ${bestText} | ${seconds(elapsed)}` });
    line(
      `Trial ${trial.number} ${trial.status}: val_accuracy ${score(trial)}${error} | best ${bestText} | ${seconds(elapsed)} elapsed${by}`,
    );
  };
  const stop = (): void => {
    multi?.stop();
    multi = undefined;
    epoch = undefined;
    trials = undefined;
  };
  return {
    onSearchStart(info) {
      done = info.alreadyDone;
      if (info.alreadyDone > 0)
        line(`Resuming study '${info.studyName}': ${info.alreadyDone} trial(s) already done.`);
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
      trials = multi.create(maxTrials ?? 0, done, { label: 'trials', text: '' });
    },
    onTrialStart(trial) {
      if (!live) line(`Trial ${trial.number} started: ${JSON.stringify(trial.params)}`);
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
      const text = `trial ${info.trial} epoch ${info.epoch + 1}/${info.epochs}: ${metricText(info.logs)}${info.best ? ' *' : ''}`;
      if (live) epoch?.update({ text: metricText(info.logs) });
      else line(`  ${text}`);
    },
    onTrialEnd: trialEnded,
    otherTrialEnded: trialEnded,
    onSearchEnd(info) {
      reason = info.reason;
    },
    log: line,
    finish(processes) {
      stop();
      const by = processes > 1 ? ` by ${processes} processes` : '';
      line(`Search ended: ${reason} (${runNow} trial(s) run now${by}).`);
    },
    stop,
  };
}
