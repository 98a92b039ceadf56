-- Bills (F-BILL): a dispatch manifest of parent bags. Counts and weights are not stored here:
-- they are derived from bill_parent and bag.child_count when read, so they are never stale.
create table bill (
  id varchar(20) primary key,
  destination varchar(100) not null,
  vehicle_number varchar(100) not null,
  capacity integer not null check (capacity between 1 and 100),
  status varchar(10) not null check (status in ('OPEN', 'FINALIZED')),
  short_closed boolean not null default false,
  created_by varchar(64) not null,
  created_at timestamp with time zone not null,
  finalized_by varchar(64),
  finalized_at timestamp with time zone,
  reopened_by varchar(64),
  reopened_at timestamp with time zone,
  updated_at timestamp with time zone not null
);
-- keyset listing, newest first, optionally by status or creator
create index bill_created on bill (created_at, id);
create index bill_status_created on bill (status, created_at, id);
create index bill_creator_created on bill (created_by, created_at, id);

-- A parent is on at most one bill: its code is the key.
create table bill_parent (
  parent_code varchar(64) primary key references bag (code),
  bill_id varchar(20) not null references bill (id),
  added_by varchar(64) not null,
  added_at timestamp with time zone not null
);
create index bill_parent_bill on bill_parent (bill_id, added_at);
