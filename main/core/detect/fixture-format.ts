import { z } from 'zod';

/** `machine.json` of a captured machine (FIXTURES.md). */
export const FixtureMachineSchema = z.strictObject({
  platform: z.string().min(1),
  arch: z.string().min(1),
  release: z.string(),
  hostName: z.string(),
  userName: z.string(),
  env: z.record(z.string(), z.string()).default({}),
});
export type FixtureMachine = z.infer<typeof FixtureMachineSchema>;

export const FixtureCommandsSchema = z.record(
  z.string(),
  z.strictObject({ stdout: z.string(), exitCode: z.number().int() }),
);
export type FixtureCommands = z.infer<typeof FixtureCommandsSchema>;

export const FIXTURE_MACHINE_FILE = 'machine.json';
export const FIXTURE_COMMANDS_FILE = 'commands.json';
export const FIXTURE_ROOT_DIR = 'root';

/**
 * A file detection reads as bytes (Probe.readBytes: `/etc/hostid`) is kept in a fixture at its
 * own path as hex text, two lowercase digits a byte and a final newline (`efbeadde`), so the
 * capture stays readable and diffable; FIXTURES.md's other files are kept as they are.
 */
export function bytesToFixtureText(bytes: Uint8Array): string {
  return `${Buffer.from(bytes).toString('hex')}\n`;
}

/** The bytes of a fixture's hex text, or null when it is not hex pairs (a hand-edited file). */
export function fixtureTextToBytes(text: string): Uint8Array | null {
  const hex = text.trim();
  return /^(?:[0-9a-fA-F]{2})*$/.test(hex) ? new Uint8Array(Buffer.from(hex, 'hex')) : null;
}
