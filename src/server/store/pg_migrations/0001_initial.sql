-- backroad schema, version 1. Applied by `PgStore::open` inside the migration transaction
-- (no BEGIN/COMMIT here). Plain SQL, no extensions.
--
-- Keys and identities are the 32-byte SHA-256 hashes the app computes (bytea); times are
-- milliseconds since the Unix epoch (bigint); a status is `Status::code()` (smallint).
-- Ids are compared byte for byte (COLLATE "C"): listings come back in the order sled gives,
-- and no index depends on the operating system's collation rules.
-- No foreign keys: an account's statuses outlive the anonymous identity row they began under.

CREATE TABLE identities (
    key        bytea  PRIMARY KEY,
    created_at bigint NOT NULL
);

CREATE TABLE progress (
    identity   bytea              NOT NULL,
    roadmap    text COLLATE "C"   NOT NULL,
    topic      text COLLATE "C"   NOT NULL,
    status     smallint           NOT NULL,
    changed_at bigint             NOT NULL,
    PRIMARY KEY (identity, roadmap, topic)
);

CREATE TABLE accounts (
    username      text COLLATE "C" PRIMARY KEY,
    identity      bytea            NOT NULL,
    password_hash text             NOT NULL,
    created_at    bigint           NOT NULL
);

CREATE TABLE sessions (
    key        bytea            PRIMARY KEY,
    identity   bytea            NOT NULL,
    username   text COLLATE "C" NOT NULL,
    created_at bigint           NOT NULL
);
CREATE INDEX sessions_identity ON sessions (identity);

CREATE TABLE profiles (
    identity     bytea PRIMARY KEY,
    display_name text  NOT NULL
);

CREATE TABLE shares (
    code       text COLLATE "C" PRIMARY KEY,
    identity   bytea            NOT NULL,
    roadmap    text COLLATE "C" NOT NULL,
    created_at bigint           NOT NULL
);
CREATE INDEX shares_identity_created ON shares (identity, created_at);

-- Sign-in and sign-up attempts, shared by every app server; old rows are swept out.
CREATE TABLE attempts (
    bucket text COLLATE "C" NOT NULL,
    key    text COLLATE "C" NOT NULL,
    at     bigint           NOT NULL
);
CREATE INDEX attempts_bucket_key_at ON attempts (bucket, key, at);
