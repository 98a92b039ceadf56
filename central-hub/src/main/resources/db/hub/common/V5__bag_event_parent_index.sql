-- A parent's page shows its children's link history too: look those events up by parent.
create index bag_event_parent on bag_event (parent_code, id);
