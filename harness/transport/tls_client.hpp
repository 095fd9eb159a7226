#pragma once
// Internal: the client-side TLS steps shared by wss:// (ws_stream_tls.cpp) and https://
// (http_stream.cpp), kept out of their Beast templates. Any thread; the SSL object is the
// caller's and is only configured or read here.
#include <openssl/ssl.h>

#include <string>

namespace drover::transport::detail {

// Before the handshake: SNI for host names (RFC 6066 forbids IP literals), and OpenSSL's own
// host or IP check when verification is on, so a mismatch is reported as "hostname mismatch"
// rather than as a generic handshake failure.
void prepare_tls_client(SSL* ssl, const std::string& host);

// After a failed handshake: why certificate verification failed ("certificate has expired"),
// or "" when it did not fail.
std::string tls_verify_failure(SSL* ssl);

}  // namespace drover::transport::detail
