-- Rate limits shared by every hub instance (issue #17 item 4): the token buckets in front of
-- sign-in, password changes and dock enrolment live here, not in one process's memory, so two
-- instances behind a load balancer allow the limit once between them, not once each. Each row is
-- one bucket's state as bucket4j serialises it; a bucket idle long enough to be full again is
-- deleted (a missing row is a full bucket).
create table rate_bucket (
  id varchar(300) primary key,
  state bytea,
  -- milliseconds since the epoch of its last write: what the clean-up looks at
  touched_at bigint not null
);
create index rate_bucket_touched on rate_bucket (touched_at);
