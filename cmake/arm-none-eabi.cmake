# CMake toolchain file for bare-metal Arm Cortex-M with Debian's arm-none-eabi-gcc (newlib for
# memcpy/memset/libm only). -DTIGRIS_ARM_CPU=cortex-m4 (default; hard float, fpv4-sp-d16) or
# cortex-m55 (hard float + MVE) or cortex-m3 (no FPU, soft float). Sections per function/object so
# a firmware that links with --gc-sections keeps only the kernels its plan's resolver names.
#   cmake -S test/target -B build-m4 -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DTIGRIS_ARM_CPU=cortex-m4
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_AR arm-none-eabi-ar CACHE FILEPATH "")
set(CMAKE_RANLIB arm-none-eabi-ranlib CACHE FILEPATH "")
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "")
# try_compile builds a static library: there is no start-up code or linker script yet.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_TRY_COMPILE_PLATFORM_VARIABLES TIGRIS_ARM_CPU)

if(NOT TIGRIS_ARM_CPU)
  set(TIGRIS_ARM_CPU cortex-m4)
endif()
if(TIGRIS_ARM_CPU STREQUAL "cortex-m4")
  set(_tigris_cpu_flags "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
elseif(TIGRIS_ARM_CPU STREQUAL "cortex-m55")
  set(_tigris_cpu_flags "-mcpu=cortex-m55 -mthumb -mfloat-abi=hard")
elseif(TIGRIS_ARM_CPU STREQUAL "cortex-m3")
  set(_tigris_cpu_flags "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft")
else()
  message(FATAL_ERROR "TIGRIS_ARM_CPU: cortex-m4, cortex-m55 or cortex-m3, not '${TIGRIS_ARM_CPU}'")
endif()
set(CMAKE_C_FLAGS_INIT "${_tigris_cpu_flags} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT "${_tigris_cpu_flags} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${_tigris_cpu_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles -Wl,--gc-sections")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
