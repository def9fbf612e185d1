-- What settlement really settled on chain, per market day and party (a site or an EV of the registry), written by
-- the settlement module (settle --gateway-db, LocalSettlement.settleFromGateway) from its ledger's CONFIRMED batches
-- only; the gateway reads it for GET /api/money and /api/tokens. Upserted: settling a day again rewrites the same row.
-- participant_id = the owner of the site / EV when it was written. Money in JPY (the coin has 2 decimals), energy in Wh.
CREATE TABLE settlement_statement (
    market                 text          NOT NULL,
    delivery_day           date          NOT NULL,
    party                  text          NOT NULL,              -- site id or EV id (the ledger's participant)
    party_kind             text          NOT NULL CHECK (party_kind IN ('site', 'ev')),
    participant_id         text          NOT NULL,              -- owner of the site / EV
    wh_sold                bigint        NOT NULL CHECK (wh_sold >= 0),     -- energy records as seller
    wh_bought              bigint        NOT NULL CHECK (wh_bought >= 0),   -- energy records as buyer
    wh_carried             bigint        NOT NULL CHECK (wh_carried >= 0),  -- energy records carried (EV)
    imbalance_wh_bought    bigint        NOT NULL CHECK (imbalance_wh_bought >= 0), -- from the backup retailer (short / over-consumption)
    imbalance_wh_sold      bigint        NOT NULL CHECK (imbalance_wh_sold >= 0),   -- to the backup retailer (excess / stranded)
    jpy_received           numeric(16,2) NOT NULL CHECK (jpy_received >= 0), -- everything received (sales, fees, imbalance)
    jpy_paid               numeric(16,2) NOT NULL CHECK (jpy_paid >= 0),     -- everything paid (purchases with their fees, imbalance)
    fees_earned_jpy        numeric(16,2) NOT NULL CHECK (fees_earned_jpy >= 0),  -- part of jpy_received: carrying fees (EV)
    imbalance_jpy_paid     numeric(16,2) NOT NULL CHECK (imbalance_jpy_paid >= 0),     -- part of jpy_paid
    imbalance_jpy_received numeric(16,2) NOT NULL CHECK (imbalance_jpy_received >= 0), -- part of jpy_received
    token_id               bigint        NOT NULL,              -- kWh certificate (ERC-1155) id: vintage month yyyymm
    certificate_wh         bigint        NOT NULL CHECK (certificate_wh >= 0), -- certificates minted to this party that day
    chain_id               bigint        NOT NULL,
    coin_contract          text          NOT NULL,              -- regional coin (ERC-20)
    certificate_contract   text          NOT NULL,              -- settlement contract, which is the ERC-1155 certificate token
    party_address          text          NOT NULL,
    tx_hashes              text[]        NOT NULL,              -- settle transactions of the batches with this party's records
    last_block             bigint        NOT NULL,
    batches                integer       NOT NULL,              -- confirmed batches with this party's records
    unconfirmed_batches    integer       NOT NULL,              -- its batches not (yet) confirmed: not counted above
    status                 text          NOT NULL CHECK (status IN ('confirmed', 'partial')),
    settled_at             timestamptz   NOT NULL,              -- first written
    updated_at             timestamptz   NOT NULL,
    PRIMARY KEY (market, delivery_day, party)
);
CREATE INDEX settlement_statement_participant ON settlement_statement (participant_id, delivery_day);

-- Token revocation: every token issued to a participant before valid_after is refused (admin revoke-tokens).
CREATE TABLE token_valid_after (
    participant_id text PRIMARY KEY,
    valid_after    timestamptz NOT NULL
);

-- Revoked tokens by their jti (POST /api/logout); a row is useless after the token's own expiry and may be purged.
CREATE TABLE revoked_token (
    jti            text PRIMARY KEY,
    participant_id text NOT NULL,
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz NOT NULL
);
CREATE INDEX revoked_token_expiry ON revoked_token (expires_at);
