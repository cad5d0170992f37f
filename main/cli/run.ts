import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type {
  ApplyResult,
  Channel,
  CheckReport,
  Facts,
  Host,
  Journey,
  NixstrapError,
  Plan,
} from '../../common';
import { NixstrapFailure } from '../../common';
import { type Api, createApi } from '../api';
import { createLiveProbe, createRecordingProbe, detectFacts } from '../core/detect';
import { expandUserPath, packageVersion, resolveDataDir, resourcePath } from '../core/platform';
import { journeyFor } from '../core/repo';
import { startServer } from '../server';
import {
  formatApply,
  formatCheck,
  formatError,
  formatFacts,
  formatHosts,
  formatPlan,
} from './format';
import { hashPasswordVerb } from './hash-password';
import { VERBS, type VerbSpec } from './verbs';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): string;
  /** Whether standard input is a terminal, where a secret is typed twice without echo. */
  terminal: boolean;
  readSecret(prompt: string): Promise<string>;
}

type Flags = Record<string, string | boolean | undefined>;

function usageFailure(message: string, hint: string): NixstrapFailure {
  return new NixstrapFailure('USAGE', message, hint);
}

function helpText(): string {
  const width = Math.max(...Object.keys(VERBS).map((v) => v.length));
  const verbs = Object.entries(VERBS).map(
    ([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`,
  );
  return [
    'Nixstrap: bring this machine under Nix.',
    '',
    'Usage: nixstrap <verb> [flags]',
    '',
    ...verbs,
    '',
    'Run `nixstrap help <verb>` for the flags of one verb.',
  ].join('\n');
}

function verbHelp(name: string, spec: VerbSpec): string {
  const flags = Object.entries(spec.flags).map(
    ([flag, f]) => `  --${`${flag}${f.value ? ` ${f.value}` : ''}`.padEnd(18)} ${f.help}`,
  );
  return [`Usage: ${spec.usage}`, '', `${name}: ${spec.summary}`, '', ...flags].join('\n');
}

function parseFlags(verb: string, spec: VerbSpec, args: string[]): Flags {
  const options = Object.fromEntries(
    Object.entries(spec.flags).map(([name, f]) => [name, { type: f.type }]),
  );
  let values: Flags;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values as Flags;
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
    throw usageFailure(`${detail} (for \`nixstrap ${verb}\`).`, `Usage: ${spec.usage}`);
  }
  for (const name of spec.required ?? []) {
    if (values[name] === undefined) {
      throw usageFailure(`\`nixstrap ${verb}\` needs --${name}.`, `Usage: ${spec.usage}`);
    }
  }
  return values;
}

function readAnswers(file: string, io: Io): unknown {
  let text: string;
  try {
    text = file === '-' ? io.readStdin() : fs.readFileSync(expandUserPath(file), 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'it does not exist'
        : 'it cannot be read';
    throw new NixstrapFailure(
      'ANSWERS_UNREADABLE',
      `The answers file ${file} cannot be used: ${reason}.`,
      'Pass the path of a JSON file written by the wizard or by hand (see README).',
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new NixstrapFailure(
      'ANSWERS_UNREADABLE',
      `The answers file ${file} is not valid JSON (${detail}).`,
      'Check the file with `jq . FILE`.',
    );
  }
}

/** `--init` / `--add-host` when given, else what the repo folder implies for this host. */
async function planJourney(flags: Flags, repo: string, answers: unknown): Promise<Journey> {
  if (flags.init && flags['add-host']) {
    throw usageFailure(
      'Choose one of --init and --add-host.',
      'Without either, plan picks the journey from the repo folder.',
    );
  }
  if (flags.init) return 'init';
  if (flags['add-host']) return 'add-host';
  const hostName = (answers as { hostName?: unknown } | null)?.hostName;
  return journeyFor(expandUserPath(repo), typeof hostName === 'string' ? hostName : '');
}

async function call<T>(api: Api, channel: Channel, request: unknown): Promise<T> {
  const result = await api.call(channel, request);
  if (!result.ok)
    throw new NixstrapFailure(result.error.code, result.error.message, result.error.hint);
  return result.value as T;
}

function print(io: Io, flags: Flags, value: unknown, human: () => string): void {
  io.out(flags.json ? JSON.stringify(value, null, 2) : human());
}

async function capture(flags: Flags, io: Io): Promise<number> {
  const out = expandUserPath(String(flags.out));
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) {
    throw usageFailure(
      `${out} is not empty; capture writes into an absent or empty folder.`,
      'Choose a new folder, e.g. `nixstrap capture --out ./my-machine`.',
    );
  }
  const probe = createRecordingProbe(createLiveProbe());
  const facts = detectFacts(probe);
  let written: string[];
  try {
    written = probe.writeFixture(out);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new NixstrapFailure(
      'WRITE_FAILED',
      `The capture could not be written into ${out} (${reason}).`,
      'Choose a folder you can write to, such as ./my-machine.',
    );
  }
  for (const file of written) io.out(`wrote ${file}`);
  io.out(
    `Captured ${facts.kind} ${facts.system} into ${out} (${written.length} files). Replay with: nixstrap detect --fixture ${out}`,
  );
  return 0;
}

async function serve(flags: Flags, api: Api, io: Io): Promise<number> {
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usageFailure(
      `--port must be a number between 0 and 65535, not ${String(flags.port)}.`,
      'Omit --port to pick a free one.',
    );
  }
  const rendererDir = resourcePath('out', 'renderer');
  if (!fs.existsSync(rendererDir)) {
    throw new NixstrapFailure(
      'INTERNAL',
      'The user interface has not been built.',
      'Run `npm run build` in the Nixstrap folder, then try again.',
    );
  }
  const server = await startServer({
    api,
    port,
    host: (flags.bind as string | undefined) ?? '127.0.0.1',
    rendererDir,
  });
  io.out(`Nixstrap is running at ${server.url}`);
  io.err(
    'Open that address in a browser on this machine (or through an SSH tunnel). Press Ctrl-C to stop.',
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

async function dispatch(verb: string, flags: Flags, io: Io): Promise<number> {
  const dataDir = resolveDataDir(flags['data-dir'] as string | undefined);
  const fixture = flags.fixture as string | undefined;
  const api = createApi({
    shell: verb === 'serve' ? 'browser' : 'cli',
    dataDir,
    ...(fixture ? { fixture } : {}),
  });
  const repo = flags.repo as string | undefined;
  switch (verb) {
    case 'detect': {
      const facts = await call<Facts>(api, 'facts.detect', {});
      print(io, flags, facts, () => formatFacts(facts));
      return 0;
    }
    case 'capture':
      return capture(flags, io);
    case 'plan': {
      const answers = readAnswers(String(flags.answers), io);
      const plan = await call<Plan>(api, 'plan.compute', {
        journey: await planJourney(flags, String(repo), answers),
        repo,
        answers,
      });
      print(io, flags, plan, () => formatPlan(plan, true));
      return 0;
    }
    case 'init':
    case 'add-host': {
      const answers = readAnswers(String(flags.answers), io);
      const result = await call<ApplyResult>(api, 'plan.apply', {
        journey: verb,
        repo,
        answers,
        force: Boolean(flags.force),
      });
      print(io, flags, result, () => formatApply(result));
      return 0;
    }
    case 'hosts': {
      const hosts = await call<Host[]>(api, 'hosts.list', { repo });
      print(io, flags, hosts, () => formatHosts(hosts));
      return 0;
    }
    case 'check': {
      const report = await call<CheckReport>(api, 'repo.check', {
        repo,
        ...(flags.host ? { host: flags.host } : {}),
      });
      if (!report.nixAvailable) {
        throw new NixstrapFailure(
          'NIX_NOT_INSTALLED',
          'Nix is not installed here, so the .nix files cannot be parsed.',
          'Install Nix (https://nixos.org/download) and run the check again.',
        );
      }
      print(io, flags, report, () => formatCheck(report));
      return report.findings.length ? 1 : 0;
    }
    case 'rebuild':
      await call(api, 'rebuild.start', {
        repo,
        host: flags.host,
        ...(flags.action ? { action: flags.action } : {}),
      });
      return 0;
    case 'generations':
      await call(api, 'generations.list', flags.profile ? { profile: flags.profile } : {});
      return 0;
    case 'rollback':
      await call(api, 'generations.rollback', {
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags.to ? { to: Number(flags.to) } : {}),
      });
      return 0;
    case 'serve':
      return serve(flags, api, io);
    case 'hash-password':
      return hashPasswordVerb(api, io);
    default:
      throw usageFailure(`Unknown verb ${verb}.`, 'Run `nixstrap help` for the list of verbs.');
  }
}

/** Runs one CLI invocation; returns the exit code. Errors become one sentence and a hint on stderr. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === 'help' || verb === '--help' || verb === '-h') {
    const topic = rest[0];
    const spec = topic ? VERBS[topic] : undefined;
    if (topic && !spec) {
      io.err(
        formatError({
          code: 'USAGE',
          message: `There is no verb called "${topic}".`,
          hint: 'Run `nixstrap help` for the list of verbs.',
        }),
      );
      return 2;
    }
    io.out(spec && topic ? verbHelp(topic, spec) : helpText());
    return 0;
  }
  if (verb === '--version' || verb === 'version') {
    io.out(packageVersion());
    return 0;
  }
  try {
    const spec = VERBS[verb];
    if (!spec)
      throw usageFailure(`Unknown verb "${verb}".`, 'Run `nixstrap help` for the list of verbs.');
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(verbHelp(verb, spec));
      return 0;
    }
    return await dispatch(verb, parseFlags(verb, spec, rest), io);
  } catch (error) {
    const failure: NixstrapError =
      error instanceof NixstrapFailure
        ? error.error
        : {
            code: 'INTERNAL',
            message: `Nixstrap hit an unexpected problem: ${error instanceof Error ? error.message : String(error)}`,
            hint: 'Please report it with the output of `nixstrap capture --out DIR` attached.',
          };
    io.err(formatError(failure));
    return failure.code === 'USAGE' ? 2 : 1;
  }
}
