#pragma once
// The `http` global (http.get, http.post, http.request, cookies) and the per-client HTTP state
// it keeps: a cookie jar and the kept-alive connections, owned by the client (a
// client::extension), closed at the end of each iteration and freed with the client.
// Worker thread only.
#include <string>
#include <utility>
#include <vector>

#include <lua.hpp>

#include "harness/common/url.hpp"

namespace drover::scenario {

class client;

void install_http_api(lua_State* L);
// For the control state (options, setup, teardown): http.live_connections only; it makes no
// requests (it has no worker), so teardown() can check that every connection was released.
void install_control_http_api(lua_State* L);

// The client's cookie jar for ws.connect (ws:// and wss:// match like http:// and https://):
// appends a Cookie header for url when the jar holds cookies for it (merged into a Cookie
// header the script set), and stores the Set-Cookie headers of an upgrade answer. A client
// that never used http has no jar, and these do nothing.
void add_jar_cookies(client& c, const ws_url& url, std::vector<std::pair<std::string, std::string>>& headers);
void store_jar_cookies(client& c, const ws_url& url, const std::vector<std::pair<std::string, std::string>>& headers);

}  // namespace drover::scenario
