import type { TerminalSource } from '../../main/api/terminal-feed';
import { DisplayStream } from '../../main/core/rebuild/display-stream';

/**
 * A display stream held in memory, replayed from any offset as a run replays its recorded
 * output; appending reaches the live listeners.
 */
export function storedStream(): Pick<TerminalSource, 'onTerminal'> & {
  append(chunk: string): void;
} {
  const stream = new DisplayStream();
  return {
    onTerminal: (listener, fromOffset) => stream.listen(listener, fromOffset),
    append: (chunk) => stream.append(chunk),
  };
}
