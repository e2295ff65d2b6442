import type { DestinationStream } from 'pino';

/**
 * A log destination that hands `output` the lines of one turn of the event loop together, in one
 * write when the turn ends, and whatever is left when the process exits. Under load that is one
 * system call for many requests' lines; a quiet instance's line still goes out at once.
 */
export class TurnBatchedOutput implements DestinationStream {
  private lines: string[] = [];
  private flushDue = false;

  constructor(private readonly output: DestinationStream) {
    process.once('exit', this.flush);
  }

  write(line: string): void {
    this.lines.push(line);
    if (this.flushDue) return;
    this.flushDue = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.flushDue = false;
    if (this.lines.length === 0) return;
    const chunk = this.lines.join('');
    this.lines = [];
    this.output.write(chunk);
  };
}
