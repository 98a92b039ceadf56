-- A parent that was neither complete nor finished short may still go on a bill when the biller
-- says why (issue #16): the reason stays with it, on the bill page, the manifest and in the audit.
alter table bill_parent add column forced_reason varchar(100);
