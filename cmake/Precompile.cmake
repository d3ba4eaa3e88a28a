# Precompiled headers. Most translation units parse the same standard headers and
# nlohmann/json, and most of the rest spdlog or Asio; parsing them once per target
# instead of once per file is a large share of a fresh build, and CI builds from scratch
# twice on two cores. Each target gets its own PCH, built with its own flags and
# definitions. COACHBOT_PCH=OFF checks that every file still includes what it uses.
option(COACHBOT_PCH "Precompile the headers most files include" ON)

set(COACHBOT_PCH_COMMON <algorithm> <chrono> <cstdint> <functional> <map> <memory> <optional> <set> <string>
  <string_view> <utility> <variant> <vector> <nlohmann/json.hpp>)
set(COACHBOT_PCH_ASIO <boost/asio/any_io_executor.hpp> <boost/asio/awaitable.hpp> <boost/asio/co_spawn.hpp>
  <boost/asio/steady_timer.hpp> <boost/asio/use_awaitable.hpp>)

# coachbot_precompile(target [SPDLOG] [ASIO] [CATCH]): the common set, plus spdlog
# (only for targets that link it: its definitions choose the fmt it uses), Asio's
# coroutine headers, or Catch.
function(coachbot_precompile target)
  if(NOT COACHBOT_PCH)
    return()
  endif()
  cmake_parse_arguments(PCH "SPDLOG;ASIO;CATCH" "" "" ${ARGN})
  set(headers ${COACHBOT_PCH_COMMON})
  if(PCH_SPDLOG)
    list(APPEND headers <spdlog/spdlog.h>)
  endif()
  if(PCH_ASIO)
    list(APPEND headers ${COACHBOT_PCH_ASIO})
  endif()
  if(PCH_CATCH)
    list(APPEND headers <catch2/catch.hpp>)
  endif()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()
