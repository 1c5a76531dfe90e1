# The ESP-NN backend's host build: tigris_add_esp_nn(<dir> <kernels-target>) builds, read in
# place from the user's ESP-NN checkout <dir> (never copied):
# - tigris_esp_nn_vendor: the library's ANSI C kernels (esp_nn_*_ansi, which define its results;
#   its warnings off, GNU C for its statement expressions), and the ESP32-S3 scratch-size queries
#   (esp_nn_get_*_scratch_size_esp32s3), each cut out of its S3 source with objcopy -j: those
#   functions are plain C, the S3 kernels beside them are assembly the host does not have, so the
#   compiler sizes scratch for the S3 with the library's own arithmetic;
# - tigris_kernels_esp_nn: our backend, linked with <kernels-target> (the reference kernels it
#   falls back to), counting vendor vs reference calls (TGRS_VENDOR_COUNTERS) for the tests.
# On the device ESP-IDF builds the backend from esp-idf/tigris/ against the espressif/esp-nn
# component instead. Returns with TIGRIS_ESP_NN_FOUND set in the caller.
function(tigris_add_esp_nn dir kernels)
  set(TIGRIS_ESP_NN_FOUND OFF PARENT_SCOPE)
  if(NOT EXISTS "${dir}/include/esp_nn.h" OR NOT EXISTS "${dir}/src/common/common_functions.h")
    message(WARNING "TIGRIS_ESP_NN_DIR=${dir}: no include/esp_nn.h or src/common/; the ESP-NN backend is skipped")
    return()
  endif()
  if(NOT CMAKE_OBJCOPY)
    message(WARNING "TIGRIS_ESP_NN_DIR: no objcopy for the ESP32-S3 scratch queries; the ESP-NN backend is skipped")
    return()
  endif()
  file(GLOB _ansi "${dir}/src/*/*_ansi.c")
  set(_inc -I${dir}/include -I${dir}/src/common -I${dir}/src/softmax)
  set(_s3_objects)
  foreach(_pair "convolution/esp_nn_conv_esp32s3.c:esp_nn_get_conv_scratch_size_esp32s3"
                "convolution/esp_nn_depthwise_conv_s8_esp32s3.c:esp_nn_get_depthwise_conv_scratch_size_esp32s3"
                "softmax/esp_nn_softmax_s8_esp32s3.c:esp_nn_get_softmax_scratch_size_esp32s3")
    string(REPLACE ":" ";" _pair "${_pair}")
    list(GET _pair 0 _src)
    list(GET _pair 1 _fn)
    set(_o "${CMAKE_CURRENT_BINARY_DIR}/esp_nn_s3/${_fn}.o")
    add_custom_command(OUTPUT "${_o}"
      COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/esp_nn_s3"
      COMMAND ${CMAKE_C_COMPILER} -std=gnu99 -w -O2 -fPIC -ffunction-sections ${_inc} -c "${dir}/src/${_src}"
              -o "${_o}.whole.o"
      COMMAND ${CMAKE_OBJCOPY} -j .text.${_fn} -j .note.GNU-stack --strip-unneeded "${_o}.whole.o" "${_o}"
      DEPENDS "${dir}/src/${_src}"
      COMMENT "ESP-NN: ${_fn} from ${_src}")
    list(APPEND _s3_objects "${_o}")
  endforeach()
  set_source_files_properties(${_s3_objects} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_library(tigris_esp_nn_vendor STATIC ${_ansi} ${_s3_objects})
  target_include_directories(tigris_esp_nn_vendor SYSTEM PUBLIC "$<BUILD_INTERFACE:${dir}/include>"
                             PRIVATE "${dir}/src/common")
  target_compile_options(tigris_esp_nn_vendor PRIVATE -w)
  if(COMMAND tigris_vendor_sanitize)
    tigris_vendor_sanitize(tigris_esp_nn_vendor)
  endif()
  set_target_properties(tigris_esp_nn_vendor PROPERTIES C_STANDARD 99 C_EXTENSIONS ON POSITION_INDEPENDENT_CODE ON)
  get_filename_component(_root "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/.." ABSOLUTE)
  add_library(tigris_kernels_esp_nn STATIC
    "${_root}/src/kernels/esp_nn/backend_esp_nn.c"
    "${_root}/src/kernels/esp_nn/esp_nn_host.c")
  target_include_directories(tigris_kernels_esp_nn PUBLIC "$<BUILD_INTERFACE:${_root}/include>")
  target_link_libraries(tigris_kernels_esp_nn PUBLIC ${kernels} tigris_esp_nn_vendor)
  set_target_properties(tigris_kernels_esp_nn PROPERTIES C_STANDARD 99 C_EXTENSIONS OFF POSITION_INDEPENDENT_CODE ON)
  target_compile_options(tigris_kernels_esp_nn PRIVATE -fsingle-precision-constant -Wdouble-promotion -Wfloat-conversion)
  target_compile_definitions(tigris_kernels_esp_nn PUBLIC TGRS_VENDOR_COUNTERS=1)
  if(COMMAND tigris_set_warnings)
    tigris_set_warnings(tigris_kernels_esp_nn)
  endif()
  # the host tigris links them (emit's scratch queries): installed with the other libraries
  set_property(GLOBAL APPEND PROPERTY TIGRIS_EXPORTED_TARGETS tigris_esp_nn_vendor tigris_kernels_esp_nn)
  set(TIGRIS_ESP_NN_FOUND ON PARENT_SCOPE)
endfunction()
