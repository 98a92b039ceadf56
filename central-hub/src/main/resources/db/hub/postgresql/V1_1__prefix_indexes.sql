-- PostgreSQL only. Search asks for codes starting with a prefix, in code order. Under the
-- database's linguistic collation a b-tree serves neither LIKE 'prefix%' nor that order, so this
-- index uses ucs_basic (code-point order, the "C" order for UTF-8), and search compares and sorts with it too. H2's own
-- index already does both. Version 1.1 runs right after the schema it indexes.
create index bag_code_bytes on bag (code collate ucs_basic);
