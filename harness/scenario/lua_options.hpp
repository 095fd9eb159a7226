#pragma once
// Reading the `headers` and `query` fields that ws.connect and the http calls share. Worker or
// control thread, whichever owns L. No Lua error is raised here: a bad field pushes its message
// and returns false, so that the caller's C++ objects are gone before it raises (client.hpp).
#include <string>
#include <utility>
#include <vector>

#include <lua.hpp>

namespace drover::scenario {

using name_values = std::vector<std::pair<std::string, std::string>>;

// opts.headers = {Name = value, ...}: appended to out (values through tostring). Keys must be
// strings; otherwise "<fn>: headers must be name = value" is pushed and false returned.
bool read_headers_field(lua_State* L, int opts, const char* fn, name_values& out);

// opts.query = {key = value, ...}: appended to target, percent-encoded, keeping its query.
void read_query_field(lua_State* L, int opts, std::string& target);

}  // namespace drover::scenario
