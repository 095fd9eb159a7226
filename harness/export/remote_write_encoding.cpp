#include "harness/export/remote_write_encoding.hpp"

#include <snappy.h>

#include "harness/export/remote_write.pb.h"

namespace drover::exporting {

std::string encode_remote_write(const std::vector<prometheus_series>& series) {
  prompb::WriteRequest request;
  request.mutable_timeseries()->Reserve(static_cast<int>(series.size()));
  for (const auto& one : series) {
    prompb::TimeSeries* ts = request.add_timeseries();
    for (const auto& [name, value] : one.labels) {
      prompb::Label* label = ts->add_labels();
      label->set_name(name);
      label->set_value(value);
    }
    for (const auto& sample : one.samples) {
      prompb::Sample* s = ts->add_samples();
      s->set_value(sample.value);
      s->set_timestamp(sample.timestamp_ms);
    }
  }
  std::string encoded = request.SerializeAsString();
  std::string compressed;
  snappy::Compress(encoded.data(), encoded.size(), &compressed);
  return compressed;
}

}  // namespace drover::exporting
