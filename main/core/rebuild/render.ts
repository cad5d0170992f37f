import { ACTIVITY, type ResultName } from './codes';
import type { NixRecord } from './nix-log';
import type { ProgressModel } from './progress';

/** Nix's level "info": what `nix build` shows without -v. */
const SHOWN_LEVEL = 3;

const faint = (text: string) => `\u001b[2m${text}\u001b[0m`;
const bold = (text: string) => `\u001b[1m${text}\u001b[0m`;

/** Lines for a terminal: a pty wants CR LF. */
export function terminalLines(text: string): string {
  return `${text.replace(/\r?\n/g, '\r\n')}\r\n`;
}

/**
 * The readable text for one record, as `nix build -L` would print it: messages, what starts
 * (building, copying, downloading) and builder log lines prefixed with the derivation's name.
 * Null for records that only feed the progress model. Call before the model applies a `stop`.
 */
export function renderRecord(
  record: NixRecord,
  model: ProgressModel,
  results: Record<number, ResultName>,
): string | null {
  switch (record.action) {
    case 'msg':
      return record.level <= SHOWN_LEVEL ? terminalLines(record.msg) : null;
    case 'start': {
      if (record.level > SHOWN_LEVEL || !record.text) return null;
      const activity = model.activities.get(record.id);
      if (record.type === ACTIVITY.build && activity?.name) {
        return terminalLines(`building ${bold(activity.name)}`);
      }
      return terminalLines(record.text);
    }
    case 'result': {
      const name = results[record.type];
      if (name !== 'buildLogLine' && name !== 'postBuildLogLine') return null;
      const activity = model.activities.get(record.id);
      const prefix = activity?.name ? `${faint(`${activity.name}>`)} ` : '';
      return terminalLines(`${prefix}${String(record.fields[0] ?? '')}`);
    }
    default:
      return null;
  }
}
