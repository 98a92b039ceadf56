-- One user-name rule (io.tracetrack.model.UserNames): names are stored lower-case, and sign-in
-- lower-cases what is typed before an exact lookup. Hubs created before the rule may hold names
-- such as 'Asha' that can no longer sign in ('Asha' is looked up as 'asha'). This lower-cases them,
-- and every column that names a user, so the account keeps its bills, bags, requests and
-- notifications. Plain SQL only, so it runs unchanged on PostgreSQL and on H2 (PostgreSQL mode).
--
-- What is renamed: a live account whose name holds upper-case letters and nothing but the rule's
-- alphabet in any case (A-Z a-z 0-9 . _ -), unless another account has the same lower-case name
-- ('Carl' beside 'carl', or 'Carl' beside 'CARL'): then both stay as they are, since merging them
-- would hand one person's history to the other. Lower-casing is done with translate() over A-Z
-- only, never lower(): that is exactly Locale.ROOT on these characters on both databases, whatever
-- the database's collation or the JVM's locale. Names this cannot fix ('-cmd', 'Ásha', and the
-- colliding ones) are counted in a warning at hub start; an admin disables or deletes them.
--
-- Not touched: audit_entry. Its entries are hash-chained history and stay as written.
-- Columns that name a user with no account (a deleted user's bags keep the old name) stay too:
-- that name may belong to someone else once lower-cased.

create table user_name_change (
  old_name varchar(64) not null primary key
);

-- Only the rule's alphabet: each of its characters becomes '.', and nothing may be left once the
-- dots go (H2's translate() keeps a character it has no replacement for, so none may go missing).
-- Whether an account collides is decided on lower-cased names, which renaming does not change,
-- so it does not matter in which order a database visits the rows.
insert into user_name_change (old_name)
select u.username from app_user u
where u.anonymised = false
  and u.username <> translate(u.username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  and replace(translate(u.username,
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-',
    '.................................................................'), '.', '') = ''
  and not exists (
    select 1 from app_user o
    where o.id <> u.id
      and translate(o.username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
        = translate(u.username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'));

update bag set created_by = translate(created_by, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where created_by in (select old_name from user_name_change);
update bag set linked_by = translate(linked_by, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where linked_by in (select old_name from user_name_change);
update bag set finished_by = translate(finished_by, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where finished_by in (select old_name from user_name_change);
update bag_event set actor = translate(actor, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where actor in (select old_name from user_name_change);

update bill set created_by = translate(created_by, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where created_by in (select old_name from user_name_change);
update bill set finalized_by = translate(finalized_by, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where finalized_by in (select old_name from user_name_change);
update bill set reopened_by = translate(reopened_by, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where reopened_by in (select old_name from user_name_change);
update bill_parent set added_by = translate(added_by, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where added_by in (select old_name from user_name_change);

update promotion_request set username = translate(username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where username in (select old_name from user_name_change);
update promotion_request set decided_by = translate(decided_by, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where decided_by in (select old_name from user_name_change);
update notification set username = translate(username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where username in (select old_name from user_name_change);
update revoked_token set username = translate(username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where username in (select old_name from user_name_change);

-- Failures are keyed by (name, address): a row whose lower-cased key another row of the same
-- address has, or would get, stays as it is (it is forgotten within a day anyway).
update sign_in_failure set username = translate(username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where username in (select old_name from user_name_change)
    and not exists (
      select 1 from sign_in_failure o
      where o.address = sign_in_failure.address
        and o.username <> sign_in_failure.username
        and translate(o.username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
          = translate(sign_in_failure.username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'));

-- The accounts themselves; old tokens naming the old spelling find no account and end.
update app_user set username = translate(username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  where username in (select old_name from user_name_change);

drop table user_name_change;
