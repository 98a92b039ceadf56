-- The dock's store: a replica of the bags it works on, its outbox of ops, and its local users.
-- Times are epoch milliseconds (bigint): SQLite has no timestamp type and the edge never does
-- date arithmetic in SQL.

create table edge_meta (
  id integer primary key check (id = 1),
  edge_id varchar(64) not null,
  dock varchar(64) not null,
  created_at bigint not null,
  -- last op sequence handed out and the hybrid logical clock, advanced in the same transaction
  -- as every op so both stay monotonic across restarts and across processes
  last_seq bigint not null,
  hlc_wall bigint not null,
  hlc_logical integer not null,
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
  -- for children: the link, who made it, where and when (undo finds the last one per station)
  parent_code varchar(64),
  linked_at bigint,
  linked_by varchar(64),
  linked_station varchar(64),
  link_seq bigint
);
create index bag_parent on bag (parent_code);
create index bag_linked_station on bag (linked_station, link_seq);

create table outbox (
  seq bigint primary key,
  op_type varchar(20) not null,
  op_json varchar(16384) not null,
  hlc_wall bigint not null,
  hlc_logical integer not null,
  created_at bigint not null,
  -- PENDING until the hub answers; then APPLIED, DUPLICATE or REJECTED (sync, a later step)
  status varchar(10) not null default 'PENDING'
);
create index outbox_status on outbox (status, seq);

create table scan_log (
  id integer primary key,
  at bigint not null,
  station varchar(64) not null,
  actor varchar(64) not null,
  code varchar(64) not null,
  outcome varchar(10) not null,
  reason varchar(40),
  message varchar(300) not null,
  parent_code varchar(64),
  op_seq bigint
);
create index scan_log_station on scan_log (station, id);

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
