-- The hub's one change log (issue #7, item 3): every change a dock must hear of, in commit order.
-- A dock pulls with a cursor, "what after position n?", so a position may only be handed out in
-- the order the writers commit: identity and sequence values are handed out when a row is written,
-- not when it commits, and a reader paging by seq > n would step past a change that commits late.
-- Positions come from the one row of change_log_head instead, taken by each writer inside its own
-- transaction with an UPDATE whose row lock it holds until commit (see io.tracetrack.hub.sync.ChangeLog).
-- Plain SQL, same on PostgreSQL and H2.

create table change_log_head (
  id integer primary key,
  last_seq bigint not null,
  constraint change_log_head_one_row check (id = 1),
  constraint change_log_head_not_negative check (last_seq >= 0)
);

insert into change_log_head (id, last_seq) values (1, 0);

create table change_log (
  seq bigint primary key,
  type varchar(40) not null,
  entity_key varchar(200) not null,
  payload text not null,
  at timestamp with time zone not null,
  origin varchar(64) not null
);
