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
