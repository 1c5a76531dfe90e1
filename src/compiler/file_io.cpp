// Atomic file output for the CLI and the report writers: temp file in the target's directory,
// then a rename, so a reader never sees a half-written file and a failure leaves nothing behind.
#include <filesystem>
#include <fstream>

#include "tigris/tigris.h"

namespace tigris {

namespace fs = std::filesystem;

Status WriteFileAtomic(const std::string& path, const void* data, size_t size) {
  const fs::path target(path);
  const fs::path tmp = target.parent_path() / ("." + target.filename().string() + ".tmp");
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return IoError("cannot write '" + path + "'");
    f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    f.flush();
    if (!f) {
      f.close();
      std::error_code ec;
      fs::remove(tmp, ec);
      return IoError("cannot write '" + path + "' (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return IoError("cannot write '" + path + "': " + ec.message());
  }
  return Status::Ok();
}

}  // namespace tigris
