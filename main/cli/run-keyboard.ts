import type { RebuildRun } from '../core/rebuild';

/**
 * Keys from the user's terminal while a run lasts, read raw: the answer to its confirm
 * question, Ctrl-C to cancel, and everything else typed into the run's pty, where sudo asks for
 * its password with echo off. Left in cooked mode, the terminal would echo that password on the
 * screen, and sudo would wait for it forever. A question that offers the running specialisation
 * asks, once answered yes, whether to stay in it: yes (Enter too) is what --yes does. Returns
 * what gives the terminal back.
 */
export function runKeyboard(
  run: RebuildRun,
  stdin: NodeJS.ReadStream,
  ask: (text: string) => void,
  cancel: () => void,
): () => void {
  let asking: 'proceed' | 'stay' | null = null;
  let offered: string | undefined;
  const onKey = (data: Buffer) => {
    const key = data.toString('utf8');
    if (key === '\u0003') {
      cancel();
    } else if (asking === 'proceed') {
      const yes = /^y/i.test(key);
      ask(yes ? 'yes\n' : 'no\n');
      if (yes && offered) {
        asking = 'stay';
        ask(`\u001b[1mStay in specialisation ${offered}?\u001b[0m [Y/n] `);
        return;
      }
      asking = null;
      run.confirm(yes);
    } else if (asking === 'stay') {
      asking = null;
      const stay = !/^n/i.test(key);
      ask(stay ? 'yes\n' : 'no\n');
      run.confirm(true, stay ? (offered ?? null) : null);
    } else {
      run.write(key);
    }
  };
  const stopEvents = run.onEvent((event) => {
    if (event.type !== 'confirm') return;
    asking = 'proceed';
    offered = event.runningSpecialisation;
    ask(`\u001b[1m${event.question}\u001b[0m [y/N] `);
  });
  stdin.setRawMode?.(true);
  stdin.on('data', onKey);
  stdin.resume();
  return () => {
    stopEvents();
    stdin.off('data', onKey);
    stdin.setRawMode?.(false);
    stdin.pause();
  };
}
