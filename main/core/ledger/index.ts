export { LEDGER_FILE, type Ledger, openLedger } from './database';
export { createRunStore, type NewRun, type RunEnd, type RunStore, targetId } from './runs';
