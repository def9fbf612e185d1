-- Device registry: every meter, charger and EV that may publish, with its broker credentials.
CREATE TABLE device (
    device_id      text PRIMARY KEY,
    market         text NOT NULL,
    site_id        text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('meters', 'chargers', 'evs')),
    rated_kw       double precision NOT NULL CHECK (rated_kw >= 0),
    capacity_kwh   double precision CHECK (capacity_kwh >= 0),
    password_hash  text NOT NULL,
    registered_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_site ON device (site_id);

-- Accepted readings, identified by (device, seq): a redelivered message is stored once.
CREATE TABLE reading (
    device_id    text NOT NULL,
    seq          bigint NOT NULL,
    ts           timestamptz NOT NULL,
    import_wh    double precision,
    export_wh    double precision,
    pv_wh        double precision,
    ev_id        text,
    power_kw     double precision,
    session_wh   double precision,
    lat          double precision,
    lon          double precision,
    soc_kwh      double precision,
    counter_reset boolean NOT NULL DEFAULT false,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, seq)
);
CREATE INDEX reading_device_ts ON reading (device_id, ts);

-- Messages rejected with a stable code (kept for audit; the stream goes on).
CREATE TABLE rejected_message (
    id           bigserial PRIMARY KEY,
    device_id    text,
    topic        text NOT NULL,
    code         text NOT NULL,
    detail       text NOT NULL,
    payload      text,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rejected_message_device ON rejected_message (device_id, code);

-- Metered energy per site per 30-minute slot, from cumulative meter counters.
CREATE TABLE metered_slot (
    site_id      text NOT NULL,
    slot_start   timestamptz NOT NULL,
    import_wh    double precision NOT NULL,
    export_wh    double precision NOT NULL,
    pv_wh        double precision NOT NULL,
    computed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, slot_start)
);

-- Slots touched by new readings, written in the readings' transaction, consumed by the slot refresher.
CREATE TABLE slot_dirty (
    site_id      text NOT NULL,
    slot_start   timestamptz NOT NULL,
    PRIMARY KEY (site_id, slot_start)
);
