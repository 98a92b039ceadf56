-- One dock per edge id (issue 14, defect 6): the hub keys an edge's progress by its edge id, so two
-- docks bound to one id (a copied data folder, or an enrolment naming another dock's id) had the
-- second one's scans answered DUPLICATE and lost. From here the database refuses a second binding,
-- also to two enrolments racing each other.
--
-- Existing duplicates: the dock the hub holds the id's ops for (edge_progress.dock) keeps it; when
-- it holds none, the dock that enrolled last (its edge is the one pushing now). Every other dock
-- bound to the id loses the binding and is revoked, so its edge hears DOCK_REVOKED with the way out
-- (a new enrolment code, on an empty data folder) instead of losing scans quietly.
update dock set revoked_at = coalesce(revoked_at, current_timestamp), edge_id = null
where edge_id is not null and (
  -- another dock sharing the id is the one its ops belong to
  exists (select 1 from dock other join edge_progress p on p.edge_id = other.edge_id and p.dock = other.name
    where other.edge_id = dock.edge_id and other.name <> dock.name)
  -- or the ops belong to none of them, and another enrolled later (the name breaks a tie)
  or (not exists (select 1 from dock mine join edge_progress p on p.edge_id = mine.edge_id and p.dock = mine.name
        where mine.edge_id = dock.edge_id)
    and exists (select 1 from dock other
      where other.edge_id = dock.edge_id and other.name <> dock.name
        and (coalesce(other.enrolled_at, other.created_at) > coalesce(dock.enrolled_at, dock.created_at)
          or (coalesce(other.enrolled_at, other.created_at) = coalesce(dock.enrolled_at, dock.created_at)
            and other.name > dock.name)))));

-- several NULLs are allowed on both databases: a dock not enrolled yet binds no id
create unique index dock_edge_id on dock (edge_id);
