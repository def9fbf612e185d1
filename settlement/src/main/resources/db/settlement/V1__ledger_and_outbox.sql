-- Participants: market id (site or EV) -> chain address. Personal data never goes on chain; it stays here (or upstream).
create table participant (
    id      text primary key,
    address text not null
);

-- The contracts this ledger settles on, per chain.
create table deployment (
    chain_id    bigint primary key,
    coin        text not null,
    certificate text not null,
    settlement  text not null
);

-- The ledger: every trade record to settle, in the order it goes on chain (sorted by buyer address per batch).
create table ledger_trade (
    market       text     not null,
    day          date     not null,
    batch        int      not null,
    seq          int      not null,
    seller       text     not null,
    buyer        text     not null,
    carrier      text,               -- EV id, null = grid delivery (fee to the grid operator)
    seller_addr  text     not null,
    buyer_addr   text     not null,
    carrier_addr text,
    slot         int      not null,
    kind         smallint not null,  -- 0 energy, 1 imbalance
    wh           bigint   not null check (wh >= 0),
    amount       bigint   not null check (amount >= 0), -- coin units (0.01 JPY) buyer -> seller
    fee          bigint   not null check (fee >= 0),    -- coin units buyer -> carrier / grid operator
    primary key (market, day, batch, seq)
);

-- Outbox: one settle transaction per batch. pending -> sent (tx hash, nonce, raw tx) -> mined -> confirmed (or failed).
create table outbox (
    settlement_id text primary key,
    market        text   not null,
    day           date   not null,
    batch         int    not null,
    trades        int    not null,
    state         text   not null check (state in ('PENDING', 'SENT', 'MINED', 'CONFIRMED', 'FAILED')),
    chain_id      bigint,
    sender        text,
    nonce         bigint,
    tx_hash       text,
    raw_tx        text,
    block_number  bigint,
    block_hash    text,
    gas_used      bigint,
    error         text,
    updated_at    timestamptz not null default now(),
    unique (market, day, batch)
);

-- Next nonce per sending account: allocated under a row lock, together with the outbox row that uses it.
create table account_nonce (
    chain_id   bigint not null,
    sender     text   not null,
    next_nonce bigint not null,
    primary key (chain_id, sender)
);

-- Escrow deposited on participants' behalf by the platform (for balance reconciliation).
create table escrow_deposit (
    id          bigserial primary key,
    participant text   not null,
    amount      bigint not null,
    tx_hash     text   not null
);
