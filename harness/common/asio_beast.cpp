// The single translation unit that compiles Asio and Beast (separate compilation):
// every other file only includes their headers, which keeps the build within a 2-core machine.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
