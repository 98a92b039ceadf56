-- The end-of-day summary reads one day of bag events: find them by time.
create index bag_event_at on bag_event (at);
create index bill_created_at on bill (created_at);
