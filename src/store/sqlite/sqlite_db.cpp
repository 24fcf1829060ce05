#include "store/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

#include "store/store.hpp"

namespace sluice::store::sqlite {
namespace {

// Enough of the SQL to recognise the statement in an error message.
std::string excerpt(std::string_view sql) {
  constexpr size_t kMax = 80;
  return sql.size() <= kMax ? std::string(sql) : std::string(sql.substr(0, kMax)) + "...";
}

[[noreturn]] void throw_error(sqlite3* db, std::string_view what) {
  throw StoreError("sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace

// --- Statement ---

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    throw_error(db_, "prepare \"" + excerpt(sql) + "\"");
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

void Statement::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail("bind");
}

void Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies the text, so the caller's buffer may go.
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    fail("bind");
  }
}

void Statement::bind_value(int index, const SqlValue& value) {
  std::visit([&](const auto& v) { bind(index, v); }, value);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail("step");
}

void Statement::run() {
  while (step()) {
  }
}

int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::column_text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string();
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::fail(std::string_view what) const {
  throw_error(db_, std::string(what) + " \"" + excerpt(sqlite3_sql(stmt_)) + "\"");
}

// --- Db ---

Db::Db(const std::filesystem::path& file) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(file.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    // A handle is returned even on failure, to carry the message.
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw StoreError("sqlite: open " + file.string() + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Db::~Db() {
  statements_.clear();  // every statement must be finalized before the close
  sqlite3_close(db_);
}

void Db::exec(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec wants a terminated string
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    throw_error(db_, "exec \"" + excerpt(sql) + "\"");
  }
}

int64_t Db::query_int64(std::string_view sql) {
  Statement statement(db_, sql);
  if (!statement.step()) throw StoreError("sqlite: no row from \"" + excerpt(sql) + "\"");
  return statement.column_int64(0);
}

std::string Db::query_text(std::string_view sql) {
  Statement statement(db_, sql);
  if (!statement.step()) throw StoreError("sqlite: no row from \"" + excerpt(sql) + "\"");
  return statement.column_text(0);
}

ScopedStatement Db::prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_.emplace(sql, std::make_unique<Statement>(db_, sql)).first;
  }
  // Lending it twice at once would let one user reset the other's query.
  if (it->second->lent_) throw StoreError("sqlite: statement already in use: " + excerpt(sql));
  return ScopedStatement(*it->second);
}

int64_t Db::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int64_t Db::changes() const {
  return sqlite3_changes64(db_);
}

bool Db::autocommit() const {
  return sqlite3_get_autocommit(db_) != 0;
}

// --- Transaction ---

Transaction::Transaction(Db& db, Kind kind) : db_(db) {
  db_.exec(kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Transaction::~Transaction() {
  // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) have already rolled back.
  if (!open_ || db_.autocommit()) return;
  try {
    db_.exec("ROLLBACK");
  } catch (const StoreError&) {
    // Nothing better to do in a destructor: the connection rolls back when it
    // closes, and the original exception is already on its way up.
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace sluice::store::sqlite
