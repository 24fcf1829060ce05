#include "store/sqlite/schema.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace sluice::store::sqlite {
namespace {

// Migration N (1-based) takes the database from version N-1 to N. Append new
// steps; never edit one that has shipped, as databases already ran it.
constexpr std::array<std::string_view, 3> kMigrations{
    // 1: publishes in progress, their history, and forbids.
    R"sql(
CREATE TABLE open_publishes (
  -- AUTOINCREMENT: an id is never handed out twice, even after the row with
  -- the highest id is deleted (a plain rowid would reuse it).
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  vhost TEXT NOT NULL,
  domain TEXT NOT NULL,
  app TEXT NOT NULL,
  stream TEXT NOT NULL,
  source_type TEXT NOT NULL,
  client_address TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  bytes_in INTEGER NOT NULL
) STRICT;

-- The AUTOINCREMENT counter exists from the start, so the id sequence can be
-- moved past ids that enter the history without an open publish.
INSERT INTO sqlite_sequence (name, seq) VALUES ('open_publishes', 0);

CREATE TABLE closed_streams (
  id INTEGER PRIMARY KEY,  -- the id of the open publish it came from
  vhost TEXT NOT NULL,
  domain TEXT NOT NULL,
  app TEXT NOT NULL,
  stream TEXT NOT NULL,
  source_type TEXT NOT NULL,
  client_address TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  reason TEXT NOT NULL,
  bytes_in INTEGER NOT NULL
) STRICT;

-- History pages are ordered by (end_ms, id) within an end-time range. Both
-- indexes deliver that order (id is spelled out: the implicit rowid would
-- come after the other columns) and hold every filtered column, so filtering,
-- counting and skipping rows never read the table itself.
CREATE INDEX closed_streams_by_end
  ON closed_streams (end_ms, id, vhost, app, stream, source_type);
-- A stream name (exact, or the few a substring matches) is the selective filter.
CREATE INDEX closed_streams_by_stream
  ON closed_streams (stream, end_ms, id, vhost, app, source_type);

-- History is append-only; the counts below rely on that.
CREATE TRIGGER closed_streams_are_immutable
  BEFORE UPDATE OF end_ms, vhost, app, stream, source_type ON closed_streams
BEGIN
  SELECT RAISE(ABORT, 'closed_streams: names and end time cannot change');
END;

-- Counting the matches of a filter one record at a time costs ~50 ms per
-- million in SQLite. These counts per end-time bucket let a total over a long
-- range add up a few hundred rows instead, and let a deep page be found
-- without stepping over every record before it. Buckets are aligned to
-- multiples of their length since the epoch; each length is a multiple of
-- the next, so a bucket splits exactly into buckets of the next length.
CREATE TABLE closed_stream_bucket_lengths (
  length_ms INTEGER PRIMARY KEY
) STRICT;
-- The triggers below spell these out: SQLite only looks a bucket up by its
-- key when the length is a constant.
INSERT INTO closed_stream_bucket_lengths (length_ms)
  VALUES (2592000000), (86400000), (3600000);  -- 30 days, 1 day, 1 hour

CREATE TABLE closed_stream_buckets (
  length_ms INTEGER NOT NULL,
  start_ms INTEGER NOT NULL,  -- end_ms rounded down to a multiple of length_ms
  vhost TEXT NOT NULL,
  app TEXT NOT NULL,
  source_type TEXT NOT NULL,
  records INTEGER NOT NULL,
  PRIMARY KEY (length_ms, start_ms, vhost, app, source_type)
) STRICT, WITHOUT ROWID;

-- Every stream name in the history and its record count: a substring filter
-- first finds the names it matches here (thousands of rows, not millions).
CREATE TABLE closed_stream_names (
  stream TEXT PRIMARY KEY,
  records INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Kept by triggers, so no write path can forget them.
CREATE TRIGGER closed_streams_counted AFTER INSERT ON closed_streams
BEGIN
  INSERT INTO closed_stream_buckets VALUES (2592000000,
      NEW.end_ms - ((NEW.end_ms % 2592000000) + 2592000000) % 2592000000,
      NEW.vhost, NEW.app, NEW.source_type, 1)
    ON CONFLICT DO UPDATE SET records = records + 1;
  INSERT INTO closed_stream_buckets VALUES (86400000,
      NEW.end_ms - ((NEW.end_ms % 86400000) + 86400000) % 86400000,
      NEW.vhost, NEW.app, NEW.source_type, 1)
    ON CONFLICT DO UPDATE SET records = records + 1;
  INSERT INTO closed_stream_buckets VALUES (3600000,
      NEW.end_ms - ((NEW.end_ms % 3600000) + 3600000) % 3600000,
      NEW.vhost, NEW.app, NEW.source_type, 1)
    ON CONFLICT DO UPDATE SET records = records + 1;
  INSERT INTO closed_stream_names VALUES (NEW.stream, 1)
    ON CONFLICT DO UPDATE SET records = records + 1;
END;

-- Nothing deletes history yet; a retention job will, and must not skew the
-- counts. Rows left at zero are harmless (queries skip them).
CREATE TRIGGER closed_streams_uncounted AFTER DELETE ON closed_streams
BEGIN
  UPDATE closed_stream_buckets SET records = records - 1
    WHERE length_ms = 2592000000
      AND start_ms = OLD.end_ms - ((OLD.end_ms % 2592000000) + 2592000000) % 2592000000
      AND vhost = OLD.vhost AND app = OLD.app AND source_type = OLD.source_type;
  UPDATE closed_stream_buckets SET records = records - 1
    WHERE length_ms = 86400000
      AND start_ms = OLD.end_ms - ((OLD.end_ms % 86400000) + 86400000) % 86400000
      AND vhost = OLD.vhost AND app = OLD.app AND source_type = OLD.source_type;
  UPDATE closed_stream_buckets SET records = records - 1
    WHERE length_ms = 3600000
      AND start_ms = OLD.end_ms - ((OLD.end_ms % 3600000) + 3600000) % 3600000
      AND vhost = OLD.vhost AND app = OLD.app AND source_type = OLD.source_type;
  UPDATE closed_stream_names SET records = records - 1 WHERE stream = OLD.stream;
END;

CREATE TABLE forbids (
  vhost TEXT NOT NULL,
  app TEXT NOT NULL,
  stream TEXT NOT NULL,
  domain TEXT NOT NULL,
  create_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  PRIMARY KEY (vhost, app, stream)
) STRICT;

CREATE INDEX forbids_by_create ON forbids (create_ms, vhost, app, stream);
)sql",

    // 2: a generation number for the history. A connection keeps a copy of
    // the history's filter columns in memory for substring filters
    // (closed_stream_index.hpp); this tells it whether anything changed the
    // history since, whoever did it, without reading the records. The copy
    // also replaces closed_stream_names, which goes.
    R"sql(
CREATE TABLE closed_streams_generation (
  only_row INTEGER PRIMARY KEY CHECK (only_row = 0),
  generation INTEGER NOT NULL
) STRICT;
INSERT INTO closed_streams_generation VALUES (0, 0);

-- The counting triggers of version 1, less closed_stream_names, plus the
-- generation: bumped by every change the copy could see, a record added or
-- removed or an id changed (ids name the rows a page is read back by). The
-- other columns it holds cannot change (closed_streams_are_immutable).
DROP TRIGGER closed_streams_counted;
DROP TRIGGER closed_streams_uncounted;
DROP TABLE closed_stream_names;

CREATE TRIGGER closed_streams_counted AFTER INSERT ON closed_streams
BEGIN
  INSERT INTO closed_stream_buckets VALUES (2592000000,
      NEW.end_ms - ((NEW.end_ms % 2592000000) + 2592000000) % 2592000000,
      NEW.vhost, NEW.app, NEW.source_type, 1)
    ON CONFLICT DO UPDATE SET records = records + 1;
  INSERT INTO closed_stream_buckets VALUES (86400000,
      NEW.end_ms - ((NEW.end_ms % 86400000) + 86400000) % 86400000,
      NEW.vhost, NEW.app, NEW.source_type, 1)
    ON CONFLICT DO UPDATE SET records = records + 1;
  INSERT INTO closed_stream_buckets VALUES (3600000,
      NEW.end_ms - ((NEW.end_ms % 3600000) + 3600000) % 3600000,
      NEW.vhost, NEW.app, NEW.source_type, 1)
    ON CONFLICT DO UPDATE SET records = records + 1;
  UPDATE closed_streams_generation SET generation = generation + 1;
END;

CREATE TRIGGER closed_streams_uncounted AFTER DELETE ON closed_streams
BEGIN
  UPDATE closed_stream_buckets SET records = records - 1
    WHERE length_ms = 2592000000
      AND start_ms = OLD.end_ms - ((OLD.end_ms % 2592000000) + 2592000000) % 2592000000
      AND vhost = OLD.vhost AND app = OLD.app AND source_type = OLD.source_type;
  UPDATE closed_stream_buckets SET records = records - 1
    WHERE length_ms = 86400000
      AND start_ms = OLD.end_ms - ((OLD.end_ms % 86400000) + 86400000) % 86400000
      AND vhost = OLD.vhost AND app = OLD.app AND source_type = OLD.source_type;
  UPDATE closed_stream_buckets SET records = records - 1
    WHERE length_ms = 3600000
      AND start_ms = OLD.end_ms - ((OLD.end_ms % 3600000) + 3600000) % 3600000
      AND vhost = OLD.vhost AND app = OLD.app AND source_type = OLD.source_type;
  UPDATE closed_streams_generation SET generation = generation + 1;
END;

CREATE TRIGGER closed_streams_renumbered AFTER UPDATE OF id ON closed_streams
BEGIN
  UPDATE closed_streams_generation SET generation = generation + 1;
END;
)sql",

