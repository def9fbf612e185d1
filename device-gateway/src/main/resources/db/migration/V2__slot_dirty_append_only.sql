-- The writer appends touched (site, slot) rows without a uniqueness check, so its inserts never wait
-- for the slot refresher's claimed-but-uncommitted rows (that wait stalled commits for the length of a
-- refresh); the refresher de-duplicates the rows it claims.
ALTER TABLE slot_dirty DROP CONSTRAINT slot_dirty_pkey;
ALTER TABLE slot_dirty ADD COLUMN id bigserial PRIMARY KEY;
