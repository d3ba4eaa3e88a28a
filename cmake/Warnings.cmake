# One interface target carries the warning set so every folder's library opts in the
# same way (target_link_libraries(... PRIVATE coachbot::warnings)).
add_library(coachbot_warnings INTERFACE)
add_library(coachbot::warnings ALIAS coachbot_warnings)
target_compile_options(coachbot_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
# g++ 12 at -O2 reports std::variant/std::optional members as maybe-uninitialized
# where they cannot be (GCC bug 105593 and friends); the sanitizer build checks the
# real thing at run time.
# It also reports Asio's coroutine frames (awaitable_frame_base's sized operator
# delete) as mismatched new/delete when a coroutine is inlined (GCC bug 109224).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(coachbot_warnings INTERFACE -Wno-maybe-uninitialized -Wno-mismatched-new-delete)
endif()
# A unity source includes our .cpp files, so to GCC each looks like a header, and a
# class there that uses a type from an anonymous namespace draws this warning, which is
# meant for headers included by several files. Only a build without unity checks it.
if(CMAKE_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(coachbot_warnings INTERFACE -Wno-subobject-linkage)
endif()
if(COACHBOT_WERROR)
  target_compile_options(coachbot_warnings INTERFACE -Werror)
endif()
