import { FACT_TEXT_MAX, type Facts } from '../../../common/facts';

/** What FactText refuses: no real device path, model name or mount point holds one. */
const GARBLE = /[\0\n\r\u2028\u2029]+/g;

/** How many garbled fields one warning names before it only counts the rest. */
const NAMED_FIELDS = 3;

function clean(text: string): string {
  return text.replace(GARBLE, ' ').trim();
}

/** A key this long is shortened where a warning names its field. */
const NAMED_KEY_MAX = 60;

function fieldName(path: readonly string[]): string {
  return path
    .map((part, i) => {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) return `${i === 0 ? '' : '.'}${part}`;
      const shown = part.length > NAMED_KEY_MAX ? `${part.slice(0, NAMED_KEY_MAX)}…` : part;
      return `[${JSON.stringify(shown)}]`;
    })
    .join('');
}

/** The fields a scrub changed: garbled ones (NUL, line breaks) and ones cut to length. */
interface Changed {
  garbled: string[];
  cut: string[];
}

/** The text cut to FactText's length, never between the halves of a surrogate pair. */
function cut(text: string): string {
  if (text.length <= FACT_TEXT_MAX) return text;
  const high = /[\ud800-\udbff]/.test(text.charAt(FACT_TEXT_MAX - 1));
  return text.slice(0, high ? FACT_TEXT_MAX - 1 : FACT_TEXT_MAX);
}

/** A value or key cleaned and cut, each change noted under `name` (the field it is, or names). */
function scrubText(text: string, changed: Changed, name: (out: string) => string): string {
  const cleaned = clean(text);
  const out = cut(cleaned);
  if (cleaned !== text) changed.garbled.push(name(out));
  if (out !== cleaned) changed.cut.push(name(out));
  return out === text ? text : out;
}

function scrub(value: unknown, path: string[], changed: Changed): unknown {
  if (typeof value === 'string') return scrubText(value, changed, () => fieldName(path));
  if (Array.isArray(value)) {
    return value.map((item, i) => scrub(item, [...path, String(i)], changed));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const cleanKey = scrubText(key, changed, (cleaned) => fieldName([...path, cleaned]));
      out[cleanKey] = scrub(item, [...path, cleanKey], changed);
    }
    return out;
  }
  return value;
}

/** "a, b, c and 2 more": the first few fields by name, the rest counted. */
function someFields(fields: readonly string[]): string {
  const named = fields.slice(0, NAMED_FIELDS).join(', ');
  return fields.length > NAMED_FIELDS ? `${named} and ${fields.length - NAMED_FIELDS} more` : named;
}

/**
 * A machine that reports NUL or line breaks in its text (a corrupt DMI table, a mountinfo line
 * full of junk) still gets its facts: each such run of characters becomes one space, and a
 * warning names the fields so the user reviews them before they reach a configuration. A value
 * longer than any path (a DMI field read past its end) is cut, with a warning too.
 */
export function scrubGarbledText(facts: Facts): Facts {
  const changed: Changed = { garbled: [], cut: [] };
  const { warnings, ...rest } = facts;
  const scrubbed = scrub(rest, [], changed) as Omit<Facts, 'warnings'>;
  // A warning may quote a value; it is cut as values are.
  const cleanWarnings = warnings.map((warning) => cut(clean(warning)));
  if (changed.garbled.length > 0) {
    cleanWarnings.push(
      `The machine reported NUL characters or line breaks in ${someFields(changed.garbled)}; they were replaced by spaces, so check those values before using them.`,
    );
  }
  if (changed.cut.length > 0) {
    cleanWarnings.push(
      `The machine reported more than ${FACT_TEXT_MAX} characters in ${someFields(changed.cut)}, longer than any real value; each was cut to its first ${FACT_TEXT_MAX}, so check them before using them.`,
    );
  }
  return { ...scrubbed, warnings: cleanWarnings };
}
