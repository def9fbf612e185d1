-- The current dispatch of each EV per slot (kWh, + charge / − discharge) after each closed slot, so a
-- restarted gateway continues from its re-dispatch decisions instead of the final schedule.
CREATE TABLE delivery_dispatch (
    market        text NOT NULL,
    delivery_day  date NOT NULL,
    ev_id         text NOT NULL,
    slot          int  NOT NULL,
    site_id       text NOT NULL,
    kwh           double precision NOT NULL,
    PRIMARY KEY (market, delivery_day, ev_id, slot)
);
