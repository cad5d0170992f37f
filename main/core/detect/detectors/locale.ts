import { keyboardProblems } from '../../generate/keyboard';
import type { DetectContext, FactsDraft } from './context';

/**
 * An IANA name as the tz database spells it (`UTC`, `Etc/GMT+5`, `America/Argentina/Buenos_Aires`).
 * Files beside the zones (`localtime`, `posixrules`, `zone.tab`) start lowercase or hold a dot.
 */
const TIME_ZONE = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9][A-Za-z0-9_+-]*)*$/;

/** The names of a language's locale; `C` and `POSIX` (with any charset) say no language at all. */
const LOCALE = /^[a-z]{2,3}(_[A-Z]{2})?(\.[A-Za-z0-9-]+)?(@[A-Za-z0-9]+)?$/;

/**
 * Console keymaps (kbd) whose XKB layout has another name, as `layout` or `layout/variant`: by
 * their whole name, or by the part before the first `-`.
 */
const KEYMAP_LAYOUTS: Readonly<Record<string, string>> = {
  uk: 'gb',
  sv: 'se',
  sg: 'ch',
  de_CH: 'ch',
  fr_CH: 'ch/fr',
  cf: 'ca',
  la: 'latam',
  trq: 'tr',
  trf: 'tr/f',
  tr_q: 'tr',
  tr_f: 'tr/f',
  tralt: 'tr/alt',
  et: 'ee',
  pl1: 'pl',
  pl2: 'pl',
  pl3: 'pl',
  pl4: 'pl',
  nl2: 'nl',
  hu101: 'hu',
  jp106: 'jp',
  slovene: 'si',
  croat: 'hr',
  sr: 'rs',
  mk0: 'mk',
  bg_bds: 'bg',
  bg_pho: 'bg/phonetic',
  bywin: 'by',
  ru1: 'ru',
  ru2: 'ru',
  ru3: 'ru',
  ru4: 'ru',
  ru_win: 'ru',
  ruwin_alt: 'ru',
  ruwin_ctrl: 'ru',
  ruwin_cplk: 'ru',
  hebrew: 'il',
  kazakh: 'kz',
  wangbe: 'be/wang',
  azerty: 'fr',
  'us-acentos': 'us/intl',
  dvorak: 'us/dvorak',
  'dvorak-l': 'us/dvorak-l',
  'dvorak-r': 'us/dvorak-r',
  'dvorak-programmer': 'us/dvp',
  'ANSI-dvorak': 'us/dvorak',
  'dvorak-ukp': 'gb/dvorakukp',
  'dvorak-fr': 'fr/dvorak',
  colemak: 'us/colemak',
};

export interface Keyboard {
  layout: string;
  variant: string;
}

/**
 * `KEY=value` lines as shells and systemd read them: comments, `export`, single or double
 * quotes (a double-quoted value with its backslash escapes undone), a comment after the value.
 */
export function shellAssignments(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw);
    if (!match?.[1]) continue;
    const rest = (match[2] ?? '').trim();
    const double = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    const single = /^'([^']*)'/.exec(rest);
    const value = double
      ? (double[1] ?? '').replace(/\\(.)/g, '$1')
      : single
        ? (single[1] ?? '')
        : (/^[^\s#]*/.exec(rest)?.[0] ?? '');
    values.set(match[1], value);
  }
  return values;
}

