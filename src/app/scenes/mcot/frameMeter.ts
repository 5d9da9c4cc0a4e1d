/**
 * Intervals between animation frames, the latest CAPACITY of them: how responsive the page stays
 * while a solver runs (the e2e suite compares running and idle). Its own requestAnimationFrame
 * loop does nothing else, so it measures the main thread, not a view's drawing.
 */
const CAPACITY = 600;

export class FrameMeter {
  private readonly intervals = new Float64Array(CAPACITY);
  private count = 0;
  private last: number | undefined;
  private frame: number | undefined;

  start(): void {
    if (this.frame !== undefined) return;
    const tick = (now: number) => {
      if (this.last !== undefined) {
        this.intervals[this.count % CAPACITY] = now - this.last;
        this.count += 1;
      }
      this.last = now;
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  stop(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.last = undefined;
  }

  /** Intervals recorded since start-up. */
  get frames(): number {
    return this.count;
  }

  /** The recorded intervals in milliseconds, oldest first. */
  recent(): number[] {
    const kept = Math.min(this.count, CAPACITY);
    return Array.from(
      { length: kept },
      (_, j) => this.intervals[(this.count - kept + j) % CAPACITY]!,
    );
  }
}
