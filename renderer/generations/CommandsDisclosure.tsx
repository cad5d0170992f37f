import { shellCommand } from '../../common/shell-word';

/** The exact commands a confirmation will run, folded away until asked for. */
export function CommandsDisclosure({ commands }: { commands: string[][] }) {
  return (
    <details className="disclosure">
      <summary>Commands</summary>
      <pre className="commands">{commands.map(shellCommand).join('\n')}</pre>
    </details>
  );
}
