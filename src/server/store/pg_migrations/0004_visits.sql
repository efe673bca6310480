-- backroad schema, version 4: when each learner was last on a roadmap (topic '') and when
-- they opened a topic flagged "updated since you finished it" (its topic id), for "what
-- changed since your last visit". Removed with the identity; not in backups.

CREATE TABLE visits (
    identity    bytea            NOT NULL,
    roadmap     text COLLATE "C" NOT NULL,
    topic       text COLLATE "C" NOT NULL,
    last_at     bigint           NOT NULL,
    previous_at bigint,
    PRIMARY KEY (identity, roadmap, topic)
);
