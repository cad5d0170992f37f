/** Hears each piece of a display stream with its character offset. */
export type StreamListener = (chunk: string, offset: number) => void;

/**
 * A run's terminal output as it was shown, addressed by character offset: live listeners hear
 * each piece as it comes, and a listener joining late is first handed everything from the
 * offset it asks for, in order, in the same turn. Runs, and the tests' stand-in runs, keep
 * their output in one.
 */
export class DisplayStream {
  private readonly pieces: string[] = [];
  private readonly offsets: number[] = [];
  private readonly listeners = new Set<StreamListener>();
  private size = 0;

  get length(): number {
    return this.size;
  }

  append(text: string): void {
    if (!text) return;
    const offset = this.size;
    this.pieces.push(text);
    this.offsets.push(offset);
    this.size += text.length;
    for (const listener of [...this.listeners]) listener(text, offset);
  }

  /** Replays from `fromOffset`, then hears what comes; the returned function stops it. */
  listen(listener: StreamListener, fromOffset = 0): () => void {
    const from = Math.max(0, fromOffset);
    if (from < this.size) {
      for (let i = this.pieceAt(from); i < this.pieces.length; i++) {
        const start = this.offsets[i] as number;
        const piece = this.pieces[i] as string;
        listener(from > start ? piece.slice(from - start) : piece, Math.max(start, from));
      }
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The index of the piece holding character `offset` (binary search). */
  private pieceAt(offset: number): number {
    let low = 0;
    let high = this.pieces.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.offsets[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
