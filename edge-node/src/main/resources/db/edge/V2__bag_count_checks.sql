-- The database enforces a parent's limit too, so no code path (a bug, a hand-made UPDATE, a
-- future sync step) can leave a parent over its limit or below zero. SQLite cannot add a
-- constraint to a table, so the table is rebuilt the documented way (create the new shape, copy,
-- drop, rename) inside the migration's transaction. The bag table has no indexes, triggers or
-- views to recreate, and no foreign keys point at it.

create table bag_new (
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
  parent_code varchar(64),
  linked_at bigint,
  linked_by varchar(64),
  linked_station varchar(64),
  link_seq bigint,
  constraint bag_child_count_within_limit check (child_count <= limit_count),
  constraint bag_child_count_not_negative check (child_count >= 0)
) without rowid;

insert into bag_new (code, role, expected_count, limit_count, child_count, finished_by, finished_at,
    on_finalized_bill, created_at, created_by, created_station, parent_code, linked_at, linked_by,
    linked_station, link_seq)
  select code, role, expected_count, limit_count, child_count, finished_by, finished_at,
    on_finalized_bill, created_at, created_by, created_station, parent_code, linked_at, linked_by,
    linked_station, link_seq
  from bag;

drop table bag;

alter table bag_new rename to bag;
