-- Hub instances on this database (issue #17): each running hub keeps a row, renewed every few
-- seconds, so every instance knows how many share the database and takes its share of the
-- database's connections; the health page lists them. A clean stop deletes its row; a killed
-- instance's row stops being renewed and no longer counts once it is older than the liveness window.
create table hub_instance (
  name varchar(100) primary key,
  started_at timestamp with time zone not null,
  seen_at timestamp with time zone not null,
  -- the connections this instance keeps now (its share), for the health page
  pool_size integer not null,
  version varchar(64) not null
);
