#pragma once
// Thin RAII over the SQLite C API: a connection (Db), a compiled statement
// (Statement, lent out by the connection's cache as a ScopedStatement) and a
// transaction (Transaction). Every failure throws store::StoreError carrying
// SQLite's own message, so the code above never checks a return code.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

struct sqlite3;
struct sqlite3_stmt;

namespace sluice::store::sqlite {

// A value for one '?' parameter.
using SqlValue = std::variant<int64_t, std::string>;

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are numbered from 1, as in SQLite.
  void bind(int index, int64_t value);
  void bind(int index, std::string_view value);
  // A variant, as the filters of a listing collect them.
  void bind_value(int index, const SqlValue& value);

  // Runs to the next row: true when a row is available, false when done.
  bool step();
  // Runs a statement that returns no rows (or whose rows do not matter).
  void run();

  // Columns are numbered from 0, as in SQLite.
  int64_t column_int64(int column) const;
  std::string column_text(int column) const;

  // Ready to run again with fresh bindings. Also ends the statement's read
  // of the database, which would otherwise hold back WAL checkpoints.
  void reset() noexcept;

 private:
  friend class ScopedStatement;
  friend class Db;
  [[noreturn]] void fail(std::string_view what) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool lent_ = false;  // by Db::prepare, until the ScopedStatement ends
};

// A cached statement lent out for one use; reset when the loan ends, so an
// early return or exception never leaves it mid-query.
class ScopedStatement {
 public:
  explicit ScopedStatement(Statement& statement) : statement_(&statement) {
    statement_->lent_ = true;
  }
  ~ScopedStatement() {
    statement_->reset();
    statement_->lent_ = false;
  }
  ScopedStatement(const ScopedStatement&) = delete;
  ScopedStatement& operator=(const ScopedStatement&) = delete;

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

class Db {
 public:
  // Opens (creating if needed) the database file; the parent directory must exist.
  explicit Db(const std::filesystem::path& file);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements that return nothing of interest (DDL, PRAGMAs).
  void exec(std::string_view sql);
  // The single integer a query returns (e.g. "PRAGMA user_version").
  int64_t query_int64(std::string_view sql);
  std::string query_text(std::string_view sql);

  // A statement for `sql`, compiled on first use and reused afterwards: the
  // queries are built from a handful of shapes, so the cache stays small.
  ScopedStatement prepare(const std::string& sql);

  int64_t last_insert_rowid() const;
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t changes() const;
  // False inside a transaction.
  bool autocommit() const;

 private:
  sqlite3* db_ = nullptr;
  // unique_ptr: a lent-out Statement must not move when the map rehashes.
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

class Transaction {
 public:
  enum class Kind {
    // BEGIN DEFERRED: one consistent snapshot for several reads.
    kRead,
    // BEGIN IMMEDIATE: takes the write lock at once, so contention waits in
    // busy_timeout here instead of failing at the first write.
    kWrite,
  };

  Transaction(Db& db, Kind kind);
  // Rolls back unless committed (an exception left the transaction).
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Db& db_;
  bool open_ = true;
};

}  // namespace sluice::store::sqlite
