# The CMSIS-NN backend's build, shared by the host build and the firmware (test/target/firmware):
# tigris_add_cmsis_nn(<dir> <kernels-target>) builds the vendor sources the backend calls, read
# in place from the user's checkout <dir> (never copied), into tigris_cmsis_nn_vendor (no project
# warnings: it is their code; the ISA comes from the compiler flags: ARM_MATH_DSP from
# __ARM_FEATURE_DSP, ARM_MATH_MVEI from __ARM_FEATURE_MVE, plain C on the host), and our backend
# src/kernels/cmsis_nn/*.c into tigris_kernels_cmsis_nn, linked with <kernels-target> (the
# reference kernels it falls back to). Returns with TIGRIS_CMSIS_NN_FOUND set in the caller.
function(tigris_add_cmsis_nn dir kernels)
  set(TIGRIS_CMSIS_NN_FOUND OFF PARENT_SCOPE)
  if(NOT EXISTS "${dir}/Include/arm_nnfunctions.h")
    message(WARNING "TIGRIS_CMSIS_NN_DIR=${dir}: no Include/arm_nnfunctions.h; the CMSIS-NN backend is skipped")
    return()
  endif()
  set(_s "${dir}/Source")
  file(GLOB _vendor
    "${_s}/ConvolutionFunctions/*_s8*.c"
    "${_s}/FullyConnectedFunctions/*_s8*.c"
    "${_s}/PoolingFunctions/*_s8*.c"
    "${_s}/SoftmaxFunctions/*_s8*.c"
    "${_s}/BasicMathFunctions/arm_elementwise_add_s8.c"
    "${_s}/BasicMathFunctions/arm_elementwise_mul_s8.c"
    "${_s}/NNSupportFunctions/*_s8*.c"
    "${_s}/NNSupportFunctions/arm_q7_to_q15_with_offset.c"
    "${_s}/NNSupportFunctions/arm_nntables.c")
  list(FILTER _vendor EXCLUDE REGEX "(lstm|svdf|transpose_conv|_s4)")
  add_library(tigris_cmsis_nn_vendor STATIC ${_vendor})
  target_include_directories(tigris_cmsis_nn_vendor SYSTEM PUBLIC "$<BUILD_INTERFACE:${dir}/Include>")
  target_compile_options(tigris_cmsis_nn_vendor PRIVATE -w)
  if(COMMAND tigris_vendor_sanitize)
    tigris_vendor_sanitize(tigris_cmsis_nn_vendor)
  endif()
  set_target_properties(tigris_cmsis_nn_vendor PROPERTIES C_STANDARD 99 C_EXTENSIONS ON POSITION_INDEPENDENT_CODE ON)
  get_filename_component(_root "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/.." ABSOLUTE)
  add_library(tigris_kernels_cmsis_nn STATIC
    "${_root}/src/kernels/cmsis_nn/cmsis_nn_accepts.c"
    "${_root}/src/kernels/cmsis_nn/cmsis_nn_kernels.c")
  target_include_directories(tigris_kernels_cmsis_nn PUBLIC "$<BUILD_INTERFACE:${_root}/include>")
  target_link_libraries(tigris_kernels_cmsis_nn PUBLIC ${kernels} tigris_cmsis_nn_vendor)
  set_target_properties(tigris_kernels_cmsis_nn PROPERTIES C_STANDARD 99 C_EXTENSIONS OFF POSITION_INDEPENDENT_CODE ON)
  if(NOT CMAKE_CROSSCOMPILING)
    # host builds count vendor vs reference calls (the differential test asserts the path taken)
    target_compile_definitions(tigris_kernels_cmsis_nn PUBLIC TGRS_VENDOR_COUNTERS=1)
    if(COMMAND tigris_set_warnings)
      tigris_set_warnings(tigris_kernels_cmsis_nn)
    endif()
    # the host tigris links them (emit's scratch queries): installed with the other libraries
    set_property(GLOBAL APPEND PROPERTY TIGRIS_EXPORTED_TARGETS tigris_cmsis_nn_vendor tigris_kernels_cmsis_nn)
  endif()
  set(TIGRIS_CMSIS_NN_FOUND ON PARENT_SCOPE)
endfunction()
