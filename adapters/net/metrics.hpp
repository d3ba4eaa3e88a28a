#pragma once
// Counters, gauges and histograms for /metrics, rendered in the Prometheus text
// exposition format (version 0.0.4). Metric and label names are fixed by the code;
// label values are escaped. Cheap enough to update on every event.
// Not thread-safe: update and render on the io_context thread.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace net {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  // Declares a metric's help text and type; samples of undeclared metrics are refused
  // by a logic_error, so a typo cannot create a metric silently. Declaring a counter
  // again keeps its values.
  void counter(const std::string& name, std::string help);
  void gauge(const std::string& name, std::string help, std::function<double()> read);
  void histogram(const std::string& name, std::string help, std::vector<double> buckets);

  void add(const std::string& name, const Labels& labels = {}, double value = 1);
  void observe(const std::string& name, double value, const Labels& labels = {});
  double value(const std::string& name, const Labels& labels = {}) const;  // a counter's current value, for tests

  std::string render() const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> counts;  // per bucket, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    std::string help;
    std::string type;
    std::vector<double> buckets;
    std::function<double()> read;
    std::map<Labels, double> values;
    std::map<Labels, Histogram> histograms;
  };
  Family& family(const std::string& name, const char* type);
  std::map<std::string, Family> families_;
};

// The inbound counters every platform service keeps under the same names (received,
// acknowledged after commit, duplicate, rejected, time to commit), labelled by transport.
void declare_event_metrics(Metrics& m);

}  // namespace net
