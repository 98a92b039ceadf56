-- Enrolment with a hub (issue #7): the hub this dock syncs with and when it enrolled. The device
-- credential itself is not here but in a file of its own with mode 600 (the database is read by
-- more tools and copied more casually than a secret should be).
alter table edge_meta add column hub_url varchar(2048);
alter table edge_meta add column enrolled_at bigint;
