/**
 * `Progress`: a one-line status on a terminal (rewritten in place on stderr), silent when stderr is
 * not a TTY so logs and pipes stay clean. Results are printed by the commands themselves, on stdout.
 */

/** Spinner frames, advanced on each update. */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A status line for long work. */
export class Progress {
  private frame = 0;
  private shown = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private text = '';

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** Whether anything is drawn (only on a terminal). */
  get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }

  /** Shows `text` as the current step (the spinner keeps turning while work goes on). */
  step(text: string): void {
    this.text = text;
    if (!this.enabled) return;
    this.draw();
    if (!this.timer) {
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
  }

  /** Clears the line (call before printing results or an error). */
  done(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }

  private draw(): void {
    this.frame = (this.frame + 1) % FRAMES.length;
    this.stream.write(`\r\x1b[2K${FRAMES[this.frame]} ${this.text}`);
    this.shown = true;
  }
}