/** The zone a `/etc/localtime` link names: what follows `zoneinfo/`, wherever that folder is. */
export function timeZoneFromLink(target: string): string | null {
  const at = target.lastIndexOf('zoneinfo/');
  if (at < 0) return null;
  // `posix/` and `right/` hold the same zones, with and without leap seconds.
  return plausibleTimeZone(target.slice(at + 'zoneinfo/'.length).replace(/^(posix|right)\//, ''));
}

/** Debian's `/etc/timezone`: the zone's name on the first line that is not a comment. */
export function timeZoneFromFile(text: string): string | null {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  return line === undefined ? null : plausibleTimeZone(line);
}

function plausibleTimeZone(name: string): string | null {
  return TIME_ZONE.test(name) ? name : null;
}

/**
 * A `LANG` value as the answers spell a locale, or null for none: `C`, `POSIX` and `C.UTF-8`
 * name no language. glibc takes `utf8` for `UTF-8`, but NixOS builds the locales named in
 * `i18n.defaultLocale` from glibc's list, which spells it `UTF-8`.
 */
export function localeFromLang(value: string | undefined): string | null {
  const lang = value?.trim() ?? '';
  if (!LOCALE.test(lang)) return null;
  return lang.replace(/\.utf-?8(?=@|$)/i, '.UTF-8');
}

/** A layout and variant the answers accept; a variant they do not know is dropped, the layout kept. */
function knownKeyboard(layout: string, variant: string): Keyboard | null {
  if (layout === '' || layout.includes(',')) return null;
  const problems = keyboardProblems(layout, variant);
  if (problems.layout !== null) return null;
  return { layout, variant: problems.variant === null ? variant : '' };
}

/**
 * The XKB layout of a console keymap (kbd's names: `de-latin1-nodeadkeys`, `uk`, `fr_CH`): the
 * answers' layout drives the console too (`console.useXkbConfig`). The charset suffixes
 * (`latin1`, `latin9`) have no XKB meaning; a suffix that is a variant of the layout is kept.
 */
export function keyboardFromKeymap(keymap: string): Keyboard | null {
  // NixOS writes a store path here when the console already follows XKB: it names no layout.
  if (keymap === '' || keymap.includes('/')) return null;
  // kbd names some keymaps with a dot (`lt.std`) where others take a dash.
  const name = keymap.replace(/\.map(\.gz)?$/, '').replaceAll('.', '-');
  // kbd's Apple keymaps (`mac-de-latin1`) are the layout's `mac` variant where XKB has one.
  if (name.startsWith('mac-')) {
    const layout = keyboardFromKeymap(name.slice('mac-'.length))?.layout;
    return layout ? knownKeyboard(layout, 'mac') : null;
  }
  const [base = '', ...suffixes] = name.split('-');
  const alias = (key: string) => (Object.hasOwn(KEYMAP_LAYOUTS, key) ? KEYMAP_LAYOUTS[key] : null);
  const [layout = '', variant = ''] = (alias(name) ?? alias(base) ?? base).split('/');
  const suffix = suffixes.find((s) => !/^latin\d+$/.test(s)) ?? '';
  return knownKeyboard(layout, variant || suffix);
}

/** The first layout of XKB settings (`de,us` switches between two) and its variant. */
export function keyboardFromXkb(layouts: string, variants: string): Keyboard | null {
  const layout = layouts.split(',')[0]?.trim() ?? '';
  const variant = variants.split(',')[0]?.trim() ?? '';
  return knownKeyboard(layout, variant);
}

/** `/etc/vconsole.conf`: its XKB settings where localectl wrote them, else its console keymap. */
export function keyboardFromVconsole(text: string): Keyboard | null {
  const values = shellAssignments(text);
  const xkb = values.get('XKBLAYOUT');
  if (xkb) return keyboardFromXkb(xkb, values.get('XKBVARIANT') ?? '');
  return keyboardFromKeymap(values.get('KEYMAP') ?? '');
}

/** Debian's `/etc/default/keyboard` (keyboard(5)). */
export function keyboardFromDefaultKeyboard(text: string): Keyboard | null {
  const values = shellAssignments(text);
  return keyboardFromXkb(values.get('XKBLAYOUT') ?? '', values.get('XKBVARIANT') ?? '');
}

/** `Option "XkbLayout" "de"` and `Option "XkbVariant"` of an xorg.conf InputClass section. */
export function keyboardFromXorgConf(text: string): Keyboard | null {
  const option = (name: string) => {
    for (const line of text.split('\n')) {
      const match = /^\s*Option\s+"([^"]*)"\s+"([^"]*)"/i.exec(line);
      if (match && match[1]?.toLowerCase() === name) return match[2] ?? '';
    }
    return '';
  };
  return keyboardFromXkb(option('xkblayout'), option('xkbvariant'));
}

function detectTimeZone(ctx: DetectContext): string | null {
  const link = ctx.probe.readLink('/etc/localtime');
  const fromLink = link === null ? null : timeZoneFromLink(link);
  if (fromLink !== null) return fromLink;
  const file = ctx.probe.readFile('/etc/timezone');
  return file === null ? null : timeZoneFromFile(file);
}

function detectDefaultLocale(ctx: DetectContext): string | null {
  const files = ctx.isDarwin ? [] : ['/etc/locale.conf', '/etc/default/locale'];
  for (const path of files) {
    const text = ctx.probe.readFile(path);
    const locale = text === null ? null : localeFromLang(shellAssignments(text).get('LANG'));
    if (locale !== null) return locale;
  }
  return localeFromLang(ctx.probe.env('LANG'));
}

const KEYBOARD_FILES: readonly [string, (text: string) => Keyboard | null][] = [
  ['/etc/vconsole.conf', keyboardFromVconsole],
  ['/etc/default/keyboard', keyboardFromDefaultKeyboard],
  ['/etc/X11/xorg.conf.d/00-keyboard.conf', keyboardFromXorgConf],
];

function detectKeyboard(ctx: DetectContext): Keyboard | null {
  // macOS sets its keyboard itself: the answers leave it alone there.
  if (ctx.isDarwin) return null;
  for (const [path, parse] of KEYBOARD_FILES) {
    const text = ctx.probe.readFile(path);
    const keyboard = text === null ? null : parse(text);
    if (keyboard !== null) return keyboard;
  }
  return null;
}

/** The machine's time zone, default locale and keyboard layout, so the answers can propose them. */
export function detectLocale(ctx: DetectContext, facts: FactsDraft): void {
  facts.timeZone = detectTimeZone(ctx);
  facts.locale = detectDefaultLocale(ctx);
  facts.keyboard = detectKeyboard(ctx);
}