    // 3: the callback outbox, and the publish URL's parameters the callbacks
    // report (kept with the open publish so a push_end written after a crash
    // has them; kept in the history so a closed record says all it was told).
    R"sql(
ALTER TABLE open_publishes ADD COLUMN url_params TEXT NOT NULL DEFAULT '';
ALTER TABLE closed_streams ADD COLUMN url_params TEXT NOT NULL DEFAULT '';

CREATE TABLE callbacks (
  -- AUTOINCREMENT: receivers dedupe by this id, so it is never reused, even
  -- after the newest message is delivered and deleted.
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_key TEXT NOT NULL,
  url TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  next_attempt_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  failed INTEGER NOT NULL CHECK (failed IN (0, 1))
) STRICT;

-- The head of each key's queue is its lowest waiting id: this index finds
-- every head without reading the payloads, and skips the failed messages,
-- which are kept for inspection but wait for nothing.
CREATE INDEX callbacks_waiting ON callbacks (order_key, id) WHERE failed = 0;
)sql",
};

}  // namespace

int schema_version() {
  return static_cast<int>(kMigrations.size());
}

void migrate(Db& db) {
  migrate(db, schema_version());
}

void migrate(Db& db, int version) {
  // In the transaction, so two processes opening a new file at once cannot
  // both run the same migration.
  Transaction transaction(db, Transaction::Kind::kWrite);
  const int64_t current = db.query_int64("PRAGMA user_version");
  if (current > schema_version()) {
    throw StoreError("sqlite: database schema version " + std::to_string(current) +
                     " is newer than this sluice supports (" + std::to_string(schema_version()) +
                     "); use a newer sluice or another data directory");
  }
  version = std::min(version, schema_version());
  if (current >= version) return;  // nothing to write: the transaction rolls back
  for (int64_t step = current; step < version; ++step) {
    db.exec(kMigrations[static_cast<size_t>(step)]);
  }
  // user_version lives in the database header, so it commits with the steps.
  db.exec("PRAGMA user_version = " + std::to_string(version));
  transaction.commit();
}

}  // namespace sluice::store::sqlite
