# CPack pre-build script (TigrisPackage.cmake): removes debug sections from the staged static
# libraries, keeping their symbols, so the package carries code, not a build's debug info.
if(NOT CPACK_TIGRIS_STRIP)
  return()
endif()
file(GLOB_RECURSE _archives "${CPACK_TEMPORARY_DIRECTORY}/*.a")
foreach(_a IN LISTS _archives)
  execute_process(COMMAND ${CPACK_TIGRIS_STRIP} --strip-debug ${_a} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "strip --strip-debug ${_a} failed (${_rc})")
  endif()
endforeach()
