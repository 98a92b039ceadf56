-- Receiving a load (issue #16 item 9): a station at the destination scans a bill's manifest QR,
-- then the parents as they come off the vehicle, then closes the receipt; sync sends it to the hub.
-- Everything receiving needs came in the manifest, so it works with no network.

-- One row per receipt opened at a station. At most one is open per station at a time.
create table receipt (
  id integer primary key,
  -- this dock's id for the receipt, sent with it: the hub records one receipt per key, so a send
  -- repeated (an answer lost) or replayed from a restored backup counts once
  receipt_key varchar(64) not null unique,
  bill_id varchar(20) not null,
  station varchar(64) not null,
  -- the parents the manifest listed, space-separated, in its order
  manifest varchar(7000) not null,
  opened_by varchar(64) not null,
  opened_at bigint not null,
  closed_by varchar(64),
  closed_at bigint,
  -- abandoned at the station: never sent
  cancelled_at bigint,
  -- the hub took it (its number for it in hub_receipt_id); null while it is still to send
  sent_at bigint,
  hub_receipt_id bigint,
  -- the hub will never take it (it has no such bill): why, shown at the station
  hub_refusal varchar(1000)
);
create unique index receipt_open_per_station on receipt (station) where closed_at is null and cancelled_at is null;
create index receipt_by_bill on receipt (bill_id);

-- The parents scanned on a receipt, each once; on_manifest 0 is an extra (not on the bill).
create table receipt_scan (
  receipt_id integer not null references receipt (id),
  code varchar(64) not null,
  on_manifest integer not null,
  scanned_by varchar(64) not null,
  scanned_at bigint not null,
  primary key (receipt_id, code)
) without rowid;
