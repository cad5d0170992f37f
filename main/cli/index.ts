import fs from 'node:fs';
import { runCli } from './run';
import { readSecretLine } from './secret-line';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readStdin: () => fs.readFileSync(0, 'utf8'),
  terminal: process.stdin.isTTY === true,
  readSecret: readSecretLine,
});
process.exitCode = code;
