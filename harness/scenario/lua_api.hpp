#pragma once
// Installs drover's Lua API (scenarios/README.md documents it) into a worker's state:
// ws, json, metrics, check, sleep, now, log, env, vu. The environment must outlive L.
#include <lua.hpp>

#include "harness/scenario/client_environment.hpp"

namespace drover::scenario {

void install_api(lua_State* L, client_environment& env);

// The parts that need no worker (json, log without a client) for the control state that
// runs options, setup() and teardown().
void install_control_api(lua_State* L, const std::map<std::string, std::string>& env);

// Pieces used by the other API files.
client_environment& environment_of(lua_State* L);
void install_ws_api(lua_State* L);
void install_control_ws_api(lua_State* L);  // ws.live_connections only: the control state connects nothing
void install_json_api(lua_State* L);

}  // namespace drover::scenario
