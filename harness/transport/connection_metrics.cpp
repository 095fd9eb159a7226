#include "harness/transport/connection_metrics.hpp"

namespace drover::transport::detail {

namespace names = metrics::names;
using metrics::value_unit;

void connection_metrics::opened(clock::duration connecting, clock::duration handshaking) {
  if (!rec_) return;
  rec_->trend(names::ws_connecting).add(ms(connecting));
  rec_->trend(names::ws_handshaking).add(ms(handshaking));
  rec_->add_counter(names::ws_sessions);
}

void connection_metrics::message_counters::add(metrics::recorder& rec, std::string_view msgs_name,
                                               std::string_view bytes_name, std::size_t payload_bytes) {
  if (!msgs) {
    msgs = &rec.counter(msgs_name);
    bytes = &rec.counter(bytes_name, value_unit::bytes);
  }
  msgs->total += 1;
  bytes->total += static_cast<double>(payload_bytes);
}

void connection_metrics::sent(std::size_t payload_bytes) {
  if (rec_) sent_.add(*rec_, names::ws_msgs_sent, names::data_sent, payload_bytes);
}

void connection_metrics::received(std::size_t payload_bytes) {
  if (rec_) received_.add(*rec_, names::ws_msgs_received, names::data_received, payload_bytes);
}

void connection_metrics::ping(clock::duration rtt) {
  if (rec_) rec_->trend(names::ws_ping).add(ms(rtt));
}

void connection_metrics::ended(clock::duration session, int close_code, bool record_close_code) {
  if (!rec_) return;
  rec_->trend(names::ws_session_duration).add(ms(session));
  if (record_close_code) rec_->add_close_code(close_code);
}

void connection_metrics::error(const error_info& err) {
  if (!rec_ || err.kind == error_kind::none || err.kind == error_kind::recv_timeout ||
      err.kind == error_kind::cancelled)
    return;
  rec_->add_error(to_string(err.kind), err.message);
}

}  // namespace drover::transport::detail
