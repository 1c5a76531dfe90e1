# Tiling tests (included by CMakeLists.txt): receptive fields and localized ops against a brute
# force over the reference kernels, strip planning and group expansion on random chains, and a
# differential budget sweep over random tileable CNNs (gen_tile_models.py) against the untiled
# plan, whose outputs are checked against onnxruntime.
#
# Tests named *_known_bug fail today on purpose: each holds a compiler bug found by these tests
# (see the comment above the gtest case it runs); they pass once the bug is fixed.

add_executable(partition_receptive_field_test receptive_field_test.cpp)
target_link_libraries(partition_receptive_field_test PRIVATE Tigris::partition Tigris::emit Tigris::kernels GTest::gtest_main)
tigris_set_warnings(partition_receptive_field_test)
add_test(NAME partition_receptive_field
  COMMAND partition_receptive_field_test --gtest_filter=-*IsExactlyTheHull*)
add_test(NAME partition_receptive_field_exact_known_bug
  COMMAND partition_receptive_field_test --gtest_filter=*IsExactlyTheHull*)
set_tests_properties(partition_receptive_field partition_receptive_field_exact_known_bug PROPERTIES
  LABELS partition TIMEOUT 120)

add_executable(partition_localize_test localize_test.cpp)
target_link_libraries(partition_localize_test PRIVATE Tigris::partition Tigris::emit Tigris::kernels GTest::gtest_main)
tigris_set_warnings(partition_localize_test)
add_test(NAME partition_localize COMMAND partition_localize_test)
set_tests_properties(partition_localize PROPERTIES LABELS partition TIMEOUT 120)

add_executable(partition_strips_test strips_test.cpp)
target_link_libraries(partition_strips_test PRIVATE Tigris::tigris Tigris::partition Tigris::planner Tigris::emit
  Tigris::kernels GTest::gtest_main)
tigris_set_warnings(partition_strips_test)
add_test(NAME partition_strips COMMAND partition_strips_test --gtest_filter=-*_known_bug)
set_tests_properties(partition_strips PROPERTIES LABELS partition TIMEOUT 120)
# One CTest test per bug the strip sweep found (strips_test.cpp says what each one is).
foreach(_bug RowsALineBufferDropsAreNeverReadAgain ChannelStripsAndBandsKeepGroupsOfOutputChannelsWhole
        EveryStripAndBandReadsSomeInput PlanStripsAcceptsEveryGroupMakeTileGroupAccepts
        VerifyExecPlanRejectsAViewThatStartsBeforeItsBuffer)
  add_test(NAME partition_strips_${_bug}_known_bug COMMAND partition_strips_test --gtest_filter=Strips.${_bug}_known_bug)
  set_tests_properties(partition_strips_${_bug}_known_bug PROPERTIES LABELS partition TIMEOUT 120)
endforeach()
