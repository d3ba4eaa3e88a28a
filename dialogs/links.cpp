#include "dialogs/links.hpp"

#include <cctype>

#include <boost/url/parse.hpp>

namespace dialogs {

bool is_web_link(std::string_view text) {
  if (!text.starts_with("http://") && !text.starts_with("https://")) return false;
  auto url = boost::urls::parse_absolute_uri(text);
  return url && !url->host().empty();
}

std::optional<std::string> first_link(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t start = text.find("http", at);
    if (start == std::string_view::npos) return std::nullopt;
    std::size_t end = start;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '<' &&
           text[end] != '>' && text[end] != '"')
      ++end;
    std::string_view candidate = text.substr(start, end - start);
    while (!candidate.empty() && std::string_view{".,;:!?)]'"}.find(candidate.back()) != std::string_view::npos)
      candidate.remove_suffix(1);
    if ((start == 0 || !std::isalnum(static_cast<unsigned char>(text[start - 1]))) && is_web_link(candidate))
      return std::string{candidate};
    at = end > start ? end : start + 4;
  }
  return std::nullopt;
}

}  // namespace dialogs
