-- The public mailbox (docs/citizen-format.md): attempts per client and window, counted in the
-- database so that every `turno serve` process on it enforces the same limits.
CREATE TABLE rate_limits (
    -- What is limited and for whom, e.g. 'atencion:203.0.113.7'.
    key          TEXT    NOT NULL,
    -- The window's start, in seconds since the epoch.
    window_start BIGINT  NOT NULL,
    hits         BIGINT  NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- The staff's list filters petitions by entidad and orders them by date of reception.
CREATE INDEX petitions_state_received ON petitions (state, received_at);
