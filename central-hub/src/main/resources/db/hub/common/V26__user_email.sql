-- F-EOD e-mail: where a user's end-of-day summary goes (none: they get no mail), and the one row per
-- day that decides which hub instance sends it.
-- Plain types only, so it runs unchanged on PostgreSQL and on H2 (PostgreSQL mode).
alter table app_user add column email varchar(254);

-- (mail_day, not day: DAY is a keyword in H2.)
-- Inserted before sending: the instance whose insert succeeds sends, the others see the row and do
-- not. sent_at stays null until the SMTP server accepted the message; a failed send records its
-- error and attempts, and whoever holds the row (or an admin's "send now") tries again later.
create table eod_mail (
  mail_day date primary key,
  claimed_by varchar(100) not null,
  claimed_at timestamp with time zone not null,
  attempts integer not null default 0,
  sent_at timestamp with time zone,
  recipients varchar(4000),
  last_error varchar(500)
);
