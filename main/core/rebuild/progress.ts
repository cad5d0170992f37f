import type { Counts, Progress } from '../../../common';
import { ACTIVITY, type ResultName } from './codes';
import type { NixRecord } from './nix-log';
import { stripAnsi } from './text';

/** How many of a derivation's last log lines are kept to explain its failure. */
const LOG_TAIL = 25;
/** How many derivations' logs are kept (the failing one is among the latest). */
const LOGS_KEPT = 200;
/** Activities whose last Progress is a total, kept after they stop. */
const AGGREGATES = new Set<number>([ACTIVITY.realise, ACTIVITY.copyPaths, ACTIVITY.builds]);

/** Progress before Nix has reported anything. */
export const EMPTY_PROGRESS: Progress = {
  builds: { done: 0, expected: 0, running: 0, failed: 0 },
  downloads: { done: 0, expected: 0, running: 0, failed: 0 },
  bytes: { downloaded: 0, expectedDownload: 0, copied: 0, expectedCopy: 0 },
  current: null,
};

export interface Activity {
  type: number;
  text: string;
  /** Build (105) activities: the derivation and its short name. */
  drv: string | null;
  name: string | null;
  phase: string | null;
  /** The latest Progress fields; bytes for transfers and copies, counts for aggregates. */
  progress: number[];
  /** Realise (102): expected bytes by activity type (101 download, 100 NAR). */
  expected: Map<number, number>;
}

export interface BuildFailure {
  drv: string;
  name: string;
  logTail: string[];
}

/** `/nix/store/<hash>-hello-2.12.drv` → `hello-2.12`. */
export function drvName(path: string): string {
  return path.replace(/^.*\/[0-9a-z]{32}-/, '').replace(/\.drv$/, '');
}

const DRV = /\/nix\/store\/[0-9a-z]{32}-[^'"\s]+\.drv/;
const FAILED_DRV = [
  /builder for '([^']+\.drv)' failed/,
  /Cannot build '([^']+\.drv)'/,
  /hash mismatch in fixed-output derivation '([^']+\.drv)'/,
];

function counts(fields: number[] | undefined): Counts {
  return {
    done: fields?.[0] ?? 0,
    expected: fields?.[1] ?? 0,
    running: fields?.[2] ?? 0,
    failed: fields?.[3] ?? 0,
  };
}

function addCounts(a: Counts, b: Counts): Counts {
  return {
    done: a.done + b.done,
    expected: a.expected + b.expected,
    running: a.running + b.running,
    failed: a.failed + b.failed,
  };
}

/**
 * Progress as Nix's own progress bar derives it from the records: build and download counts
 * from the aggregate activities, bytes from transfers and Realise's expectations, the
 * derivation being built and its phase, and each derivation's last log lines.
 */
export class ProgressModel {
  readonly activities = new Map<number, Activity>();
  /** Error messages (level 0), ANSI removed, in order. */
  readonly errors: string[] = [];
  /** What a dry run (or Nix's plan before building) says will be built and fetched. */
  readonly planned = { build: [] as string[], fetch: [] as string[] };
  private readonly logs = new Map<string, string[]>();
  private failedDrv: string | null = null;
  private plannedList: 'build' | 'fetch' | null = null;
  private currentId: number | null = null;
  private readonly finishedBytes = { downloaded: 0, copied: 0 };
  /** Bumped on every change, so a caller can tell whether to publish a snapshot. */
  version = 0;

  constructor(private readonly results: Record<number, ResultName>) {}

  apply(record: NixRecord): void {
    switch (record.action) {
      case 'start':
        this.start(record);
        break;
      case 'stop':
        if (!this.stop(record.id)) return;
        break;
      case 'result':
        this.result(record.id, this.results[record.type], record.fields);
        break;
      case 'msg':
        this.message(record.level, stripAnsi(record.msg));
        return;
      default:
        return;
    }
    this.version++;
  }

  private start(record: Extract<NixRecord, { action: 'start' }>): void {
    const drv =
      record.type === ACTIVITY.build && typeof record.fields?.[0] === 'string'
        ? record.fields[0]
        : null;
    this.activities.set(record.id, {
      type: record.type,
      text: record.text,
      drv,
      name: drv ? drvName(drv) : null,
      phase: null,
      progress: [],
      expected: new Map(),
    });
    if (drv) this.currentId = record.id;
  }

