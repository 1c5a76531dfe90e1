# install(EXPORT) so downstream projects can find_package(Tigris) and link Tigris::<stage>.
include(CMakePackageConfigHelpers)
get_property(_targets GLOBAL PROPERTY TIGRIS_EXPORTED_TARGETS)
install(TARGETS ${_targets} EXPORT TigrisTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET tigris_cli)
  install(TARGETS tigris_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tigris DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT TigrisTargets NAMESPACE Tigris:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Tigris)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/TigrisConfig.cmake.in
  ${PROJECT_BINARY_DIR}/TigrisConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Tigris)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/TigrisConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/TigrisConfig.cmake ${PROJECT_BINARY_DIR}/TigrisConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Tigris)
include(TigrisPackage)
