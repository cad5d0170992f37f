import type { ITerminalOptions, Terminal } from '@xterm/xterm';
import type { TerminalAttachment } from '../../common/bridge';
import { formatBytes } from '../../common/bytes';

/** xterm.js settings for a run's output; the terminal benchmark draws with these too. */
export const OUTPUT_TERMINAL_OPTIONS: ITerminalOptions = {
  fontFamily: 'ui-monospace, "SF Mono", "Cascadia Mono", "JetBrains Mono", Menlo, monospace',
  fontSize: 13,
  lineHeight: 1.15,
  // Every line kept costs xterm.js 12 bytes a column (about 2 KB at 160 columns): 50,000 lines
  // made it write a flood a third slower (bench/terminal). The whole output stays in the run's log.
  scrollback: 10_000,
  cursorBlink: false,
  theme: {
    background: '#15171c',
    foreground: '#e6e8ee',
    cursor: '#e6e8ee',
    selectionBackground: '#3f63b580',
    black: '#1c1f26',
    brightBlack: '#5d6676',
  },
};

/**
 * Writes one message of a run's output into xterm.js and acknowledges it once xterm has parsed
 * it, the flow control's other half. Each message is written as it comes, not gathered per
 * frame: xterm already draws at most once a frame, and its callback fires only after a whole
 * write, so a gathered write would only acknowledge later and stall the producer sooner.
 */
export function writeOutput(
  term: Terminal,
  attachment: Pick<TerminalAttachment, 'written'>,
  text: string,
  onWritten?: () => void,
): void {
  term.write(text, () => {
    attachment.written(text.length);
    onWritten?.();
  });
}

/**
 * Marks where the server skipped part of a flood to keep up. On a fresh line and after an SGR
 * reset, so a colour the skip cut off does not run on; dim, so it reads as the app's, not the
 * build's. Not acknowledged: acknowledgements count the stream's characters only.
 */
export function writeSkipNotice(term: Pick<Terminal, 'write'>, chars: number): void {
  term.write(
    `\r\n\x1b[0m\x1b[2m… about ${formatBytes(chars)} of output skipped to keep up; the run's full log has it …\x1b[0m\r\n`,
  );
}
