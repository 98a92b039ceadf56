-- The database enforces a parent's limit too: whatever writes the bag table (a bug, an import,
-- a hand-made UPDATE), a parent never holds more children than its limit, nor fewer than none.
-- (Numbered 15 to leave room below 20 for this line of fixes; the gap is harmless to Flyway.)
alter table bag add constraint bag_child_count_within_limit check (child_count <= limit_count);
alter table bag add constraint bag_child_count_not_negative check (child_count >= 0);
