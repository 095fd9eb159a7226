#include "fakes/remotedev/session_impl.hpp"

#include <iterator>
#include <string>

#include "fakes/remotedev/packets.hpp"

namespace drover::fakes::remotedev {

void session::fail(const json::value* cid, std::string_view name, const std::string& message) {
  if (cid) send(error_text(*cid, name, message));
}

void session::handle_packet(json::value& value) {
  json::object* packet = value.if_object();
  if (!packet) return;
  const json::value* event = packet->if_contains("event");
  // Answers ({"rid":...}) to us are never expected (we ask nothing); other shapes are "raw".
  if (!event || !event->is_string()) return;
  std::string_view name = event->get_string();
  const json::value* data = packet->if_contains("data");
  const json::value* cid = answer_to(*packet);
  if (!name.empty() && name.front() == '#') return reserved(name, *packet, data, cid);
  if (name == "login") return login(data, cid);
  relay(name, data);
  if (cid && flags_.answer_plain_emit) send(answer_text(*cid));
}

void session::reserved(std::string_view name, const json::object& packet, const json::value* data, const json::value* cid) {
  if (name == "#handshake") {
    // v1 listens for one handshake only; v2 answers every one (the same status again).
    if (!v1()) handshake(packet, false);
    return;
  }
  if (name == "#subscribe") return subscribe(data, cid);
  if (name == "#unsubscribe") return unsubscribe(data, cid);
  if (name == "#publish") return client_publish(data, cid);
  if (name == "#authenticate") return fail(cid, "AuthTokenInvalidError", std::string(no_tokens));
  // #removeAuthToken, #disconnect (the client is about to close) and any other reserved name:
  // nothing to do and nothing to answer.
}

std::string session::broker_error(std::string_view what, std::string_view channel, const std::string& why) const {
  return "Failed to " + std::string(what) + " the " + std::string(channel) + " channel - " +
         (v1() ? "" : "InvalidActionError: ") + "Socket " + id_ + " " + why;
}

void session::subscribe(const json::value* data, const json::value* cid) {
  const json::value* channel = nullptr;
  if (data && data->is_object()) channel = data->as_object().if_contains("channel");
  else if (data && data->is_string() && v1()) channel = data;  // v1 also takes the bare name
  if (!channel || !channel->is_string()) {
    if (!v1()) return fail(cid, "InvalidActionError", "Subscribe channel name was malformatted");
    return fail(cid, "BrokerError",
                broker_error("subscribe socket to", "undefined", "provided an invalid channel name"));
  }
  // @redux-devtools/cli subscribes on request only (a #subscribe without a cid does nothing).
  if (!cid && !v1()) return;
  std::string name(channel->get_string());
  // The real servers take any length; a bound keeps one client's subscriptions small.
  if (name.size() > max_channel_name) {
    // The first 64 bytes at most, cut before a UTF-8 continuation byte: text frames stay UTF-8.
    std::size_t cut = 64;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    return fail(cid, "BrokerError",
                broker_error("subscribe socket to", name.substr(0, cut) + "...",
                             "provided a channel name longer than " + std::to_string(max_channel_name) + " bytes"));
  }
  if (!subscriptions_.count(name) && subscriptions_.size() >= config().channel_limit) {
    return fail(cid, "BrokerError",
                broker_error("subscribe socket to", name,
                             "tried to exceed the channel subscription limit of " +
                                 std::to_string(config().channel_limit)));
  }
  if (subscriptions_.insert(name).second) shared_->channels.subscribe(name, box_);
  if (cid && !flags_.subscribe_not_acked) send(answer_text(*cid));
}

void session::unsubscribe(const json::value* data, const json::value* cid) {
  if (!data || !data->is_string()) {
    if (!v1()) return fail(cid, "InvalidActionError", "Unsubscribe channel name was malformatted");
    return fail(cid, "BrokerError",
                broker_error("unsubscribe socket from", "undefined", "tried to unsubscribe from an invalid channel name"));
  }
  std::string name(data->get_string());
  if (!subscriptions_.count(name)) {
    return fail(cid, "BrokerError",
                broker_error("unsubscribe socket from", name,
                             "tried to unsubscribe from a channel which it is not subscribed to"));
  }
  if (!flags_.unsubscribe_ignored) {
    subscriptions_.erase(name);
    shared_->channels.unsubscribe(name, box_);
  }
  if (cid) send(answer_text(*cid));
}

void session::client_publish(const json::value* data, const json::value* cid) {
  if (!flags_.publish_accepted) return fail(cid, "InvalidActionError", "Client publish feature is disabled");
  const json::object* d = data ? data->if_object() : nullptr;
  const json::value* channel = d ? d->if_contains("channel") : nullptr;
  if (!channel || !channel->is_string()) return fail(cid, "InvalidActionError", "Publish channel name was malformatted");
  shared_->channels.publish(channel->get_string(), d->if_contains("data"));
  if (cid) send(answer_text(*cid));
}

void session::login(const json::value* data, const json::value* cid) {
  bool app = data && data->is_string() && data->get_string() == "master";
  role_ = app ? role::app : role::monitor;
  std::string_view watch = app ? "respond" : "log";
  if (v1()) shared_->channels.set_direct(id_, box_, std::string(watch));
  if (!cid) return;
  std::string_view channel = watch;
  if (app && flags_.wrong_channel_for_app) channel = "log";
  if (!app && flags_.wrong_channel_for_monitor) channel = "respond";
  json::value answer = json::string(channel);
  send(answer_text(*cid, &answer));
}

void session::relay(std::string_view name, const json::value* data) {
  exchange& channels = shared_->channels;
  if (name == "log") {
    if (flags_.log_not_relayed) return;
    if (!flags_.log_relayed_modified) return channels.publish("log", data);
    json::value changed = data && data->is_object() && !data->as_object().empty() ? *data : json::value();
    if (changed.is_object()) changed.as_object().erase(std::prev(changed.as_object().end()));
    return channels.publish("log", &changed);
  }
  if (name == "log-noid") {
    if (flags_.log_noid_not_wrapped) return channels.publish("log", data);
    json::object wrapped;
    wrapped["id"] = flags_.log_noid_wrong_id ? "not-" + id_ : id_;
    if (data) wrapped["data"] = *data;
    json::value message = std::move(wrapped);
    return channels.publish("log", &message);
  }
  if (name == "respond") {
    if (!flags_.respond_not_relayed) channels.publish("respond", data);
    return;
  }
  if (name.rfind("sc-", 0) == 0) channels.publish(name, data);
}

}  // namespace drover::fakes::remotedev
