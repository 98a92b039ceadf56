-- Who hears a change-log entry (issue #7, pull): a dock reads only what its replica holds, the
-- users of its own area and its own conflicts. Kept as columns beside the payload so the filter is
-- plain SQL in the page query, not JSON parsed for every entry of every dock's page. NULL means
-- every dock. A user who moves between areas is appended once per area (see UserAdmin), so the
-- dock of the old area hears that the user left it. Plain SQL, same on PostgreSQL and H2.
alter table change_log add column audience_area varchar(40);
alter table change_log add column audience_dock varchar(64);

-- retention prunes by age; the page query walks the primary key
create index change_log_at on change_log (at);
