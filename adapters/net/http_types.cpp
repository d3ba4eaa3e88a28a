#include "adapters/net/http_types.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <boost/url.hpp>

namespace net {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool unreserved(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

void append_encoded(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (char c : s) {
    if (unreserved(c)) {
      out += c;
    } else {
      const auto u = static_cast<unsigned char>(c);
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 0x0F];
    }
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode_component(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::uint16_t default_port(std::string_view scheme) {
  return scheme == "https" || scheme == "wss" ? 443 : 80;
}

}  // namespace

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return std::string_view{value};
  }
  return std::nullopt;
}

std::string_view ServerRequest::path() const {
  const std::string_view t{target};
  return t.substr(0, t.find('?'));
}

std::optional<Endpoint> parse_endpoint(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return std::nullopt;
  const boost::urls::url_view& u = *parsed;

  Endpoint ep;
  ep.scheme = u.scheme();
  std::transform(ep.scheme.begin(), ep.scheme.end(), ep.scheme.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  if (ep.scheme != "http" && ep.scheme != "https" && ep.scheme != "ws" && ep.scheme != "wss") return std::nullopt;

  ep.host = u.host_address();
  if (ep.host.empty()) return std::nullopt;

  if (u.has_port() && !u.port().empty()) {
    // Boost.URL accepts any run of digits here; port_number() wraps what does not fit.
    unsigned long port = 0;
    for (char c : u.port()) {
      port = port * 10 + static_cast<unsigned long>(c - '0');
      if (port > 65535) return std::nullopt;
    }
    if (port == 0) return std::nullopt;
    ep.port = static_cast<std::uint16_t>(port);
  } else {
    ep.port = default_port(ep.scheme);
  }

  ep.target = u.encoded_path();
  if (ep.target.empty()) ep.target = "/";
  if (u.has_query()) {
    ep.target += '?';
    ep.target += u.encoded_query();
  }
  return ep;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out += '&';
    append_encoded(out, key);
    out += '=';
    append_encoded(out, value);
  }
  return out;
}

HttpResponse respond(int status, std::string body, std::string type) {
  HttpResponse r;
  r.status = status;
  if (!body.empty()) r.headers.emplace_back("Content-Type", std::move(type));
  r.body = std::move(body);
  return r;
}

HttpResponse method_not_allowed(const std::string& allow) {
  HttpResponse r = respond(405, allow + " only\n");
  r.headers.emplace_back("Allow", allow);
  return r;
}

std::string encode_segment(std::string_view segment) {
  std::string out;
  append_encoded(out, segment);
  return out;
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) {
  using namespace std::chrono;
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
      s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  const auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int v = 0;
    const char* end = s.data() + at + length;
    if (s[at] < '0' || s[at] > '9') return std::nullopt;  // from_chars would take a sign
    const auto [p, ec] = std::from_chars(s.data() + at, end, v);
    if (ec != std::errc{} || p != end) return std::nullopt;
    return v;
  };
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const std::size_t m = kMonths.find(s.substr(8, 3));
  const auto d = number(5, 2), y = number(12, 4), hh = number(17, 2), mm = number(20, 2), ss = number(23, 2);
  if (m == std::string_view::npos || m % 3 != 0 || !d || !y || !hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60)
    return std::nullopt;
  const year_month_day day{year{*y}, month{static_cast<unsigned>(m / 3 + 1)}, std::chrono::day{static_cast<unsigned>(*d)}};
  // Past 2262 the system clock's nanoseconds overflow; no server means a date that far.
  if (!day.ok() || *y > 2200) return std::nullopt;
  return sys_days{day} + hours{*hh} + minutes{*mm} + seconds{*ss};
}

std::chrono::milliseconds retry_after(const HttpResponse& response, std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  // A day at most: a wait longer than that is a server's mistake, not a plan.
  constexpr seconds kLongest = hours{24};
  seconds wait{1};
  if (const auto h = response.header("Retry-After")) {
    long long v = 0;
    const auto [p, ec] = std::from_chars(h->data(), h->data() + h->size(), v);
    if (ec == std::errc{} && p == h->data() + h->size() && v >= 0) wait = seconds{std::min<long long>(v, kLongest.count())};
    else if (const auto at = parse_http_date(*h)) wait = std::min(duration_cast<seconds>(*at - now), kLongest);
  }
  return std::max(wait, seconds{1});
}

std::optional<std::vector<std::pair<std::string, std::string>>> form_decode(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> fields;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view piece = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (piece.empty()) continue;

    const auto eq = piece.find('=');
    auto key = decode_component(piece.substr(0, eq));
    auto value = eq == std::string_view::npos ? std::optional<std::string>{std::string{}}
                                              : decode_component(piece.substr(eq + 1));
    if (!key || !value) return std::nullopt;
    const bool seen =
        std::any_of(fields.begin(), fields.end(), [&](const auto& field) { return field.first == *key; });
    if (!seen) fields.emplace_back(std::move(*key), std::move(*value));
  }
  return fields;
}

}  // namespace net
