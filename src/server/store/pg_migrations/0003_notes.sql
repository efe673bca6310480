-- backroad schema, version 3: private notes, one per identity, roadmap and topic (Markdown
-- as the learner typed it, at most 10,000 characters, checked by the app). Never on share
-- links; in backups; removed with the anonymous identity that wrote them.

CREATE TABLE notes (
    identity   bytea            NOT NULL,
    roadmap    text COLLATE "C" NOT NULL,
    topic      text COLLATE "C" NOT NULL,
    note       text             NOT NULL,
    changed_at bigint           NOT NULL,
    PRIMARY KEY (identity, roadmap, topic)
);

-- The status each topic had before its last change, for undo: NULL when there is nothing to
-- undo (a merge, an import or a restore wrote the row), -1 when no status was recorded
-- before (undo deletes the row), else the status code; and when that status was set.
ALTER TABLE progress ADD COLUMN previous_status smallint;
ALTER TABLE progress ADD COLUMN previous_at bigint;
