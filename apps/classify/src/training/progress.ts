import cliProgress from 'cli-progress';

export interface ProgressOptions {
  /** Draw a live bar (cli-progress) on a TTY; otherwise print a line every `lineEvery` steps. */
  bar: boolean;
  lineEvery: number;
  stream: NodeJS.WriteStream;
  /** Clock in milliseconds (tests inject one). */
  now: () => number;
}

export const DEFAULT_PROGRESS_OPTIONS: Readonly<ProgressOptions> = Object.freeze({
  bar: true,
  lineEvery: 10,
  stream: process.stderr,
  now: () => performance.now(),
});

export interface ProgressSnapshot {
  step: number;
  total: number;
  images: number;
  imagesPerSecond: number;
  /** Mean loss since the start of the epoch. */
  runningLoss: number;
  /** Seconds left at the current rate. */
  etaSeconds: number;
}

/**
 * One epoch's progress: images/s, ETA and the running mean loss, as a cli-progress bar on a terminal
 * or as plain lines in logs and CI.
 */
export class EpochProgress {
  private readonly o: ProgressOptions;
  private readonly bar: cliProgress.SingleBar | null;
  private readonly started: number;
  private steps = 0;
  private images = 0;
  private lossSum = 0;
  private readonly lines: string[] = [];

  constructor(
    readonly label: string,
    readonly total: number,
    options: Partial<ProgressOptions> = {},
  ) {
    this.o = { ...DEFAULT_PROGRESS_OPTIONS, ...options };
    this.started = this.o.now();
    const useBar = this.o.bar && Boolean(this.o.stream.isTTY);
    this.bar = useBar
      ? new cliProgress.SingleBar(
          {
            stream: this.o.stream,
            format: `${label} {bar} {value}/{total} | {speed} img/s | loss {loss} | ETA {eta_formatted}`,
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0, { speed: '0.0', loss: '-' });
  }

  /** Records one step of `batchImages` images with mean loss `loss`. */
  tick(batchImages: number, loss: number): ProgressSnapshot {
    this.steps += 1;
    this.images += batchImages;
    this.lossSum += loss;
    const snapshot = this.snapshot();
    if (this.bar) {
      this.bar.update(this.steps, {
        speed: snapshot.imagesPerSecond.toFixed(1),
        loss: snapshot.runningLoss.toFixed(4),
      });
    } else if (this.steps % this.o.lineEvery === 0 || this.steps === this.total) {
      const line =
        `${this.label} ${this.steps}/${this.total} | ${snapshot.imagesPerSecond.toFixed(1)} img/s | ` +
        `loss ${snapshot.runningLoss.toFixed(4)} | ETA ${formatDuration(snapshot.etaSeconds)}`;
      this.lines.push(line);
      this.o.stream.write(`${line}\n`);
    }
    return snapshot;
  }

  snapshot(): ProgressSnapshot {
    const seconds = Math.max(1e-9, (this.o.now() - this.started) / 1000);
    const perStep = seconds / Math.max(1, this.steps);
    return {
      step: this.steps,
      total: this.total,
      images: this.images,
      imagesPerSecond: this.images / seconds,
      runningLoss: this.steps === 0 ? Number.NaN : this.lossSum / this.steps,
      etaSeconds: Math.max(0, (this.total - this.steps) * perStep),
    };
  }

  /** Lines printed in text mode (for tests). */
  printedLines(): readonly string[] {
    return this.lines;
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
