#pragma once
// The RemoteDev fake's pub/sub: which connections subscribed to which channel, and the
// publishing that turns an event into {"event":"#publish","data":{"channel":C,"data":D}} for
// each of them (serialised once, shared). Protocol v1 also has direct messages: after a
// login, whatever is published on "sc-<socket id>" reaches that socket as an event named
// after the channel it watches ({"event":"respond","data":D} for an app), as remotedev-server
// 0.3.1 does.
//
// Threading: any method, any thread. One mutex guards everything, so every subscriber sees
// publications in one global order (each sender's in the order sent). Texts go into each
// connection's mailbox under that mutex; the connection drains it on its own thread (the wake
// callback must post the drain, never run it inline).
#include "fakes/common/mailbox.hpp"
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/value.hpp>

namespace drover::fakes::remotedev {

using text_ptr = std::shared_ptr<const std::string>;

using mailbox = fakes::mailbox<text_ptr>;

class exchange {
 public:
  // Idempotent per (channel, box).
  void subscribe(const std::string& channel, const std::shared_ptr<mailbox>& box);
  void unsubscribe(const std::string& channel, const std::shared_ptr<mailbox>& box);
  // A spy receives every publication of every channel (fault deliver-unsubscribed).
  void add_spy(const std::shared_ptr<mailbox>& box);
  void remove_spy(const std::shared_ptr<mailbox>& box);
  // v1 direct messages to socket_id, as events named `watch`; a second call replaces the first.
  void set_direct(const std::string& socket_id, const std::shared_ptr<mailbox>& box, std::string watch);
  void remove_direct(const std::string& socket_id, const std::shared_ptr<mailbox>& box);

  // Publishes data (null: the packet has no "data") on channel to its subscribers and the spies,
  // and, for a channel "sc-<id>", to socket id's direct box.
  void publish(std::string_view channel, const boost::json::value* data);

  // Channels with at least one subscriber (a channel goes with its last subscriber).
  std::size_t channel_count();

 private:
  struct direct {
    std::shared_ptr<mailbox> box;
    std::string watch;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<mailbox>>> channels_;
  std::vector<std::shared_ptr<mailbox>> spies_;
  // A multimap: ids are unique unless a fault (same-socket-id) says otherwise.
  std::unordered_multimap<std::string, direct> directs_;
};

// {"event":"#publish","data":{"channel":C[,"data":D]}}
std::string publish_text(std::string_view channel, const boost::json::value* data);

}  // namespace drover::fakes::remotedev
