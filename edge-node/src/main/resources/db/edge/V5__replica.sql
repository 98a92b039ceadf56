-- The replica of the hub (issue #7): what the hub holds, kept apart from the station's view.
-- The bag table stays the station's view (hub state with this dock's pending ops replayed on
-- top), so the scan path reads and writes exactly what it did before: nothing here costs a scan a
-- page.

-- Every bag as the hub holds it; only sync writes here (pulled changes and snapshots).
create table hub_bag (
  code varchar(64) primary key,
  role varchar(6) not null,
  expected_count integer,
  limit_count integer not null,
  child_count integer not null default 0,
  parent_code varchar(64),
  finished integer not null default 0,
  on_finalized_bill integer not null default 0
) without rowid;

-- A snapshot being loaded: filled in chunks, swapped into hub_bag only once its End line arrived,
-- so a stream that stops short leaves the old replica in force.
create table hub_bag_next (
  code varchar(64) primary key,
  role varchar(6) not null,
  expected_count integer,
  limit_count integer not null,
  child_count integer not null default 0,
  parent_code varchar(64),
  finished integer not null default 0,
  on_finalized_bill integer not null default 0
) without rowid;

-- Where sync stands; one row. Written by sync only, never by a scan.
create table sync_state (
  id integer primary key check (id = 1),
  -- the hub change-log position this replica has applied
  pull_cursor bigint not null default 0,
  -- 1 until a snapshot was loaded, and again when the hub no longer holds pull_cursor
  snapshot_required integer not null default 1,
  -- the highest seq of this edge's own ops seen in the pulled change log: ops after it are not in
  -- hub_bag yet, so the view replays them (acked or not) unless the hub refused them
  replica_seq bigint not null default 0,
  last_sync_at bigint,
  last_attempt_at bigint,
  online integer not null default 0,
  last_error varchar(1000)
);
insert into sync_state (id) values (1);

-- This dock's conflicts: the hub's record of an op it refused (or let stand with a difference).
create table conflict (
  id bigint primary key,
  edge_id varchar(64),
  op_seq bigint not null,
  code varchar(40) not null,
  message varchar(1000) not null,
  op_type varchar(20) not null,
  parent varchar(64),
  child varchar(64),
  other_parent varchar(64),
  other_dock varchar(64),
  actor varchar(64),
  station varchar(64),
  hub_at bigint,
  -- 1 when the op stood anyway (a different expected count): the view keeps it
  op_applied integer not null default 0,
  -- null while open on the hub; MOVE, KEEP or DISMISS once an admin closed it
  resolution varchar(10),
  acknowledged_at bigint,
  acknowledged_by varchar(64),
  -- when the hub took the acknowledgement (POST .../ack answered); null while it is still to send
  ack_sent_at bigint,
  -- the full conflict.v1 payload, once it arrived
  conflict_json varchar(8000)
);

-- Where a view rebuild after a snapshot got to (the last code done), null when none is under way:
-- a process stopped in the middle goes on from here.
alter table sync_state add column rebuild_from varchar(64);
