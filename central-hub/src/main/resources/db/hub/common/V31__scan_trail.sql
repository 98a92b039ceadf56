-- The scan trail in the audit view (issue #16 item 4): dock scans as they reach the hub, searchable
-- by who, dock, station and time. Each scan already writes one history row here, so the trail is
-- this table plus the station and two indexes, not a second copy of ~100 k rows a day.
alter table bag_event add column station varchar(64);
create index bag_event_actor_id on bag_event (actor, id);
create index bag_event_dock_station_id on bag_event (dock, station, id);
