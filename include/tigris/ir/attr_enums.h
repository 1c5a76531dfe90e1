// The spellings of enum-valued attributes (Pad mode, Resize mode / coordinate transform /
// nearest mode, DepthToSpace mode) and their tgrs_* values: one table, used by the frontend to
// read ONNX strings and by the emitter to accept either spelling, so the two can never disagree.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "tigris/kernels/tgrs_params.h"

namespace tigris::ir {

struct EnumName {
  const char* name;
  int32_t value;
};

inline constexpr EnumName kPadModes[] = {
    {"constant", TGRS_PAD_CONSTANT}, {"reflect", TGRS_PAD_REFLECT}, {"edge", TGRS_PAD_EDGE}, {"wrap", TGRS_PAD_WRAP}};

inline constexpr EnumName kResizeModes[] = {{"nearest", TGRS_RESIZE_NEAREST},
                                            {"linear", TGRS_RESIZE_LINEAR},
                                            {"bilinear", TGRS_RESIZE_LINEAR},  // Upsample-7
                                            {"cubic", TGRS_RESIZE_CUBIC},
                                            {"bicubic", TGRS_RESIZE_CUBIC}};

inline constexpr EnumName kCoordModes[] = {{"half_pixel", TGRS_COORD_HALF_PIXEL},
                                           {"asymmetric", TGRS_COORD_ASYMMETRIC},
                                           {"align_corners", TGRS_COORD_ALIGN_CORNERS},
                                           {"pytorch_half_pixel", TGRS_COORD_PYTORCH_HALF_PIXEL},
                                           {"tf_half_pixel_for_nn", TGRS_COORD_TF_HALF_PIXEL_FOR_NN},
                                           {"half_pixel_symmetric", TGRS_COORD_HALF_PIXEL_SYMMETRIC}};

inline constexpr EnumName kNearestModes[] = {{"round_prefer_floor", TGRS_NEAREST_ROUND_PREFER_FLOOR},
                                             {"round_prefer_ceil", TGRS_NEAREST_ROUND_PREFER_CEIL},
                                             {"floor", TGRS_NEAREST_FLOOR},
                                             {"ceil", TGRS_NEAREST_CEIL}};

inline constexpr EnumName kDepthSpaceModes[] = {{"DCR", TGRS_DEPTH_SPACE_DCR}, {"CRD", TGRS_DEPTH_SPACE_CRD}};
// LSTM/GRU/RNN activation functions, spelled in lower case (ONNX names them case-insensitively
// in practice: onnxruntime lower-cases them).
inline constexpr EnumName kRnnActivations[] = {{"sigmoid", TGRS_RNN_ACT_SIGMOID},
                                               {"tanh", TGRS_RNN_ACT_TANH},
                                               {"relu", TGRS_RNN_ACT_RELU},
                                               {"hardsigmoid", TGRS_RNN_ACT_HARD_SIGMOID},
                                               {"leakyrelu", TGRS_RNN_ACT_LEAKY_RELU},
                                               {"thresholdedrelu", TGRS_RNN_ACT_THRESHOLDED_RELU},
                                               {"affine", TGRS_RNN_ACT_AFFINE},
                                               {"scaledtanh", TGRS_RNN_ACT_SCALED_TANH},
                                               {"elu", TGRS_RNN_ACT_ELU},
                                               {"softsign", TGRS_RNN_ACT_SOFTSIGN},
                                               {"softplus", TGRS_RNN_ACT_SOFTPLUS}};

inline constexpr EnumName kRnnDirections[] = {
    {"forward", TGRS_RNN_FORWARD}, {"reverse", TGRS_RNN_REVERSE}, {"bidirectional", TGRS_RNN_BIDIRECTIONAL}};

// The value spelled `name` in `table`, or nothing.
template <size_t N>
std::optional<int32_t> EnumValue(const EnumName (&table)[N], std::string_view name) {
  for (const EnumName& e : table)
    if (name == e.name) return e.value;
  return std::nullopt;
}

// True when `value` is one of `table`'s values.
template <size_t N>
bool IsEnumValue(const EnumName (&table)[N], int64_t value) {
  for (const EnumName& e : table)
    if (e.value == value) return true;
  return false;
}

}  // namespace tigris::ir
