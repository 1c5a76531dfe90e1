# CPack: `cpack -G DEB` (or the `package` target) in the build dir makes tigris_<version>_<arch>.deb
# holding the install tree: the CLI, the static libraries, the headers and the CMake package
# config (relocatable: TigrisTargets.cmake finds everything relative to itself).
set(CPACK_PACKAGE_NAME tigris)
set(CPACK_PACKAGE_VENDOR "TiGrIS")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TiGrIS: ahead-of-time ONNX compiler that fits models into microcontroller SRAM")
set(CPACK_PACKAGE_DESCRIPTION
  "The tigris CLI (analyze, compile, run), the compiler and C99 runtime libraries with their headers, and the CMake
package config for find_package(Tigris).")
set(CPACK_PACKAGE_CONTACT "TiGrIS maintainers <tigris@invalid>")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # tigris_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# The CLI's shared libraries come from dpkg-shlibdeps; a find_package(Tigris) user also links
# the static libraries' dependencies, which TigrisConfig.cmake finds: their -dev packages are read
# off that file, so Depends cannot fall behind it (an unknown dependency stops the configure).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(_tigris_deb_Protobuf libprotobuf-dev)
set(_tigris_deb_ONNX libonnx-dev)
set(_tigris_deb_PkgConfig pkg-config)
set(_tigris_deb_fmt libfmt-dev)
set(_tigris_deb_spdlog libspdlog-dev)
set(_tigris_deb_nlohmann_json nlohmann-json3-dev)
set(_tigris_deb_pc_liblz4 liblz4-dev)
file(STRINGS ${PROJECT_SOURCE_DIR}/cmake/TigrisConfig.cmake.in _tigris_config_lines
  REGEX "find_dependency\\(|pkg_check_modules\\(")
set(_tigris_depends cmake)
foreach(_line IN LISTS _tigris_config_lines)
  if(_line MATCHES "find_dependency\\(([A-Za-z0-9_]+)")
    set(_key ${CMAKE_MATCH_1})
  elseif(_line MATCHES "pkg_check_modules\\(.* ([A-Za-z0-9_.+-]+)\\)")
    set(_key pc_${CMAKE_MATCH_1})
  endif()
  if(NOT DEFINED _tigris_deb_${_key})
    message(FATAL_ERROR "cmake/TigrisPackage.cmake: no Debian package known for '${_key}' "
                        "(TigrisConfig.cmake.in: ${_line}); add a _tigris_deb_${_key} entry")
  endif()
  list(APPEND _tigris_depends ${_tigris_deb_${_key}})
endforeach()
list(REMOVE_DUPLICATES _tigris_depends)
string(JOIN ", " CPACK_DEBIAN_PACKAGE_DEPENDS ${_tigris_depends})
# Strip the CLI; drop debug info from the static libraries the way dh_strip does (strip --strip-debug).
set(CPACK_STRIP_FILES ON)
set(CPACK_TIGRIS_STRIP ${CMAKE_STRIP})
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/TigrisPackageStrip.cmake)
include(CPack)
