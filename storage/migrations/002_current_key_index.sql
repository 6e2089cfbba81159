-- byok schema version 2.
-- The key check run by every command asks "is any current secret sealed
-- with another key?". Without an index that is a scan of every secret
-- (79 ms at 100,000 configs); with this partial index it is three
-- LIMIT 1 probes (key_id below, above, or NULL), whatever the store's size.
CREATE INDEX secrets_current_key ON secrets(key_id) WHERE retired_at IS NULL AND sealed IS NOT NULL;
