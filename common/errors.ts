import { z } from 'zod';

/**
 * Every failure the engine can report. Codes are part of the public contract:
 * scripts and tests match on them, people read the sentence next to them.
 */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'UNKNOWN_CHANNEL',
  'UNAUTHORIZED',
  'FORBIDDEN_ORIGIN',
  'CONNECTION_LOST',
  'TIMED_OUT',
  'NOT_YET_AVAILABLE',
  'USAGE',
  'FIXTURE_INVALID',
  'DETECTION_FAILED',
  'UNSUPPORTED_PLATFORM',
  'ANSWERS_INVALID',
  'ANSWERS_UNREADABLE',
  'REPO_NOT_FOUND',
  'REPO_EXISTS',
  'REPO_LAYOUT_UNKNOWN',
  'HOST_EXISTS',
  'HOST_NOT_FOUND',
  'FILE_CHANGED',
  'NIX_PARSE_ERROR',
  'NIX_NOT_INSTALLED',
  'CHECK_FAILED',
  'GIT_FAILED',
  'WRITE_FAILED',
  'LEDGER_TOO_NEW',
  'LEDGER_FAILED',
  'RUN_NOT_FOUND',
  'REBUILD_BUSY',
  'REBUILD_FAILED',
  'CANCELLED',
  'SECRETS_FILE_CORRUPT',
  'SECRETS_FOREIGN_ENCRYPTION',
  'SECRETS_MAC_MISMATCH',
  'SECRETS_NO_KEY',
  'SECRETS_KEY_INVALID',
  'SECRETS_CONFIG_INVALID',
  'SECRETS_CONFIG_UNCLEAR',
  'SECRET_NOT_FOUND',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
