-- The event relay (issue #17): committed change-log entries go to Kafka. One row: how far the relay
-- got (it moves only after Kafka acknowledged every entry up to it) and which hub instance holds
-- the lease to relay (one at a time; another takes over when the lease runs out).
create table event_relay (
  id integer primary key check (id = 1),
  -- every entry up to here is in Kafka
  position bigint not null,
  relayed_at timestamp with time zone,
  -- the instance relaying now, and until when its lease holds unless renewed
  holder varchar(100),
  lease_until timestamp with time zone
);
-- a relay switched on for the first time sends what the change log still holds, oldest first
insert into event_relay (id, position) values (1, 0);
