-- Sync repairs (issue #14, the edge's half).

-- Settle points: a push reply says "every op up to last_seq is true in the hub's change log at
-- position". Once the pull cursor reaches that position, the dock's ops up to last_seq are in the
-- replica, also the ones the hub applied as no-ops (no entry of their own): replica_seq moves to
-- last_seq there, so the view never replays them again.
create table settle_point (
  position bigint primary key,
  last_seq bigint not null
);

-- The area of a bag as the hub said (null: not said, an older hub), and the dock's own area (from
-- the enrolment answer and hello): a scan onto a parent of another area is refused at the dock.
alter table hub_bag add column area varchar(64);
alter table hub_bag_next add column area varchar(64);
alter table edge_meta add column area varchar(64);

-- An entry of the change log this dock could not read: where and why (null when all is well),
-- and how many were skipped since the data folder was made.
alter table sync_state add column pull_error_position bigint;
alter table sync_state add column pull_error_reason varchar(1000);
alter table sync_state add column pull_errors_total bigint not null default 0;
-- When the dock found it was restored from a backup (the hub holds seqs of it it does not have).
alter table sync_state add column restore_detected_at bigint;
-- The latest sentence worth an operator's eye that is not an error (a restore handled, batches cut).
alter table sync_state add column notice varchar(1000);
-- Ops per push after the hub answered 413 (null: the full batch).
alter table sync_state add column push_limit integer;
