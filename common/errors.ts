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
  'NOT_YET_AVAILABLE',
  'USAGE',
  'FIXTURE_INVALID',
  'DETECTION_FAILED',
  'UNSUPPORTED_PLATFORM',
  'ANSWERS_INVALID',
  'ANSWERS_UNREADABLE',
  'PASSWORD_INVALID',
  'ACCESS_LOCKED_OUT',
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
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
