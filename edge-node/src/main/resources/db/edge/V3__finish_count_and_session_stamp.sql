-- The child count a station's pending FINISH was asked at: the second FINISH confirms that count,
-- and the op carries it, so a link made meanwhile at another station makes the finish stale
-- instead of finishing at a count nobody confirmed.
alter table station add column pending_finish_count integer;

-- A stamp of the password hash a session was signed in with: a session is valid only while its
-- user is enabled and still has that password, checked on every request (the CLI that disables a
-- user or changes a password runs as another process on the same file).
alter table station_session add column password_stamp varchar(64);
