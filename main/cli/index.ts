import { runCli } from './run';

// A reader that stops early (`nixstrap generations | head`) closes the pipe: that is the
// reader's choice, not a failure, so the rest of the output is dropped quietly, as `ls` does.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
process.exitCode = code;