  /** Aggregates stay (their last counts are the totals); finished transfers fold into sums. */
  private stop(id: number): boolean {
    const activity = this.activities.get(id);
    if (!activity) return false;
    // Nix sends no last Progress before it stops a transfer: a finished one moved all it expected.
    const moved = Math.max(activity.progress[0] ?? 0, activity.progress[1] ?? 0);
    if (activity.type === ACTIVITY.fileTransfer) this.finishedBytes.downloaded += moved;
    if (activity.type === ACTIVITY.copyPath) this.finishedBytes.copied += moved;
    if (!AGGREGATES.has(activity.type)) this.activities.delete(id);
    if (id === this.currentId) this.currentId = this.latestRunningBuild();
    return true;
  }

  private result(id: number, name: ResultName | undefined, fields: (string | number)[]): void {
    const activity = this.activities.get(id);
    if (!activity || !name) return;
    switch (name) {
      case 'progress':
        activity.progress = fields as number[];
        break;
      case 'setExpected':
        activity.expected.set(fields[0] as number, fields[1] as number);
        break;
      case 'setPhase':
        activity.phase = String(fields[0]);
        break;
      case 'buildLogLine':
      case 'postBuildLogLine':
        if (activity.drv) this.appendLog(activity.drv, String(fields[0]));
        break;
      default:
        break;
    }
  }

  private appendLog(drv: string, line: string): void {
    let lines = this.logs.get(drv);
    if (!lines) {
      lines = [];
      this.logs.set(drv, lines);
    }
    lines.push(stripAnsi(line));
    if (lines.length > LOG_TAIL) lines.shift();
    if (this.logs.size > LOGS_KEPT) this.logs.delete(this.logs.keys().next().value as string);
  }

  private message(level: number, text: string): void {
    if (level === 0) {
      const header = /^(?:these \d+ derivations|this derivation) will be built:/.test(text)
        ? 'build'
        : /^(?:these \d+ paths|this path) will be fetched/.test(text)
          ? 'fetch'
          : null;
      if (header) {
        this.plannedList = header;
        return;
      }
      if (this.plannedList && /^\s+\/nix\/store\//.test(text)) {
        this.planned[this.plannedList].push(text.trim());
        return;
      }
      this.plannedList = null;
      this.errors.push(text);
      if (!this.failedDrv) {
        for (const pattern of FAILED_DRV) {
          const drv = pattern.exec(text)?.[1];
          if (drv) this.failedDrv = drv;
        }
      }
      this.version++;
    }
  }

  private latestRunningBuild(): number | null {
    let latest: number | null = null;
    for (const [id, activity] of this.activities) {
      if (activity.drv) latest = id;
    }
    return latest;
  }

  /** The derivation whose builder failed, with its last log lines; null when none did. */
  failure(): BuildFailure | null {
    const drv = this.failedDrv ?? this.errors.map((e) => DRV.exec(e)?.[0]).find(Boolean) ?? null;
    if (!drv) return null;
    return { drv, name: drvName(drv), logTail: [...(this.logs.get(drv) ?? [])] };
  }

  snapshot(): Progress {
    let builds = counts(undefined);
    let downloads = counts(undefined);
    const bytes = { ...this.finishedBytes, expectedDownload: 0, expectedCopy: 0 };
    for (const activity of this.activities.values()) {
      switch (activity.type) {
        case ACTIVITY.builds:
          builds = addCounts(builds, counts(activity.progress));
          break;
        case ACTIVITY.copyPaths:
          downloads = addCounts(downloads, counts(activity.progress));
          break;
        case ACTIVITY.fileTransfer:
          bytes.downloaded += activity.progress[0] ?? 0;
          break;
        case ACTIVITY.copyPath:
          bytes.copied += activity.progress[0] ?? 0;
          break;
        case ACTIVITY.realise:
          bytes.expectedDownload += activity.expected.get(ACTIVITY.fileTransfer) ?? 0;
          bytes.expectedCopy += activity.expected.get(ACTIVITY.copyPath) ?? 0;
          break;
        default:
          break;
      }
    }
    const current = this.currentId === null ? null : this.activities.get(this.currentId);
    return {
      builds,
      downloads,
      bytes,
      current:
        current?.drv && current.name
          ? { drv: current.drv, name: current.name, phase: current.phase }
          : null,
    };
  }
}
