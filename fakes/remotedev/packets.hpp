#pragma once
// SocketCluster packets the RemoteDev fake sends, and its socket ids. Pure functions; any thread.
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace drover::fakes::remotedev {

// A fresh socket id: 20 characters of base64url (15 bytes: 11 random, then a 4-byte
// process-wide counter, so two ids of one process never repeat), like base64id's.
std::string make_socket_id();

// {"rid":CID} or {"rid":CID,"data":DATA}.
std::string answer_text(const boost::json::value& cid, const boost::json::value* data = nullptr);

// {"rid":CID,"error":{"message":MESSAGE,"name":NAME}}, the shape sc-errors' dehydrateError gives.
std::string error_text(const boost::json::value& cid, std::string_view name, std::string_view message);

// The error object alone ({"message":..., "name":...}).
boost::json::object error_object(std::string_view name, std::string_view message);

// {"event":EVENT} or {"event":EVENT,"data":DATA}.
std::string event_text(std::string_view event, const boost::json::value* data = nullptr);

}  // namespace drover::fakes::remotedev
