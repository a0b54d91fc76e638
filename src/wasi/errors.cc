#include "errors.h"

#include <cerrno>

namespace berth::wasi {

FsError fs_error_from_errno(int e) {
  switch (e) {
    case EACCES:
      return FsError::kAccess;
    case EAGAIN:
      return FsError::kWouldBlock;
    case EALREADY:
      return FsError::kAlready;
    case EBADF:
      return FsError::kBadDescriptor;
    case EBUSY:
      return FsError::kBusy;
    case EDEADLK:
      return FsError::kDeadlock;
    case EDQUOT:
      return FsError::kQuota;
    case EEXIST:
      return FsError::kExist;
    case EFBIG:
      return FsError::kFileTooLarge;
    case EILSEQ:
      return FsError::kIllegalByteSequence;
    case EINPROGRESS:
      return FsError::kInProgress;
    case EINTR:
      return FsError::kInterrupted;
    case EINVAL:
      return FsError::kInvalid;
    case EIO:
      return FsError::kIo;
    case EISDIR:
      return FsError::kIsDirectory;
    case ELOOP:
      return FsError::kLoop;
    case EMLINK:
      return FsError::kTooManyLinks;
    case EMSGSIZE:
      return FsError::kMessageSize;
    case ENAMETOOLONG:
      return FsError::kNameTooLong;
    case ENODEV:
      return FsError::kNoDevice;
    case ENOENT:
      return FsError::kNoEntry;
    case ENOLCK:
      return FsError::kNoLock;
    case ENOMEM:
      return FsError::kInsufficientMemory;
    case ENOSPC:
      return FsError::kInsufficientSpace;
    case ENOTDIR:
      return FsError::kNotDirectory;
    case ENOTEMPTY:
      return FsError::kNotEmpty;
    case ENOTRECOVERABLE:
      return FsError::kNotRecoverable;
    case ENOTSUP:
      return FsError::kUnsupported;
    case ENOTTY:
      return FsError::kNoTty;
    case ENXIO:
      return FsError::kNoSuchDevice;
    case EOVERFLOW:
      return FsError::kOverflow;
    case EPERM:
      return FsError::kNotPermitted;
    case EPIPE:
      return FsError::kPipe;
    case EROFS:
      return FsError::kReadOnly;
    case ESPIPE:
      return FsError::kInvalidSeek;
    case ETXTBSY:
      return FsError::kTextFileBusy;
    case EXDEV:
      return FsError::kCrossDevice;
    default:
      return FsError::kIo;
  }
}

NetError net_error_from_errno(int e) {
  switch (e) {
    case EACCES:
    case EPERM:
      return NetError::kAccessDenied;
    case EAFNOSUPPORT:
    case EOPNOTSUPP:
    case EPROTONOSUPPORT:
      return NetError::kNotSupported;
    case EINVAL:
    case EDESTADDRREQ:
      return NetError::kInvalidArgument;
    case ENOMEM:
    case ENOBUFS:
      return NetError::kOutOfMemory;
    case ETIMEDOUT:
      return NetError::kTimeout;
    case EALREADY:
      return NetError::kConcurrencyConflict;
    case EAGAIN:
    case EINPROGRESS:
      return NetError::kWouldBlock;
    case EISCONN:
    case ENOTCONN:
      return NetError::kInvalidState;
    case EMFILE:
    case ENFILE:
      return NetError::kNewSocketLimit;
    case EADDRNOTAVAIL:
      return NetError::kAddressNotBindable;
    case EADDRINUSE:
      return NetError::kAddressInUse;
    case ENETUNREACH:
    case EHOSTUNREACH:
    case ENETDOWN:
      return NetError::kRemoteUnreachable;
    case ECONNREFUSED:
      return NetError::kConnectionRefused;
    case ECONNRESET:
    case EPIPE:
      return NetError::kConnectionReset;
    case ECONNABORTED:
      return NetError::kConnectionAborted;
    case EMSGSIZE:
      return NetError::kDatagramTooLarge;
    default:
      return NetError::kUnknown;
  }
}

}  // namespace berth::wasi
