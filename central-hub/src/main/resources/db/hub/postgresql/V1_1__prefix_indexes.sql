-- PostgreSQL only: LIKE 'prefix%' can use a b-tree index only with pattern operators (or the C
-- collation). H2's own index serves prefix searches already. Version 1.1 slots these in right
-- after the schema they index, ahead of every shared migration that follows.
create index bag_code_prefix on bag (code varchar_pattern_ops);
