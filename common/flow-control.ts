/**
 * Terminal flow control by acknowledged characters, with VS Code's numbers: the producer stops
 * above 100,000 characters the terminal has not yet drawn and starts again below 5,000; the
 * terminal acknowledges every 5,000 characters once xterm has written them. A flood (a build
 * printing megabytes) then waits in the pty instead of in memory, and a keypress echoed by the
 * pty is at most a hundred thousand characters behind.
 */
export const FLOW_CONTROL = {
  highWatermark: 100_000,
  lowWatermark: 5_000,
  ackEvery: 5_000,
} as const;

export interface FlowLimits {
  highWatermark: number;
  lowWatermark: number;
}

/** The producer's side: characters sent and not yet acknowledged. */
export class SendWindow {
  private unacked = 0;
  private paused = false;

  constructor(
    private readonly onPausedChange: (paused: boolean) => void,
    private readonly limits: FlowLimits = FLOW_CONTROL,
  ) {}

  get unacknowledged(): number {
    return this.unacked;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  sent(chars: number): void {
    this.unacked += chars;
    if (!this.paused && this.unacked > this.limits.highWatermark) {
      this.paused = true;
      this.onPausedChange(true);
    }
  }

  /** An acknowledgement of more than was sent (a confused or hostile client) counts as all of it. */
  acknowledged(chars: number): void {
    this.unacked = Math.max(0, this.unacked - Math.max(0, chars));
    if (this.paused && this.unacked < this.limits.lowWatermark) {
      this.paused = false;
      this.onPausedChange(false);
    }
  }
}

/** The terminal's side: characters written to xterm, acknowledged in steps of `every`. */
export class AckCounter {
  private pending = 0;

  constructor(
    private readonly acknowledge: (chars: number) => void,
    private readonly every: number = FLOW_CONTROL.ackEvery,
  ) {}

  written(chars: number): void {
    this.pending += chars;
    if (this.pending >= this.every) {
      const owed = this.pending;
      this.pending = 0;
      this.acknowledge(owed);
    }
  }

  /** Forgets what was not acknowledged yet: the producer it was owed to is gone. */
  reset(): void {
    this.pending = 0;
  }
}
