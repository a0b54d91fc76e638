#include "berth/result.h"

#include <gtest/gtest.h>

#include <memory>

namespace berth {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return Error(ErrorCode::kMalformed, "not a digit");
  return c - '0';
}

Result<int> sum_digits(const char* text) {
  int sum = 0;
  for (const char* p = text; *p; ++p) {
    BERTH_TRY_ASSIGN(int digit, parse_digit(*p));
    sum += digit;
  }
  return sum;
}

Result<void> check_positive(int v) {
  if (v <= 0) return Error(ErrorCode::kInvalid, "not positive");
  return {};
}

Result<int> positive_sum(const char* text) {
  BERTH_TRY_ASSIGN(int sum, sum_digits(text));
  BERTH_TRY(check_positive(sum));
  return sum;
}

TEST(Result, PropagatesErrors) {
  EXPECT_EQ(*positive_sum("123"), 6);
  auto bad = positive_sum("1x3");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kMalformed);
  auto zero = positive_sum("00");
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code(), ErrorCode::kInvalid);
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(5));
  ASSERT_TRUE(r);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(Error, DescribesBacktraceAndContext) {
  Error e(ErrorCode::kTrap, "unreachable");
  e.prepend("app.wasm");
  e.set_backtrace({{"", "main", 3, 0x2a}, {"m", "", 1, 0x10}});
  EXPECT_EQ(e.describe(),
            "app.wasm: unreachable\nwasm backtrace:\n  0: main (func 3) at offset 0x2a\n"
            "  1: m!<func 1> at offset 0x10");
}

}  // namespace
}  // namespace berth
