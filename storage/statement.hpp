#pragma once
// Helpers for cached prepared statements. A Use starts from clean bindings and resets
// the statement when it goes out of scope, so an unfinished SELECT never keeps a read
// transaction open. Not thread-safe (neither are the statements).
#include <cstdint>
#include <optional>
#include <string>

#include <SQLiteCpp/Statement.h>

#include "bot/clock.hpp"
#include "bot/ids.hpp"

namespace storage {

class Use {
 public:
  explicit Use(SQLite::Statement& s) : s_(s) {
    s_.reset();
    s_.clearBindings();
  }
  ~Use() { s_.tryReset(); }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  SQLite::Statement* operator->() { return &s_; }
  SQLite::Statement& operator*() { return s_; }

 private:
  SQLite::Statement& s_;
};

inline void bind_optional(SQLite::Statement& s, int index, const std::optional<std::string>& v) {
  if (v) s.bind(index, *v);
  else s.bind(index);
}

inline void bind_optional(SQLite::Statement& s, int index, const std::optional<int>& v) {
  if (v) s.bind(index, *v);
  else s.bind(index);
}

// Times are stored as UTC unix milliseconds.
inline void bind_optional(SQLite::Statement& s, int index, const std::optional<bot::Instant>& v) {
  if (v) s.bind(index, bot::to_unix_ms(*v));
  else s.bind(index);
}

template <class Tag>
void bind_optional(SQLite::Statement& s, int index, const std::optional<bot::Id<Tag>>& v) {
  if (v) s.bind(index, v->value);
  else s.bind(index);
}

inline std::optional<bot::Instant> optional_time(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return bot::from_unix_ms(c.getInt64());
}

template <class IdType>
std::optional<IdType> optional_id(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return IdType{c.getInt64()};
}

inline std::optional<std::string> optional_text(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

inline std::optional<int> optional_int(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt();
}

}  // namespace storage
