// errno to WASI error-code mapping.
#include "errors.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace berth::wasi {
namespace {

TEST(FsErrorTest, MapsCommonErrnos) {
  EXPECT_EQ(fs_error_from_errno(ENOENT), FsError::kNoEntry);
  EXPECT_EQ(fs_error_from_errno(EEXIST), FsError::kExist);
  EXPECT_EQ(fs_error_from_errno(ENOTDIR), FsError::kNotDirectory);
  EXPECT_EQ(fs_error_from_errno(EISDIR), FsError::kIsDirectory);
  EXPECT_EQ(fs_error_from_errno(ENOTEMPTY), FsError::kNotEmpty);
  EXPECT_EQ(fs_error_from_errno(ELOOP), FsError::kLoop);
  EXPECT_EQ(fs_error_from_errno(EPERM), FsError::kNotPermitted);
  EXPECT_EQ(fs_error_from_errno(EACCES), FsError::kAccess);
  EXPECT_EQ(fs_error_from_errno(EROFS), FsError::kReadOnly);
  EXPECT_EQ(fs_error_from_errno(EXDEV), FsError::kCrossDevice);
  EXPECT_EQ(fs_error_from_errno(EBADF), FsError::kBadDescriptor);
  EXPECT_EQ(fs_error_from_errno(12345), FsError::kIo);
}

TEST(FsErrorTest, CaseNumbersFollowTheWit) {
  // error-code's cases in wasi:filesystem/types: access is 0, cross-device the last (36).
  EXPECT_EQ(static_cast<uint32_t>(FsError::kAccess), 0u);
  EXPECT_EQ(static_cast<uint32_t>(FsError::kNoEntry), 20u);
  EXPECT_EQ(static_cast<uint32_t>(FsError::kCrossDevice), 36u);
}

TEST(NetErrorTest, MapsCommonErrnos) {
  EXPECT_EQ(net_error_from_errno(ECONNREFUSED), NetError::kConnectionRefused);
  EXPECT_EQ(net_error_from_errno(EADDRINUSE), NetError::kAddressInUse);
  EXPECT_EQ(net_error_from_errno(EACCES), NetError::kAccessDenied);
  EXPECT_EQ(net_error_from_errno(EAGAIN), NetError::kWouldBlock);
  EXPECT_EQ(static_cast<uint32_t>(NetError::kPermanentResolverFailure), 20u);
}

}  // namespace
}  // namespace berth::wasi
