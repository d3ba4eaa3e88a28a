#pragma once
// Plain HTTP request/response values shared by the client, the server and the platform
// adapters, so that nothing outside adapters/net/*.cpp needs Beast. Header names are
// compared case-insensitively. Value types; safe to copy between threads.
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace net {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The first value of a header, by case-insensitive name.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method = "POST";
  std::string url;  // absolute: http:// or https://
  Headers headers;
  std::string body;
  // Must go within seconds (Slack's views.open with a trigger id that expires after 3):
  // it does not queue behind other requests for a connection to the host, but opens
  // one beyond the per-host cap when none is idle.
  bool urgent = false;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
};

// What the server hands a handler: the raw body bytes, untouched (signatures are
// computed over them).
struct ServerRequest {
  std::string method;
  std::string target;  // path and query, as sent
  Headers headers;
  std::string body;
  std::string remote;  // peer address, for logs
  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
  std::string_view path() const;  // target without the query
};

// A response with that status and body; the Content-Type only when there is a body.
HttpResponse respond(int status, std::string body = {}, std::string type = "text/plain; charset=utf-8");
// 405 with the Allow header HTTP requires ("GET, HEAD"), saying the same in the body.
HttpResponse method_not_allowed(const std::string& allow);

// A network failure: connect, TLS, timeout, a closed or malformed response. The
// message says which and where, never a header value (tokens live there).
struct NetError : std::runtime_error {
  enum class Kind { connect, tls, timeout, protocol, closed, too_large };
  NetError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
  Kind kind;
};

// scheme://host:port/target, split; nullopt for anything but http, https, ws, wss.
struct Endpoint {
  std::string scheme;  // "http", "https", "ws", "wss"
  std::string host;
  std::uint16_t port = 0;
  std::string target;  // "/path?query", at least "/"
  bool tls() const { return scheme == "https" || scheme == "wss"; }
};
std::optional<Endpoint> parse_endpoint(std::string_view url);

// application/x-www-form-urlencoded: encoding for requests, decoding ('+' is a space)
// for Slack's interactivity and slash-command bodies. Decoding keeps the first value of
// a repeated key; a malformed escape makes the whole body invalid (nullopt).
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);
std::optional<std::vector<std::pair<std::string, std::string>>> form_decode(std::string_view body);

// One URL path segment with everything but the unreserved characters percent-encoded
// (Teams conversation ids hold ':', '@', ';' and '=').
std::string encode_segment(std::string_view segment);

// The response's Retry-After, delay-seconds or an HTTP date (IMF-fixdate, as of `now`),
// at least one second: a missing or odd header must still not mean "at once".
std::chrono::milliseconds retry_after(const HttpResponse& response,
                                      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 §5.6.7); nullopt otherwise.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace net
