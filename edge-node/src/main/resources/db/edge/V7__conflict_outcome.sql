-- Who closed a conflict at the hub and when (conflict.resolved.v1), so the station can say how it
-- ended: "resolved at the hub by amir: MOVE, C900 is now on P5001-5".
alter table conflict add column resolved_by varchar(64);
alter table conflict add column resolved_at bigint;

-- The station's recent-scans list asks, for each of its latest ops, whether the hub refused it.
create index conflict_by_op on conflict (edge_id, op_seq);
