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
# the static libraries' dependencies, found by TigrisConfig.cmake through their -dev packages.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "cmake, pkg-config, libonnx-dev, libprotobuf-dev, liblz4-dev, libfmt-dev")
# Strip the CLI; drop debug info from the static libraries the way dh_strip does (strip --strip-debug).
set(CPACK_STRIP_FILES ON)
set(CPACK_TIGRIS_STRIP ${CMAKE_STRIP})
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/TigrisPackageStrip.cmake)
include(CPack)
