import type { NixRecord } from './nix-log';

/*
 * Nearly all of a build's records are results and stops: progress counts
 * (`{"action":"result","fields":[1,2,0,0],"id":72975789326337,"type":105}`) and builder log
 * lines (`{"action":"result","fields":["make all"],"id":…,"type":101}`). Reading those shapes
 * by hand is several times faster than JSON.parse; anything else (escapes in a string, other
 * keys, another key order) returns null and goes to JSON.parse.
 */

const RESULT_HEAD = '{"action":"result","fields":[';
const STOP_HEAD = '{"action":"stop","id":';
const ID_KEY = ',"id":';
const TYPE_KEY = ',"type":';
const ZERO = 48;
const NINE = 57;
const COMMA = 44;
const CLOSE_BRACKET = 93;
const CLOSE_BRACE = 125;
const QUOTE = 34;

const BACKSLASH = 92;

function hasEscape(text: string, from: number, to: number): boolean {
  for (let at = from; at < to; at++) if (text.charCodeAt(at) === BACKSLASH) return true;
  return false;
}

/** Where the integer scanned last ended, or -1 when there was none. */
let cursor = -1;

function integer(text: string, from: number, to: number): number {
  let value = 0;
  let at = from;
  for (; at < to; at++) {
    const code = text.charCodeAt(at);
    if (code < ZERO || code > NINE) break;
    value = value * 10 + (code - ZERO);
  }
  cursor = at > from ? at : -1;
  return value;
}

/** The record in `text[from, to)` if it has one of the two integer-only shapes, else null. */
export function fastRecord(text: string, from: number, to: number): NixRecord | null {
  if (text.startsWith(RESULT_HEAD, from)) {
    const fields: (number | string)[] = [];
    let at = from + RESULT_HEAD.length;
    if (text.charCodeAt(at) !== CLOSE_BRACKET) {
      for (;;) {
        if (text.charCodeAt(at) === QUOTE) {
          const close = text.indexOf('"', at + 1);
          if (close < 0 || close >= to || hasEscape(text, at + 1, close)) return null;
          fields.push(text.slice(at + 1, close));
          cursor = close + 1;
        } else {
          fields.push(integer(text, at, to));
        }
        if (cursor < 0) return null;
        const next = text.charCodeAt(cursor);
        at = cursor + 1;
        if (next === CLOSE_BRACKET) break;
        if (next !== COMMA) return null;
      }
    } else {
      at++;
    }
    if (!text.startsWith(ID_KEY, at)) return null;
    const id = integer(text, at + ID_KEY.length, to);
    if (cursor < 0 || !text.startsWith(TYPE_KEY, cursor)) return null;
    const type = integer(text, cursor + TYPE_KEY.length, to);
    if (cursor !== to - 1 || text.charCodeAt(cursor) !== CLOSE_BRACE) return null;
    return { action: 'result', id, type, fields };
  }
  if (text.startsWith(STOP_HEAD, from)) {
    const id = integer(text, from + STOP_HEAD.length, to);
    if (cursor !== to - 1 || text.charCodeAt(cursor) !== CLOSE_BRACE) return null;
    return { action: 'stop', id };
  }
  return null;
}
