#pragma once
// Web links in what people type: evidence ("save https://...") and activity resources
// carry them. Only absolute http(s) URLs with a host count. Pure; thread-safe.
#include <optional>
#include <string>
#include <string_view>

namespace dialogs {

// True for an absolute http:// or https:// URL with a host.
bool is_web_link(std::string_view text);

// The first web link in free text, without the punctuation that ends a sentence.
std::optional<std::string> first_link(std::string_view text);

}  // namespace dialogs
