-- backroad schema, version 2: when an anonymous identity was last used (ms; NULL for rows
-- from version 1, where created_at counts), so the hourly purge can find identities nobody
-- can reach any more, and expired sessions, without reading every row.

ALTER TABLE identities ADD COLUMN last_seen bigint;
CREATE INDEX identities_seen ON identities ((coalesce(last_seen, created_at)));
CREATE INDEX sessions_created ON sessions (created_at);

-- The site's own secrets (`Store::secret`): made once by whichever server asks first, shared
-- by all. Not in backups.
CREATE TABLE secrets (
    name  text COLLATE "C" PRIMARY KEY,
    value bytea            NOT NULL
);

-- Sessions: when each was last used (the idle timeout; NULL: created_at counts) and what
-- device it is, for the list of signed-in devices on /account.
ALTER TABLE sessions ADD COLUMN last_seen bigint;
ALTER TABLE sessions ADD COLUMN device text NOT NULL DEFAULT '';
CREATE INDEX sessions_seen ON sessions ((coalesce(last_seen, created_at)));
