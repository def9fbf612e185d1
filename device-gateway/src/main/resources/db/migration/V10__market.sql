-- Market service (market-core): participants, the grid and the assets they own, what they submit for
-- a delivery day (order policies, manual orders, EV availability), weather forecasts, schedules and EV jobs.

CREATE TABLE participant (
    participant_id text PRIMARY KEY,
    display_name   text NOT NULL,
    roles          text[] NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE feeder (
    feeder_id           text PRIMARY KEY,
    market              text NOT NULL,
    reverse_capacity_kw double precision NOT NULL CHECK (reverse_capacity_kw >= 0),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feeder_market ON feeder (market);

CREATE TABLE site (
    site_id         text PRIMARY KEY,
    market          text NOT NULL,
    owner_id        text NOT NULL REFERENCES participant (participant_id),
    feeder_id       text NOT NULL REFERENCES feeder (feeder_id),
    kind            text NOT NULL CHECK (kind IN ('household', 'factory', 'shop', 'other')),
    lat             double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon             double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    export_limit_kw double precision NOT NULL CHECK (export_limit_kw >= 0),
    ports           integer NOT NULL CHECK (ports >= 0),
    charger_kw      double precision NOT NULL CHECK (charger_kw >= 0),
    v2x_kw          double precision NOT NULL CHECK (v2x_kw >= 0),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX site_market ON site (market);
CREATE INDEX site_owner ON site (owner_id);

CREATE TABLE ev (
    ev_id                  text PRIMARY KEY,
    market                 text NOT NULL,
    owner_id               text NOT NULL REFERENCES participant (participant_id),
    home_site_id           text NOT NULL REFERENCES site (site_id),
    capacity_kwh           double precision NOT NULL CHECK (capacity_kwh > 0),
    charge_kw              double precision NOT NULL CHECK (charge_kw >= 0),
    discharge_kw           double precision NOT NULL CHECK (discharge_kw >= 0),
    charge_efficiency      double precision NOT NULL CHECK (charge_efficiency > 0 AND charge_efficiency <= 1),
    discharge_efficiency   double precision NOT NULL CHECK (discharge_efficiency > 0 AND discharge_efficiency <= 1),
    consumption_kwh_per_km double precision NOT NULL CHECK (consumption_kwh_per_km >= 0),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ev_market ON ev (market);
CREATE INDEX ev_owner ON ev (owner_id);

-- An EV owner's declaration for one delivery day: only declared EVs are planned.
CREATE TABLE ev_availability (
    ev_id             text NOT NULL REFERENCES ev (ev_id),
    delivery_day      date NOT NULL,
    available_from    integer NOT NULL CHECK (available_from >= 0),
    available_to      integer NOT NULL CHECK (available_to >= available_from),
    min_kwh           double precision NOT NULL CHECK (min_kwh >= 0),
    initial_kwh       double precision NOT NULL CHECK (initial_kwh >= min_kwh),
    fee_jpy_per_kwh   double precision NOT NULL CHECK (fee_jpy_per_kwh >= 0),
    fee_jpy_per_km    double precision NOT NULL CHECK (fee_jpy_per_km >= 0),
    declared_at       timestamptz NOT NULL,
    PRIMARY KEY (ev_id, delivery_day)
);

-- How a site's orders are made: auto (from its forecast) or manual (per-slot orders below).
CREATE TABLE order_policy (
    site_id              text PRIMARY KEY REFERENCES site (site_id),
    mode                 text NOT NULL CHECK (mode IN ('auto', 'manual')),
    min_ask_jpy_per_kwh  double precision NOT NULL CHECK (min_ask_jpy_per_kwh >= 0),
    max_bid_jpy_per_kwh  double precision NOT NULL CHECK (max_bid_jpy_per_kwh >= 0),
    updated_at           timestamptz NOT NULL
);

CREATE TABLE manual_order (
    site_id          text NOT NULL REFERENCES site (site_id),
    delivery_day     date NOT NULL,
    side             text NOT NULL CHECK (side IN ('offer', 'bid')),
    slot             integer NOT NULL CHECK (slot >= 0),
    kwh              double precision NOT NULL CHECK (kwh >= 0),
    price_jpy_per_kwh double precision NOT NULL CHECK (price_jpy_per_kwh >= 0),
    submitted_at     timestamptz NOT NULL,
    PRIMARY KEY (site_id, delivery_day, side, slot)
);

-- Day-ahead weather forecast feed: irradiance index per slot of the local day (fraction of clear-sky yield).
CREATE TABLE weather_forecast (
    market            text NOT NULL,
    provider_id       text NOT NULL,
    delivery_day      date NOT NULL,
    seq               bigint NOT NULL,
    ts                timestamptz NOT NULL,
    slot_minutes      integer NOT NULL CHECK (slot_minutes > 0),
    irradiance_index  double precision[] NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider_id, seq)
);
CREATE INDEX weather_forecast_day ON weather_forecast (market, delivery_day, ts DESC);

-- Every published schedule of a delivery day: the spec's instance and solution JSON.
CREATE TABLE market_schedule (
    market         text NOT NULL,
    delivery_day   date NOT NULL,
    version        integer NOT NULL CHECK (version >= 1),
    stage          text NOT NULL CHECK (stage IN ('gate', 'replan', 'final')),
    source         text NOT NULL CHECK (source IN ('matcher', 'greedy')),
    instance_json  jsonb NOT NULL,
    solution_json  jsonb NOT NULL,
    note           text,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (market, delivery_day, version)
);

-- An EV's itinerary offered to its owner as a transport job.
CREATE TABLE ev_job (
    job_id            text PRIMARY KEY,
    market            text NOT NULL,
    delivery_day      date NOT NULL,
    ev_id             text NOT NULL REFERENCES ev (ev_id),
    schedule_version  integer NOT NULL,
    itinerary         jsonb NOT NULL,
    pay_jpy           double precision NOT NULL,
    status            text NOT NULL CHECK (status IN ('offered', 'accepted', 'declined', 'expired')),
    offered_at        timestamptz NOT NULL,
    decided_at        timestamptz,
    FOREIGN KEY (market, delivery_day, schedule_version) REFERENCES market_schedule (market, delivery_day, version)
);
CREATE INDEX ev_job_day ON ev_job (market, delivery_day, status);
CREATE INDEX ev_job_ev ON ev_job (ev_id, delivery_day);

-- Which steps of a day's cycle have run (so the clock-driven scheduler runs each once, across restarts).
CREATE TABLE market_day (
    market        text NOT NULL,
    delivery_day  date NOT NULL,
    gate_at       timestamptz,
    deadline_at   timestamptz,
    final_at      timestamptz,
    PRIMARY KEY (market, delivery_day)
);
