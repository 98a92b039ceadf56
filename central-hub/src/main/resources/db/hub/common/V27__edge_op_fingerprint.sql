-- Restored backups (issue 14, defect 2): the fingerprint of every op the hub answered, per (edge,
-- seq), written in the same transaction as the op. A resent op at or below last_seq is compared
-- with it: the same fingerprint is a DUPLICATE; a different one is SEQ_REUSED (a dock restored from
-- a backup, or a copied data folder, numbering new scans with seqs the hub already holds), never a
-- duplicate. Ops answered before this migration have no row and stay duplicates, as before.
-- One short row per op, like bag_event. Plain SQL, same on PostgreSQL and H2.
create table edge_op (
  edge_id varchar(64) not null,
  seq bigint not null,
  fingerprint varchar(32) not null,
  primary key (edge_id, seq)
);

-- when the hub last refused an op of this edge as SEQ_REUSED: the fleet view's "restore detected"
alter table edge_progress add column seq_reused_at timestamp with time zone;
