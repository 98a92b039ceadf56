-- Docks (issue #7, enrolment): each dock edge node the hub knows, the one-time code an admin gave
-- out for it, and the device credential the edge got for that code. Secrets are never stored, only
-- their SHA-256 (hex): both are 128+ bits of randomness, so a fast hash is enough and lets the hub
-- find a row by the secret with one indexed lookup. Plain SQL, same on PostgreSQL and H2.
--
-- code_hash stays after use (with code_used_at) so a second attempt can be told "used", not
-- "unknown"; a fresh code replaces it, and revoking clears it. A re-enrolment replaces edge_id and
-- credential_hash, so the previous machine's credential stops working at once.

create table dock (
  name varchar(64) primary key,
  area_id varchar(40) not null references area (id),
  code_hash varchar(64),
  code_expires_at timestamp with time zone,
  code_used_at timestamp with time zone,
  edge_id varchar(64),
  credential_hash varchar(64),
  enrolled_at timestamp with time zone,
  revoked_at timestamp with time zone,
  created_by varchar(64) not null,
  created_at timestamp with time zone not null
);

-- Several NULLs are allowed in a unique index on both databases: only live secrets are unique.
create unique index dock_code_hash on dock (code_hash);
create unique index dock_credential_hash on dock (credential_hash);
