// Readiness waits behind wasi:io/poll.
#include "pollables.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace berth::wasi {
namespace {

class Pipe {
 public:
  Pipe() { EXPECT_EQ(::pipe(fds_), 0); }
  ~Pipe() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }

 private:
  int fds_[2] = {-1, -1};
};

TEST(PollTest, EmptyPipeIsNotReadyWithoutBlocking) {
  Pipe pipe;
  PollSpec spec = fd_readiness(pipe.read_end(), POLLIN);
  EXPECT_TRUE(wait_ready(std::span(&spec, 1), false).empty());
}

TEST(PollTest, ReportsOnlyTheReadyOnes) {
  Pipe empty, full;
  ASSERT_EQ(::write(full.write_end(), "x", 1), 1);
  PollSpec specs[] = {fd_readiness(empty.read_end(), POLLIN), fd_readiness(full.read_end(), POLLIN),
                      ready_now()};
  EXPECT_EQ(wait_ready(specs, true), (std::vector<uint32_t>{1, 2}));
}

TEST(PollTest, BlocksUntilTheEarliestDeadline) {
  Pipe pipe;
  uint64_t start = monotonic_now();
  PollSpec specs[] = {fd_readiness(pipe.read_end(), POLLIN),
                      PollSpec{.deadline = start + 200'000'000},
                      PollSpec{.deadline = start + 30'000'000}};
  EXPECT_EQ(wait_ready(specs, true), (std::vector<uint32_t>{2}));
  uint64_t waited = monotonic_now() - start;
  EXPECT_GE(waited, 30'000'000u);
  EXPECT_LT(waited, 190'000'000u);
}

TEST(PollTest, PastDeadlineIsReadyAtOnce) {
  PollSpec spec{.deadline = monotonic_now() - 1};
  EXPECT_EQ(wait_ready(std::span(&spec, 1), false), (std::vector<uint32_t>{0}));
}

}  // namespace
}  // namespace berth::wasi
