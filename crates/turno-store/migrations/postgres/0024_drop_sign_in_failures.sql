-- Sign-in failures are counted in rate_limits since issue 16 (turno_app::sign_in: per login and
-- per address, before the password is checked, forgotten after a day): the old table is read and
-- written by nothing.
DROP TABLE sign_in_failures;
