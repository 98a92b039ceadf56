-- Who reaches a dock (issue 14, defects 4 and 9): a dock holds only the users who may sign in at
-- it, with their password hashes: the dispatchers of its area, and the users an admin grants that
-- area explicitly here (an admin or biller who works at a dock now and then). Keyed by the user's
-- id, which stays when a user is deleted (anonymised); the delete removes the grants itself.
create table user_dock_access (
  user_id bigint not null references app_user (id) on delete cascade,
  area_id varchar(40) not null references area (id),
  granted_by varchar(64) not null,
  granted_at timestamp with time zone not null,
  primary key (user_id, area_id)
);
create index user_dock_access_area on user_dock_access (area_id);

-- An entry no dock hears ("hub only"): a user who reaches no dock is still appended, for the hub's
-- own followers (the account cache), but no dock's page or snapshot carries it. A flag of its own,
-- so NULL audience columns keep meaning "every dock".
alter table change_log add column hub_only boolean not null default false;
