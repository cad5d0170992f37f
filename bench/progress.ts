import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { RESULT_CODES } from '../main/core/rebuild/codes';
import { NixLogParser, ProgressModel } from '../main/core/rebuild/index';
import { renderRecord } from '../main/core/rebuild/render';

/**
 * The record parser's throughput on a large log: real `nix build --log-format internal-json -v`
 * output captured through a pty here (builds, a failure, a binary-cache substitution), repeated
 * to about 100 MB and fed in 64 KiB chunks as a pty delivers them. Target: 100 MB/s.
 */
const TARGET_MB_S = 100;
const SIZE = 100 * 1024 * 1024;
const CHUNK = 64 * 1024;
const RUNS = 5;

const logs = path.join(import.meta.dirname, '../test/fixtures/nix-logs');
const sample = Buffer.concat(
  ['build-success.pty.log', 'substitute.pty.log', 'build-failure.pty.log'].map((file) =>
    fs.readFileSync(path.join(logs, file)),
  ),
);
const log = Buffer.concat(Array.from({ length: Math.ceil(SIZE / sample.length) }, () => sample));
const chunks: Buffer[] = [];
for (let offset = 0; offset < log.length; offset += CHUNK) {
  chunks.push(log.subarray(offset, offset + CHUNK));
}
const megabytes = log.length / 1024 / 1024;

/**
 * Best of RUNS, as wall-clock MB/s and as MB per CPU-second: on a machine shared with other
 * work the wall clock counts time spent waiting for a core, the CPU time only the parsing.
 */
function best(label: string, pass: () => number): number {
  const wall: number[] = [];
  const cpu: number[] = [];
  let count = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const usage = process.cpuUsage();
    count = pass();
    const used = process.cpuUsage(usage);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  const rate = (ms: number) => megabytes / (ms / 1000);
  const cpuRate = rate(Math.min(...cpu));
  console.log(
    `${label.padEnd(38)} ${rate(Math.min(...wall))
      .toFixed(0)
      .padStart(5)} MB/s wall  ${cpuRate.toFixed(0).padStart(5)} MB/s CPU  (${count} items)`,
  );
  return cpuRate;
}

console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${os.cpus().length} cores`,
);
console.log(
  `${megabytes.toFixed(0)} MiB of real Nix 2.8 records, ${chunks.length} chunks of 64 KiB, best of ${RUNS}`,
);

const baseline = best('decode UTF-8 + split lines (floor)', () => {
  const decoder = new StringDecoder('utf8');
  let lines = 0;
  for (const chunk of chunks) lines += decoder.write(chunk).split('\n').length - 1;
  return lines;
});

const parsed = best('records parsed (NixLogParser)', () => {
  let records = 0;
  const parser = new NixLogParser({ text: () => {}, record: () => records++ });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return records;
});

const modelled = best('parsed + progress model + rendering', () => {
  const model = new ProgressModel(RESULT_CODES.nix);
  let rendered = 0;
  const parser = new NixLogParser({
    text: (text) => {
      rendered += text.length;
    },
    record: (record) => {
      model.apply(record);
      rendered += renderRecord(record, model, RESULT_CODES.nix)?.length ?? 0;
    },
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return rendered;
});

// Activation and a stand-in's output reach the parser as plain lines, each looked at for a
// record after keys the terminal echoed: as many bytes of them as of records.
const plainLine =
  'restarting the following units: nix-daemon.service, systemd-journald.service\r\n';
const plain = Buffer.from(plainLine.repeat(Math.ceil(log.length / plainLine.length))).subarray(
  0,
  log.length,
);
const plainChunks: Buffer[] = [];
for (let at = 0; at < plain.length; at += CHUNK) plainChunks.push(plain.subarray(at, at + CHUNK));
const plainPassed = best('plain lines passed on (NixLogParser)', () => {
  let passed = 0;
  const parser = new NixLogParser({
    text: (text) => {
      passed += text.length;
    },
    record: () => {},
  });
  for (const chunk of plainChunks) parser.push(chunk);
  parser.end();
  return passed;
});

console.log(`ratios on CPU time: parser / floor ${(parsed / baseline).toFixed(2)}`);
console.log(`  plain lines / floor ${(plainPassed / baseline).toFixed(2)}`);
console.log(`  parser / ${TARGET_MB_S} MB/s target ${(parsed / TARGET_MB_S).toFixed(2)}`);
console.log(`  whole pipeline / ${TARGET_MB_S} MB/s target ${(modelled / TARGET_MB_S).toFixed(2)}`);
