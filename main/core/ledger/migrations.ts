/**
 * The ledger's schema as numbered migrations: migration N brings `PRAGMA user_version` from
 * N-1 to N inside one transaction. Never edit a migration that has shipped; add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL UNIQUE,
    kind TEXT CHECK (kind IN ('nixos', 'nix-darwin', 'home-manager')),
    nix_impl TEXT,
    nix_version TEXT,
    created_at TEXT NOT NULL
  );

  CREATE TABLE answers_snapshots (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    answers_json TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('rebuild', 'rollback')),
    action TEXT NOT NULL,
    status TEXT NOT NULL
      CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    target_id INTEGER REFERENCES targets(id),
    host TEXT,
    repo TEXT,
    commit_id TEXT,
    dirty INTEGER,
    argv TEXT NOT NULL,
    answers_id INTEGER REFERENCES answers_snapshots(id),
    pid INTEGER,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    store_path TEXT,
    generation INTEGER,
    from_generation INTEGER,
    exit_code INTEGER,
    error_json TEXT,
    log_path TEXT
  );
  CREATE INDEX runs_started ON runs (started_at);
  CREATE INDEX runs_store_path ON runs (store_path);

  CREATE TABLE run_phases (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    phase TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('started', 'succeeded', 'failed', 'skipped')),
    exit_code INTEGER,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    PRIMARY KEY (run_id, phase)
  );

  CREATE TABLE generations (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES targets(id),
    number INTEGER NOT NULL,
    store_path TEXT NOT NULL,
    present INTEGER NOT NULL DEFAULT 1,
    created_at TEXT,
    first_seen_at TEXT NOT NULL,
    vanished_at TEXT,
    run_id TEXT REFERENCES runs(id),
    kind TEXT CHECK (kind IN ('nixos', 'nix-darwin', 'home-manager')),
    nixos_version TEXT,
    kernel_version TEXT,
    configuration_revision TEXT,
    closure_bytes INTEGER,
    UNIQUE (target_id, number, store_path)
  );
  CREATE INDEX generations_target ON generations (target_id, number);

  CREATE TABLE activations (
    id INTEGER PRIMARY KEY,
    generation_id INTEGER NOT NULL REFERENCES generations(id),
    run_id TEXT REFERENCES runs(id),
    event TEXT NOT NULL
      CHECK (event IN ('switched', 'booted', 'tested', 'rolled-back', 'auto-reverted', 'confirmed')),
    at TEXT NOT NULL
  );

  CREATE TABLE closure_diffs (
    from_store_path TEXT NOT NULL,
    to_store_path TEXT NOT NULL,
    report_json TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (from_store_path, to_store_path)
  );
  `,
  // 2: what the profile, the running system and the booted system point at, as of the last
  // reconcile, so a listing needs no file system walk to mark them.
  `
  ALTER TABLE targets ADD COLUMN current_generation_id INTEGER REFERENCES generations(id);
  ALTER TABLE targets ADD COLUMN running_generation_id INTEGER REFERENCES generations(id);
  ALTER TABLE targets ADD COLUMN booted_generation_id INTEGER REFERENCES generations(id);
  ALTER TABLE targets ADD COLUMN reconciled_at TEXT;
  CREATE INDEX generations_store_path ON generations (store_path);
  CREATE INDEX activations_generation ON activations (generation_id, at);
  `,
  // 3: the profile folder's mtime as of the last full read (while it stands still no link was
  // made or removed, so a listing need not read 2,000 links again), and the host a system's
  // store name carries, so a listing is one query.
  `
  ALTER TABLE targets ADD COLUMN profile_stamp TEXT;
  ALTER TABLE generations ADD COLUMN host TEXT;
  `,
  // 4: "Keep this configuration?" trials and the process watching each, so a trial whose
  // process died (a switch that took the desktop, and the app, down with it) is taken up by the
  // next Nixstrap to start instead of being forgotten.
  `
  CREATE TABLE keep_trials (
    profile TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    generation INTEGER NOT NULL,
    revert_to INTEGER NOT NULL,
    deadline TEXT NOT NULL,
    pid INTEGER NOT NULL
  );
  `,
  // 5: each write of a host's answers to a repo (init, add-host, an update), so a machine coming
  // back to its host is offered the answers it was last written with.
  `
  CREATE TABLE writes (
    id INTEGER PRIMARY KEY,
    repo TEXT NOT NULL,
    host TEXT NOT NULL,
    commit_id TEXT,
    answers_id INTEGER NOT NULL REFERENCES answers_snapshots(id),
    written_at TEXT NOT NULL
  );
  CREATE INDEX writes_host ON writes (repo, host, written_at);
  `,
  // 6: the machine that recorded each run and trial, for data folders two machines share (a home
  // folder on NFS): a pid is looked up only on the machine it came from, and each machine has its
  // own trial of the same profile path. '' for trials from before: they count as this machine's.
  // And the boot and start time of the process of a run or trial, so a pid reused after a crash
  // and a reboot is not taken for it.
  `
  ALTER TABLE runs ADD COLUMN machine TEXT;
  ALTER TABLE runs ADD COLUMN boot_id TEXT;
  ALTER TABLE runs ADD COLUMN process_started TEXT;
  CREATE TABLE keep_trials_by_machine (
    machine TEXT NOT NULL DEFAULT '',
    profile TEXT NOT NULL,
    run_id TEXT NOT NULL,
    generation INTEGER NOT NULL,
    revert_to INTEGER NOT NULL,
    deadline TEXT NOT NULL,
    pid INTEGER NOT NULL,
    boot_id TEXT,
    process_started TEXT,
    PRIMARY KEY (machine, profile)
  );
  INSERT INTO keep_trials_by_machine (profile, run_id, generation, revert_to, deadline, pid)
    SELECT profile, run_id, generation, revert_to, deadline, pid FROM keep_trials;
  DROP TABLE keep_trials;
  ALTER TABLE keep_trials_by_machine RENAME TO keep_trials;
  `,
  // 7: how a trial goes back: a switch, or for a generation tried until the next reboot a test of
  // the one that ran before, which leaves the profile and the boot default alone as the try did.
  `
  ALTER TABLE keep_trials ADD COLUMN revert_action TEXT NOT NULL DEFAULT 'switch'
    CHECK (revert_action IN ('switch', 'test'));
  `,
  // 8: the subject of the commit a run built and the branch it was on, so a generation is told
  // by what changed ("Add the desk host"), not only by its commit id.
  `
  ALTER TABLE runs ADD COLUMN commit_subject TEXT;
  ALTER TABLE runs ADD COLUMN branch TEXT;
  `,
  // 9: a run may delete generations ('delete'). SQLite cannot widen a CHECK in place, so the
  // table is remade with its rows, every column copied by name.
  `
  CREATE TABLE runs_9 (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('rebuild', 'rollback', 'delete')),
    action TEXT NOT NULL,
    status TEXT NOT NULL
      CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    target_id INTEGER REFERENCES targets(id),
    host TEXT,
    repo TEXT,
    commit_id TEXT,
    dirty INTEGER,
    argv TEXT NOT NULL,
    answers_id INTEGER REFERENCES answers_snapshots(id),
    pid INTEGER,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    store_path TEXT,
    generation INTEGER,
    from_generation INTEGER,
    exit_code INTEGER,
    error_json TEXT,
    log_path TEXT,
    machine TEXT,
    boot_id TEXT,
    process_started TEXT,
    commit_subject TEXT,
    branch TEXT
  );
  INSERT INTO runs_9 (
    id, kind, action, status, target_id, host, repo, commit_id, dirty, argv, answers_id,
    pid, started_at, ended_at, store_path, generation, from_generation, exit_code,
    error_json, log_path, machine, boot_id, process_started, commit_subject, branch)
  SELECT
    id, kind, action, status, target_id, host, repo, commit_id, dirty, argv, answers_id,
    pid, started_at, ended_at, store_path, generation, from_generation, exit_code,
    error_json, log_path, machine, boot_id, process_started, commit_subject, branch
  FROM runs;
  DROP TABLE runs;
  ALTER TABLE runs_9 RENAME TO runs;
  CREATE INDEX runs_started ON runs (started_at);
  CREATE INDEX runs_store_path ON runs (store_path);
  `,
  // 10: the flake inputs a rebuild built from, as its flake.lock pinned them after the build, so
  // a generation says which nixpkgs it was made of and what moved between two; and the lock's
  // text (NULL when unreadable or too large), as the record of everything else it pinned.
  `
  ALTER TABLE runs ADD COLUMN flake_lock TEXT;
  CREATE TABLE run_inputs (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    source TEXT NOT NULL,
    rev TEXT,
    last_modified TEXT,
    nar_hash TEXT,
    PRIMARY KEY (run_id, name)
  );
  `,
  // 11: the specialisations a NixOS generation holds (a JSON object, name → resolved store path;
  // null until read), and which of them runs and booted: /run/current-system then points at the
  // specialisation's own store path, no generation's. The stamp is cleared so the next look reads
  // every link again and fills in the generations already listed. A trial goes back to the
  // specialisation that ran before it, when one did.
  `
  ALTER TABLE generations ADD COLUMN specialisations TEXT;
  ALTER TABLE targets ADD COLUMN running_specialisation TEXT;
  ALTER TABLE targets ADD COLUMN booted_specialisation TEXT;
  UPDATE targets SET profile_stamp = NULL;
  ALTER TABLE keep_trials ADD COLUMN revert_specialisation TEXT;
  `,
  // 12: whether the flake.lock a rebuild built with was written by that build and is not in the
  // recorded commit (a first build, an input added to flake.nix): the commit alone then does not
  // reproduce the generation. NULL for runs from before, which did not look.
  `
  ALTER TABLE runs ADD COLUMN lock_written INTEGER;
  `,
  // 13: each machine its own targets, for data folders two machines share (a home folder on NFS):
  // both have /nix/var/nix/profiles/system, and each must not take the other's generations for
  // deleted ones. '' for targets from before: the first machine to look claims them. SQLite
  // cannot change a UNIQUE in place, so the table is remade with its rows, ids kept.
  `
  CREATE TABLE targets_13 (
    id INTEGER PRIMARY KEY,
    machine TEXT NOT NULL DEFAULT '',
    profile TEXT NOT NULL,
    kind TEXT CHECK (kind IN ('nixos', 'nix-darwin', 'home-manager')),
    nix_impl TEXT,
    nix_version TEXT,
    created_at TEXT NOT NULL,
    current_generation_id INTEGER REFERENCES generations(id),
    running_generation_id INTEGER REFERENCES generations(id),
    booted_generation_id INTEGER REFERENCES generations(id),
    reconciled_at TEXT,
    profile_stamp TEXT,
    running_specialisation TEXT,
    booted_specialisation TEXT,
    UNIQUE (machine, profile)
  );
  INSERT INTO targets_13 (
    id, profile, kind, nix_impl, nix_version, created_at, current_generation_id,
    running_generation_id, booted_generation_id, reconciled_at, profile_stamp,
    running_specialisation, booted_specialisation)
  SELECT
    id, profile, kind, nix_impl, nix_version, created_at, current_generation_id,
    running_generation_id, booted_generation_id, reconciled_at, profile_stamp,
    running_specialisation, booted_specialisation
  FROM targets;
  DROP TABLE targets;
  ALTER TABLE targets_13 RENAME TO targets;
  `,
  // 14: for a run whose build wrote flake.lock, whether other tracked files differed from the
  // commit too: once Nixstrap commits that lock (commit-lock), the run was built from the new
  // commit exactly when nothing else did. NULL where the build wrote no lock, and for runs from
  // before, which did not look.
  `
  ALTER TABLE runs ADD COLUMN dirty_beside_lock INTEGER;
  `,
  // 15: the sha256 of the flake.lock a run built with, whatever its size: a lock too big to keep
  // as text (over 256 KB) can still be told to be the one the build used, and so committed.
  // NULL for runs from before, which keep only the text, when small.
  `
  ALTER TABLE runs ADD COLUMN flake_lock_sha256 TEXT;
  `,
  // 16: the keep watch that asks about each trial (one per shell: the app, a \`serve\`) and that
  // shell, beside its process: every Nixstrap on the data folder lists the others' trials and can
  // keep them, the owner looks here before it goes back, and a rollback or switch from elsewhere
  // is refused, naming who asks, while the trial waits. NULL for trials from before: they belong
  // to no watch running now.
  `
  ALTER TABLE keep_trials ADD COLUMN watcher TEXT;
  ALTER TABLE keep_trials ADD COLUMN shell TEXT;
  `,
];
