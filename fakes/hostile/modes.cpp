// The mode table: what each mode does and what drover must make of it (fakes/README.md
// "## hostile" repeats it; the integration tests tests/integration/hostile_*_test.cpp hold it).
#include <sstream>

#include "fakes/hostile/hostile_server.hpp"

namespace drover::fakes {

const std::vector<hostile_mode_info>& hostile_modes() {
  using m = hostile_mode;
  static const std::vector<hostile_mode_info> table = {
      {m::slow_upgrade, "slow-upgrade", "sends the (correct) 101 answer at 1 byte per second",
       "handshake_timeout after --connect-timeout"},
      {m::bad_upgrade, "bad-upgrade", "answers 101 without the Upgrade and Connection headers", "protocol"},
      {m::bad_accept, "bad-accept", "answers 101 with a wrong Sec-WebSocket-Accept", "protocol"},
      {m::trickle, "trickle", "after the upgrade, sends one 120-byte text message at 1 byte per 100 ms",
       "recv(timeout) gives \"timeout\"; close() ends with close_timeout (the server never answers the close)"},
      {m::never_read, "never-read", "after the upgrade, never reads again (TCP buffers fill up)",
       "a send blocks, then write_timeout (10 s); memory stays flat"},
      {m::rst_mid_frame, "rst-mid-frame",
       "after the upgrade, sends 10 bytes of a frame announcing 1000, then resets the TCP connection", "reset"},
      {m::oversized, "oversized", "after the upgrade, sends a text frame header announcing 100 MB (then 1 KiB)",
       "message_too_big (drover closes 1009 without reading the payload)"},
      {m::invalid_utf8, "invalid-utf8", "after the upgrade, sends a text frame holding invalid UTF-8", "protocol"},
      {m::fragmented_control, "fragmented-control", "after the upgrade, sends a ping without FIN (fragmented)",
       "protocol"},
      {m::ping_flood, "ping-flood",
       "after the upgrade, sends 10,000 pings per second and echoes messages (between pings)",
       "no error: pongs are sent, echoes still arrive, memory stays flat"},
      {m::close_storm, "close-storm",
       "after the upgrade, sends a burst of bad close frames (codes 1005, 1006, 999, 5000, 1004, a 1-byte "
       "payload, a 200-byte reason, invalid UTF-8); each connection starts at the next",
       "protocol"},
      {m::unasked_compression, "unasked-compression",
       "after the upgrade (no extension negotiated), sends a text frame with RSV1 set", "protocol"},
      {m::binary_instead_of_text, "binary-instead-of-text",
       "sends JSON in binary frames: a hello at once, then every message echoed as binary",
       "no transport error; recv_raw shows is_binary (the script or suite judges it)"},
      {m::half_close, "half-close", "after the upgrade, shuts down its write side (FIN, no close frame), keeps reading",
       "reset (dropped without a close frame)"},
      {m::tls_expired, "tls-expired", "TLS with a certificate that expired yesterday (write it with --cert-out)",
       "tls (certificate has expired), also when the certificate is trusted with --ca", true},
      {m::tls_wrong_host, "tls-wrong-host", "TLS with a valid certificate for wrong-host.invalid only",
       "tls (hostname/IP mismatch), also when the certificate is trusted with --ca", true},
      {m::tls_stall, "tls-stall", "accepts TCP, reads the ClientHello and never answers it",
       "connect_timeout (the TLS handshake) after --connect-timeout", true},
      {m::tls_oversized, "tls-oversized",
       "TLS with a valid certificate for 127.0.0.1, then as oversized (100 MB frame header, TLS and TCP kept open)",
       "message_too_big at once (drover does not wait for the TLS close_notify for ever)", true},
  };
  return table;
}

std::string format_hostile_modes() {
  std::ostringstream out;
  for (const auto& info : hostile_modes()) {
    std::string name(info.name);
    name.resize(std::max<std::size_t>(name.size() + 2, 24), ' ');
    out << name << info.does << "  -> drover reports: " << info.reports << '\n';
  }
  return out.str();
}

}  // namespace drover::fakes
