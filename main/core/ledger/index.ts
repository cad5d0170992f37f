export { LEDGER_FILE, type Ledger, makeDataDir, openLedger } from './database';
export { cachedClosureChanges } from './diff';
export { readGenerationContents } from './generation-contents';
export {
  currentGeneration,
  findGeneration,
  generationId,
  listGenerations,
  listGenerationsJson,
} from './generations';
export {
  compareGenerations,
  type GenerationComparison,
  generationHistory,
  requireGeneration,
} from './history';
export {
  type HostWrite,
  type RecordedAnswers,
  recordedAnswers,
  recordWrite,
} from './host-answers';
export { type MovedAsideLedger, movedAsideLedgers } from './moved-aside';
export { takeLedgerNotices } from './notices';
export { readProfile, resolveSystemLink, SYSTEM_PROFILE } from './profile-links';
export { type ReconcileOptions, type ReconcileReport, reconcileProfile } from './reconcile';
export { createRunStore, type NewRun, type RunEnd, type RunStore, targetId } from './runs';
