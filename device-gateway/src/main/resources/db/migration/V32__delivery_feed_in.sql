-- A seller's metered export above its scheduled grid sale (kWh): the export it would have had without the market
-- (its own feed-in contract), reported next to the imbalance instead of inside it.
ALTER TABLE delivery_imbalance ADD COLUMN feed_in_kwh double precision NOT NULL DEFAULT 0;
