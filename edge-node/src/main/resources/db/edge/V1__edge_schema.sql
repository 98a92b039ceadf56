-- The dock's store: a replica of the bags it works on, its outbox of ops, and its local users.
-- Times are epoch milliseconds (bigint): SQLite has no timestamp type and the edge never does
-- date arithmetic in SQL.

create table edge_meta (
  id integer primary key check (id = 1),
  edge_id varchar(64) not null,
  dock varchar(64) not null,
  created_at bigint not null,
  -- The last op's seq and hybrid-logical-clock stamp live in the outbox's last row, written in
  -- the same transaction as the op, so they stay monotonic across restarts and processes without
  -- an extra page per scan. These floors take over only if the outbox is ever pruned.
  seq_floor bigint not null,
  hlc_floor_wall bigint not null,
  hlc_floor_logical integer not null,
  -- the hub has applied (or answered) every op up to here; pending ops = last seq - acked_seq
  acked_seq bigint not null default 0,
  -- set once the hub has sent this dock its users; from then on unknown names are refused
  users_from_hub integer not null default 0
);

create table bag (
  code varchar(64) primary key,
  role varchar(6) not null check (role in ('PARENT', 'CHILD')),
  expected_count integer,
  limit_count integer not null,
  child_count integer not null default 0,
  finished_by varchar(64),
  finished_at bigint,
  on_finalized_bill integer not null default 0,
  created_at bigint not null,
  created_by varchar(64) not null,
  created_station varchar(64) not null,
  -- for children: the link, who made it, where and when (undo finds a station's last standing
  -- link through its scan log, so no index here costs every scan a page)
  parent_code varchar(64),
  linked_at bigint,
  linked_by varchar(64),
  linked_station varchar(64),
  link_seq bigint
) without rowid;
-- No index on parent_code: nothing on the dock looks children up by parent (a parent's count is
-- kept on its row), and every index would cost every scan another page in its fsync.

-- Every op, in seq order: what the hub receives (op_json, the versioned wire form) and the dock's
-- own record of the scan that made it (station, actor, the bag it is about, the sentence shown).
-- Append-only: a row is never updated. What the hub made of each op is kept apart (sync), and
-- edge_meta.acked_seq says how far it got, so a scan writes no index page here but the key's.
create table outbox (
  seq bigint primary key,
  op_type varchar(20) not null,
  op_json varchar(16384) not null,
  hlc_wall bigint not null,
  hlc_logical integer not null,
  created_at bigint not null,
  station varchar(64) not null,
  actor varchar(64) not null,
  bag_code varchar(64) not null,
  message varchar(300) not null
);

-- Scans that produced no op: refusals, re-scans of a known parent, commands with nothing to
-- change. (Scans that produced an op are recorded once, in the outbox; invalid input is never
-- stored.) No secondary index on purpose: each costs every scan a page in its fsync; a
-- station's recent scans are read newest-first from the end of the table.
create table scan_log (
  id integer primary key,
  at bigint not null,
  station varchar(64) not null,
  actor varchar(64) not null,
  code varchar(64) not null,
  outcome varchar(10) not null,
  reason varchar(40),
  message varchar(300) not null,
  parent_code varchar(64)
);

create table local_user (
  name varchar(64) primary key,
  role varchar(12) not null,
  password_hash varchar(255),
  source varchar(5) not null check (source in ('LOCAL', 'HUB')),
  disabled integer not null default 0,
  failed_attempts integer not null default 0,
  locked_until bigint,
  created_at bigint not null
);

-- A station's parent and pending finish; written when they change, not on every scan.
create table station (
  name varchar(64) primary key,
  signed_in_user varchar(64),
  parent_code varchar(64),
  pending_finish_at bigint,
  last_activity_at bigint not null
);

create table station_session (
  token_hash varchar(64) primary key,
  station varchar(64) not null,
  user_name varchar(64) not null,
  created_at bigint not null,
  last_seen_at bigint not null
);
