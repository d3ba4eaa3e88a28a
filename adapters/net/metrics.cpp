#include "adapters/net/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace net {

namespace {

std::string escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::ostringstream s;
  s.precision(15);
  s << v;
  return s.str();
}

std::string label_text(const Labels& labels, const std::pair<std::string, std::string>* extra = nullptr) {
  if (labels.empty() && !extra) return {};
  std::string out = "{";
  bool first = true;
  auto put = [&](const std::pair<std::string, std::string>& l) {
    if (!first) out += ',';
    first = false;
    out += l.first + "=\"" + escape(l.second) + '"';
  };
  for (const auto& l : labels) put(l);
  if (extra) put(*extra);
  return out + "}";
}

}  // namespace

Metrics::Family& Metrics::family(const std::string& name, const char* type) {
  const auto it = families_.find(name);
  if (it == families_.end() || it->second.type != type)
    throw std::logic_error("metrics: " + name + " is not a declared " + type);
  return it->second;
}

void Metrics::counter(const std::string& name, std::string help) {
  if (families_.contains(name)) return;  // two owners may declare the same counter
  Family f;
  f.help = std::move(help);
  f.type = "counter";
  families_.insert_or_assign(name, std::move(f));
}

void Metrics::gauge(const std::string& name, std::string help, std::function<double()> read) {
  Family f;
  f.help = std::move(help);
  f.type = "gauge";
  f.read = std::move(read);
  families_.insert_or_assign(name, std::move(f));
}

void Metrics::histogram(const std::string& name, std::string help, std::vector<double> buckets) {
  if (families_.contains(name)) return;
  Family f;
  f.help = std::move(help);
  f.type = "histogram";
  std::sort(buckets.begin(), buckets.end());
  f.buckets = std::move(buckets);
  families_.insert_or_assign(name, std::move(f));
}

void Metrics::add(const std::string& name, const Labels& labels, double value) {
  family(name, "counter").values[labels] += value;
}

void Metrics::observe(const std::string& name, double value, const Labels& labels) {
  Family& f = family(name, "histogram");
  Histogram& h = f.histograms[labels];
  if (h.counts.empty()) h.counts.assign(f.buckets.size(), 0);
  const auto at = std::lower_bound(f.buckets.begin(), f.buckets.end(), value);
  if (at != f.buckets.end()) ++h.counts[static_cast<std::size_t>(at - f.buckets.begin())];
  ++h.count;
  h.sum += value;
}

double Metrics::value(const std::string& name, const Labels& labels) const {
  const auto it = families_.find(name);
  if (it == families_.end()) return 0;
  const auto v = it->second.values.find(labels);
  return v == it->second.values.end() ? 0 : v->second;
}

std::string Metrics::render() const {
  std::string out;
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + ' ' + f.help + '\n';
    out += "# TYPE " + name + ' ' + f.type + '\n';
    if (f.type == "gauge") {
      out += name + ' ' + number(f.read ? f.read() : 0) + '\n';
    } else if (f.type == "counter") {
      // A counter nobody touched yet still shows, as 0, so dashboards see it exists.
      if (f.values.empty()) out += name + " 0\n";
      for (const auto& [labels, v] : f.values) out += name + label_text(labels) + ' ' + number(v) + '\n';
    } else {
      for (const auto& [labels, h] : f.histograms) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < f.buckets.size(); ++i) {
          cumulative += h.counts[i];
          const std::pair<std::string, std::string> le{"le", number(f.buckets[i])};
          out += name + "_bucket" + label_text(labels, &le) + ' ' + std::to_string(cumulative) + '\n';
        }
        const std::pair<std::string, std::string> inf{"le", "+Inf"};
        out += name + "_bucket" + label_text(labels, &inf) + ' ' + std::to_string(h.count) + '\n';
        out += name + "_sum" + label_text(labels) + ' ' + number(h.sum) + '\n';
        out += name + "_count" + label_text(labels) + ' ' + std::to_string(h.count) + '\n';
      }
    }
  }
  return out;
}

void declare_event_metrics(Metrics& m) {
  m.counter("coachbot_events_received_total", "Inbound platform deliveries, by transport");
  m.counter("coachbot_events_acked_total", "Deliveries acknowledged after their transaction committed");
  m.counter("coachbot_events_duplicate_total", "Redeliveries recognised by their event id; nothing changed");
  m.counter("coachbot_events_rejected_total", "HTTP requests refused before parsing, by reason");
  m.histogram("coachbot_event_handling_seconds", "Receipt to commit of an event",
              {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5});
}

}  // namespace net
