#pragma once
// Tolerant reads of platform JSON: platforms add fields, send null where a value is
// absent and leave out anything optional, so every read checks the shape and falls
// back to "not there" instead of throwing. Used by the Slack and Teams parsers.
// Pure functions; thread-safe.
#include <string>

#include <nlohmann/json.hpp>

namespace bot {

// The member, or null when `j` is not an object or has no such key.
inline const nlohmann::json* member(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

// The member when it is an object, else a null value.
inline const nlohmann::json& object_at(const nlohmann::json& j, const char* key) {
  static const nlohmann::json none;
  const nlohmann::json* m = member(j, key);
  return (m && m->is_object()) ? *m : none;
}

// The member when it is a string, else "".
inline std::string string_at(const nlohmann::json& j, const char* key) {
  const nlohmann::json* m = member(j, key);
  return (m && m->is_string()) ? m->get<std::string>() : std::string{};
}

}  // namespace bot
