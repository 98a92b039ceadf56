-- Client addresses in the audit trail are kept for --audit-address-days, then cut to their network
-- (issue #16 item 4), and the hash chain must stay verifiable after the cut. So a new entry's hash
-- covers the address's network and a commitment to the full address, SHA-256(address, nonce), not
-- the address itself. The nonce (128 random bits) goes at the cut with the full address, which
-- cannot then be guessed back from the commitment. Entries written before this change hash the
-- address itself; they keep it (cutting it would break the chain).
alter table audit_entry add column ip_commit varchar(64);
alter table audit_entry add column ip_nonce varchar(32);
