// Status and Expected<T>: how every compiler library reports failure. No exceptions cross a
// library boundary; a diagnostic names the node, op type and pass so users never see a trace.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tigris {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,  // bad user input: options, shapes, files
  kInvalidModel,     // malformed or inconsistent model
  kUnsupported,      // valid model using something we do not implement
  kBudgetExceeded,   // the model cannot be made to fit the given budget
  kIoError,
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Status InvalidModel(std::string m) { return {ErrorCode::kInvalidModel, std::move(m)}; }
inline Status Unsupported(std::string m) { return {ErrorCode::kUnsupported, std::move(m)}; }
inline Status BudgetExceeded(std::string m) { return {ErrorCode::kBudgetExceeded, std::move(m)}; }
inline Status IoError(std::string m) { return {ErrorCode::kIoError, std::move(m)}; }
inline Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}                  // NOLINT(implicit)
  Expected(Status status) : v_(std::move(status)) {}           // NOLINT(implicit)

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tigris

namespace tigris::detail {
inline const Status& AsStatus(const Status& s) { return s; }
template <typename T>
const Status& AsStatus(const Expected<T>& e) { return e.status(); }
}  // namespace tigris::detail

// Return early from the current function with the failed Status of a Status or Expected.
#define TIGRIS_RETURN_IF_ERROR(expr)                                  \
  do {                                                                \
    const auto& _tigris_r = (expr);                                   \
    if (!_tigris_r.ok()) return ::tigris::detail::AsStatus(_tigris_r); \
  } while (0)

#define TIGRIS_CONCAT_INNER_(a, b) a##b
#define TIGRIS_CONCAT_(a, b) TIGRIS_CONCAT_INNER_(a, b)
// `TIGRIS_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from an Expected or returns its Status.
#define TIGRIS_ASSIGN_OR_RETURN(lhs, expr)                                   \
  auto TIGRIS_CONCAT_(_tigris_e, __LINE__) = (expr);                          \
  if (!TIGRIS_CONCAT_(_tigris_e, __LINE__).ok())                              \
    return TIGRIS_CONCAT_(_tigris_e, __LINE__).status();                      \
  lhs = std::move(TIGRIS_CONCAT_(_tigris_e, __LINE__)).value()
