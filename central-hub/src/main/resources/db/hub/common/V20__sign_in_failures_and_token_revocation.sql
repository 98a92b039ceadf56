-- Issue #6: sign-in lockout that cannot be aimed at someone else's account, and sign-out for tokens.
-- Plain types only, so it runs unchanged on PostgreSQL and on H2 (PostgreSQL mode).

-- Failed sign-ins counted per (user name as typed, client address), whether or not the name exists:
-- the lock after 5 failures binds that address only, so a stranger cannot lock the owner out, and a
-- made-up name locks exactly like a real one, so the answer does not tell which names exist.
-- Counted with failures = failures + 1 in one statement: parallel guesses each count.
-- (app_user.failed_attempts and locked_until, the per-account lock this replaces, are no longer read;
-- they are only cleared, and can go in a later migration.)
create table sign_in_failure (
  username varchar(64) not null,
  address varchar(64) not null,
  failures integer not null default 0,
  locked_until timestamp with time zone,
  updated_at timestamp with time zone not null,
  constraint sign_in_failure_key primary key (username, address)
);
-- rows untouched for a day are swept on the next failure
create index sign_in_failure_updated on sign_in_failure (updated_at);

-- A signed-out token: its id (the jti claim) until it would have expired anyway. Every request looks
-- its token up here, on every hub instance, so a sign-out holds everywhere at once.
create table revoked_token (
  jti varchar(64) not null primary key,
  username varchar(64) not null,
  expires_at timestamp with time zone not null
);
create index revoked_token_expiry on revoked_token (expires_at);

-- "Sign out everywhere": tokens carry the epoch they were issued in; bumping it ends them all.
alter table app_user add column token_epoch integer not null default 0;
