-- Delivery (package org.secondgrid.gateway.delivery): charger setpoints published, per-slot imbalance
-- against the final schedule, backflow events, backup-retailer volumes and re-dispatch decisions.

-- The last setpoint published to each charger for each slot (seq grows per charger across slots and re-sends).
CREATE TABLE delivery_setpoint (
    market        text NOT NULL,
    delivery_day  date NOT NULL,
    slot          int  NOT NULL,
    charger_id    text NOT NULL,
    site_id       text NOT NULL,
    ev_id         text,
    power_kw      double precision NOT NULL,
    seq           bigint NOT NULL,
    published_at  timestamptz NOT NULL,
    PRIMARY KEY (market, delivery_day, slot, charger_id)
);
CREATE INDEX delivery_setpoint_charger ON delivery_setpoint (charger_id, seq);

-- Metered against scheduled per site and slot (kWh; imbalance + = more energy from market participants
-- than scheduled, − = less); retailer_* = the deficit the backup retailer covered and its price.
CREATE TABLE delivery_imbalance (
    market                      text NOT NULL,
    delivery_day                date NOT NULL,
    slot                        int  NOT NULL,
    slot_start                  timestamptz NOT NULL,
    site_id                     text NOT NULL,
    feeder_id                   text NOT NULL,
    scheduled_export_kwh        double precision NOT NULL,
    metered_export_kwh          double precision NOT NULL,
    scheduled_purchase_kwh      double precision NOT NULL,
    metered_import_kwh          double precision NOT NULL,
    scheduled_ev_charge_kwh     double precision NOT NULL,
    dispatched_ev_charge_kwh    double precision NOT NULL,
    measured_ev_charge_kwh      double precision NOT NULL,
    scheduled_ev_discharge_kwh  double precision NOT NULL,
    dispatched_ev_discharge_kwh double precision NOT NULL,
    measured_ev_discharge_kwh   double precision NOT NULL,
    imbalance_kwh               double precision NOT NULL,
    seller_short_kwh            double precision NOT NULL,
    ev_deficit_kwh              double precision NOT NULL,
    retailer_kwh                double precision NOT NULL,
    retailer_jpy                double precision NOT NULL,
    meter_missing               boolean NOT NULL,
    computed_at                 timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (market, delivery_day, slot, site_id)
);
CREATE INDEX delivery_imbalance_feeder ON delivery_imbalance (market, delivery_day, feeder_id, slot);

-- Metered export above export_limit_kw × Δ; ev_caused when an EV discharge was dispatched or measured there.
CREATE TABLE delivery_backflow (
    market              text NOT NULL,
    delivery_day        date NOT NULL,
    slot                int  NOT NULL,
    slot_start          timestamptz NOT NULL,
    site_id             text NOT NULL,
    feeder_id           text NOT NULL,
    export_limit_kwh    double precision NOT NULL,
    metered_export_kwh  double precision NOT NULL,
    kwh_over            double precision NOT NULL,
    ev_caused           boolean NOT NULL,
    ev_discharge_kwh    double precision NOT NULL,
    computed_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (market, delivery_day, slot, site_id)
);

-- Re-dispatch decisions taken when a slot closed.
CREATE TABLE delivery_redispatch (
    id             bigserial PRIMARY KEY,
    market         text NOT NULL,
    delivery_day   date NOT NULL,
    detected_slot  int  NOT NULL,
    ev_id          text NOT NULL,
    rule           text NOT NULL CHECK (rule IN ('same-ev-later', 'other-ev', 'reduced-delivery', 'undelivered')),
    site_id        text NOT NULL,
    to_ev          text,
    to_slot        int,
    kwh            double precision NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivery_redispatch_day ON delivery_redispatch (market, delivery_day, detected_slot);

-- Slots already evaluated (a restarted gateway does not evaluate them twice).
CREATE TABLE delivery_slot_closed (
    market        text NOT NULL,
    delivery_day  date NOT NULL,
    slot          int  NOT NULL,
    closed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (market, delivery_day, slot)
);
