-- API logins of participants (api-ui): salted PBKDF2 password hash ($7$ format); roles are in participant.
-- No foreign key: the password is written before the participant and restored if that fails (one request,
-- nothing half-saved); a login needs both.
CREATE TABLE api_credential (
    participant_id text PRIMARY KEY,
    password_hash  text NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Opt-in consents per data category (absent = not granted).
CREATE TABLE consent (
    participant_id text NOT NULL,
    category       text NOT NULL CHECK (category IN ('share-demand-data', 'share-ev-location')),
    granted        boolean NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (participant_id, category)
);

-- Every read of personal data by someone other than its owner.
CREATE TABLE data_access_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    reader      text NOT NULL,
    reader_role text NOT NULL,
    owner       text NOT NULL,
    category    text NOT NULL,
    subject     text NOT NULL,
    resource    text NOT NULL,
    purpose     text NOT NULL
);
CREATE INDEX data_access_log_owner ON data_access_log (owner, at DESC);
