import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verbHelp } from '../../main/cli/help';
import { flagsOf, VERBS } from '../../main/cli/verbs';

describe('each verb’s usage line', () => {
  it('names every flag the verb takes (--data-dir, common to all, aside)', () => {
    const missing = Object.entries(VERBS).flatMap(([verb, spec]) =>
      Object.keys(spec.flags)
        .filter((flag) => flag !== 'data-dir' && !spec.usage.includes(`--${flag}`))
        .map((flag) => `${verb} --${flag}`),
    );
    expect(missing).toEqual([]);
  });

  it('is the one the README’s table of verbs shows, so the README names every flag too', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## The CLI'), readme.indexOf('`--answers FILE` is'));
    // `secrets` has two forms in one usage line; the README gives each its own row.
    const forms = Object.values(VERBS).flatMap((spec) =>
      spec.usage.split(' | nixstrap ').map((form, i) => (i ? `nixstrap ${form}` : form)),
    );
    const absent = forms.filter((form) => !table.includes(`\`${form.replaceAll('|', '\\|')}\``));
    expect(absent).toEqual([]);
    const named = [...table.matchAll(/`nixstrap ([a-z-]+)/g)].map((match) => match[1]);
    expect(named.filter((verb) => !Object.hasOwn(VERBS, String(verb)))).toEqual([]);
  });

  it('gives --data-dir the default the README gives, every variable it reads in the same order', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
    const sentence = readme.slice(readme.indexOf('Every verb takes `--data-dir DIR`'));
    const variables = (text: string) => [...text.matchAll(/\$([A-Z_]+)/g)].map((match) => match[1]);
    const readmeDefault = sentence.slice(0, sentence.indexOf(')'));
    expect(variables(readmeDefault)).toEqual(['NIXSTRAP_DATA_DIR', 'XDG_DATA_HOME']);
    for (const spec of Object.values(VERBS)) {
      expect(variables(flagsOf(spec)['data-dir']?.help ?? '')).toEqual(variables(readmeDefault));
    }
  });

  it('says serve --keep-seconds times what the README says asks Keep this configuration?', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
    const asked = readme.match(
      /A ([a-z,\s]+?)\s+made from the app asks \*Keep this configuration\?\*/,
    );
    const what = asked?.[1]?.replace(/\s+/g, ' ');
    expect(what).toBeDefined();
    const serve = VERBS.serve;
    expect(serve).toBeDefined();
    const help = serve ? (flagsOf(serve)['keep-seconds']?.help ?? '') : '';
    expect(help).toContain(`after a ${what} from the app`);
  });
});

describe('each verb’s help', () => {
  it('puts every flag’s help in one column, two spaces at least after the longest flag', () => {
    const ragged = Object.entries(VERBS).filter(([verb, spec]) => {
      const lines = verbHelp(verb, spec)
        .split('\n')
        .filter((line) => line.startsWith('  --'));
      const columns = lines.map((line) => /^ {2}--\S+(?: [A-Z]\S*)? {2,}/.exec(line)?.[0].length);
      return columns.some((column) => column === undefined || column !== columns[0]);
    });
    expect(ragged.map(([verb]) => verb)).toEqual([]);
  });
});
