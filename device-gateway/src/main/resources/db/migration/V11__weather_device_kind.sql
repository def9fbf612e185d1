-- Weather providers are devices of kind 'weather' (own broker credentials, topic .../weather/{id}/forecast).
ALTER TABLE device DROP CONSTRAINT device_kind_check;
ALTER TABLE device ADD CONSTRAINT device_kind_check CHECK (kind IN ('meters', 'chargers', 'evs', 'weather'));
