#include "headrace/rpc/address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <iterator>

namespace headrace::rpc {

std::string FormatAddress(std::string_view host, int port) {
  const bool bare_ipv6 =
      !host.empty() && host.front() != '[' && host.find(':') != std::string_view::npos;
  std::string address;
  if (bare_ipv6) address += '[';
  address += host;
  if (bare_ipv6) address += ']';
  address += ':';
  address += std::to_string(port);
  return address;
}

bool IsLoopbackHost(std::string_view host) {
  std::string bare(host);
  if (bare.size() >= 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
  }
  std::string lower = bare;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, bare.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, bare.c_str(), &v6) == 1) {
    static const in6_addr kLoopback = IN6ADDR_LOOPBACK_INIT;
    return std::equal(std::begin(v6.s6_addr), std::end(v6.s6_addr), std::begin(kLoopback.s6_addr));
  }
  return false;
}

}  // namespace headrace::rpc
