import type { TerminalSource } from '../../main/api/terminal-feed';

/**
 * A display stream held in memory as the chunks it came in, replayed chunk by chunk from any
 * offset as a run replays its recorded output; appending reaches the live listeners.
 */
export function storedStream(): Pick<TerminalSource, 'onTerminal'> & {
  append(chunk: string): void;
} {
  const chunks: { offset: number; text: string }[] = [];
  let length = 0;
  const listeners = new Set<(chunk: string, offset: number) => void>();
  return {
    onTerminal(listener, fromOffset = 0) {
      for (const chunk of chunks) {
        if (chunk.offset + chunk.text.length <= fromOffset) continue;
        const skip = Math.max(0, fromOffset - chunk.offset);
        listener(chunk.text.slice(skip), chunk.offset + skip);
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    append(chunk) {
      const offset = length;
      chunks.push({ offset, text: chunk });
      length += chunk.length;
      for (const listener of [...listeners]) listener(chunk, offset);
    },
  };
}
