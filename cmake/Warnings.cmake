# One interface target carries the warning set so every folder's library opts in the
# same way (target_link_libraries(... PRIVATE coachbot::warnings)).
add_library(coachbot_warnings INTERFACE)
add_library(coachbot::warnings ALIAS coachbot_warnings)
target_compile_options(coachbot_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(COACHBOT_WERROR)
  target_compile_options(coachbot_warnings INTERFACE -Werror)
endif()
