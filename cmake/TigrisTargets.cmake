# One place that sets warnings and the public include dir for every TiGrIS target.

function(tigris_set_warnings target)
  get_target_property(_type ${target} TYPE)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor>
    $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes>)
  if(TIGRIS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# tigris_add_library(<stage> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# Creates static library tigris_<stage>, alias Tigris::<stage>, with include/ as public headers.
function(tigris_add_library stage)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target tigris_${stage})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(Tigris::${stage} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${stage})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  tigris_set_warnings(${target})
  set_property(GLOBAL APPEND PROPERTY TIGRIS_EXPORTED_TARGETS ${target})
endfunction()

# Vendor code under the sanitizer build (TIGRIS_SANITIZE): vendor kernels left-shift negative values
# (ESP-NN's elementwise add does, on its operands), which GCC defines as the two's-complement shift
# (its manual: "GCC does not use the latitude given in C99 and C11 only to treat certain aspects
# of signed '<<' as undefined"), and which every target compiler does the same way; only that one
# check is off for their code, ours keeps all of them.
function(tigris_vendor_sanitize target)
  if(TIGRIS_SANITIZE)
    target_compile_options(${target} PRIVATE -fno-sanitize=shift-base)
  endif()
endfunction()
