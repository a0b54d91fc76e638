// Function-level passing: flat parameters up to 16 core values, spilling beyond, results through
// memory, post-return, and a real guest calling a lowered import with spilled values both ways.
#include "abi_test_util.h"

namespace berth::component::abi::testing {
namespace {

using engine::ValType;
using engine::Value;

FuncTypeRef func_of(std::vector<TypeRef> params, TypeRef result) {
  auto f = std::make_shared<FuncType>();
  for (size_t i = 0; i < params.size(); ++i) {
    f->params.push_back({"p" + std::to_string(i), std::move(params[i])});
  }
  f->result = std::move(result);
  return f;
}

std::vector<Val> u32_args(uint32_t count) {
  std::vector<Val> args;
  for (uint32_t i = 0; i < count; ++i) args.push_back(Val::u32(i + 1));
  return args;
}

class FunctionsTest : public AbiTest {};

TEST_F(FunctionsTest, SixteenFlatParamsArePassedAsCoreValues) {
  FuncLayoutRef f =
      expect_ok(func_layout(func_of(std::vector<TypeRef>(16, prim(ValKind::kU32)), nullptr)));
  LiftLowerContext c = cx();
  std::vector<Val> args = u32_args(16);
  std::vector<Value> flat;
  expect_ok(lower_params(c, *f, args, flat));
  ASSERT_EQ(flat.size(), 16u);
  EXPECT_EQ(flat[15].i32, 16);
  std::vector<Val> lifted = expect_ok(lift_params(c, *f, flat));
  ASSERT_EQ(lifted.size(), 16u);
  for (size_t i = 0; i < 16; ++i) EXPECT_TRUE(vals_equal(lifted[i], args[i]));
}

TEST_F(FunctionsTest, SeventeenParamsAreSpilledThroughRealloc) {
  FuncLayoutRef f = expect_ok(
      func_layout(func_of(std::vector<TypeRef>(17, prim(ValKind::kU32)), prim(ValKind::kU32))));
  LiftLowerContext c = cx();
  reset_guest();
  std::vector<Value> flat;
  expect_ok(lower_params(c, *f, u32_args(17), flat));
  ASSERT_EQ(flat.size(), 1u);
  EXPECT_THAT(realloc_log(), ::testing::ElementsAre(ReallocCall{0, 0, 4, 68}));
  // The lifted callee sums its spilled parameters.
  Value result;
  expect_ok(store_->call(func("sum17"), flat, std::span<Value>(&result, 1)));
  std::optional<Val> sum = expect_ok(lift_results(c, *f, std::span<const Value>(&result, 1)));
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->u, 153u);
}

TEST_F(FunctionsTest, MixedParamsSpillAndRoundTrip) {
  // 2 + 2 + 1 + 3 + 2 + 1 + ... core values: 19 in all, so everything goes through memory.
  std::vector<TypeRef> params = {
      prim(ValKind::kString),
      Type::list(prim(ValKind::kU16)),
      prim(ValKind::kF64),
      Type::variant({{"a", prim(ValKind::kF32)},
                     {"b", Type::tuple({prim(ValKind::kU64), prim(ValKind::kU8)})}}),
      Type::option(prim(ValKind::kChar)),
      Type::flags({"x", "y"}),
      Type::result(prim(ValKind::kString), nullptr),
      prim(ValKind::kS8),
      prim(ValKind::kBool),
      prim(ValKind::kU64),
      Type::enumeration({"p", "q"}),
      prim(ValKind::kF32),
  };
  FuncLayoutRef f = expect_ok(func_layout(func_of(params, nullptr)));
  EXPECT_TRUE(f->params_in_memory);
  std::vector<Val> args = {
      Val::string("\u00e9t\u00e9 \U0001F31E"),
      Val::list({Val::u16(1), Val::u16(65535)}),
      Val::float64(2.75),
      Val::variant(1, Val::tuple({Val::u64(1ull << 63), Val::u8(9)})),
      Val::some(Val::character(U'\U0001F600')),
      Val::flags({2}),
      Val::ok(Val::string("ok")),
      Val::s8(-128),
      Val::boolean(true),
      Val::u64(12345678901234ull),
      Val::enumeration(1),
      Val::float32(-0.5f),
  };
  for (StringEncoding encoding :
       {StringEncoding::kUtf8, StringEncoding::kUtf16, StringEncoding::kLatin1Utf16}) {
    LiftLowerContext c = cx(encoding);
    std::vector<Value> flat;
    expect_ok(lower_params(c, *f, args, flat));
    ASSERT_EQ(flat.size(), 1u);
    std::vector<Val> lifted = expect_ok(lift_params(c, *f, flat));
    ASSERT_EQ(lifted.size(), args.size());
    for (size_t i = 0; i < args.size(); ++i) {
      EXPECT_TRUE(vals_equal(lifted[i], args[i])) << "parameter " << i;
    }
  }
}

TEST_F(FunctionsTest, MultiFieldResultsComeBackThroughMemory) {
  TypeRef pair = Type::tuple({prim(ValKind::kU32), prim(ValKind::kU64)});
  FuncLayoutRef f = expect_ok(func_layout(func_of({}, pair)));
  EXPECT_TRUE(f->result_in_memory);
  Value result;
  expect_ok(store_->call(func("pair"), {}, std::span<Value>(&result, 1)));
  LiftLowerContext c = cx();
  std::optional<Val> lifted = expect_ok(lift_results(c, *f, std::span<const Value>(&result, 1)));
  ASSERT_TRUE(lifted);
  EXPECT_TRUE(vals_equal(*lifted, Val::tuple({Val::u32(7), Val::u64(0x1122334455667788ull)})));
}

TEST_F(FunctionsTest, ResultsLoweredIntoTheCallersOutPointer) {
  TypeRef record = Type::record({{"name", prim(ValKind::kString)},
                                 {"sizes", Type::list(prim(ValKind::kU32))},
                                 {"flag", prim(ValKind::kBool)}});
  FuncLayoutRef f = expect_ok(func_layout(func_of({prim(ValKind::kU32)}, record)));
  EXPECT_EQ(f->lower_core_type().params.size(), 2u);
  LiftLowerContext c = cx();
  expect_ok(c.refresh_memory());
  uint32_t out = expect_ok(c.allocate(4, 20));
  std::vector<Value> flat_args = {Value::from_i32(5), Value::from_i32(static_cast<int32_t>(out))};
  Val value =
      Val::record({Val::string("r"), Val::list({Val::u32(3), Val::u32(4)}), Val::boolean(true)});
  expect_ok(lower_results(c, *f, value, flat_args, {}));
  // The lifting side of the same call sees it at the out-pointer.
  std::vector<Value> as_result = {Value::from_i32(static_cast<int32_t>(out))};
  std::optional<Val> lifted = expect_ok(lift_results(c, *f, as_result));
  EXPECT_TRUE(vals_equal(*lifted, value));

  std::vector<Value> unaligned_out = {flat_args[0], Value::from_i32(2)};
  EXPECT_ABI_ERROR(lower_results(c, *f, value, unaligned_out, {}), ErrorCode::kTrap,
                   "unaligned pointer 0x2 for the result");
  std::vector<Value> out_past_end = {flat_args[0],
                                     Value::from_i32(static_cast<int32_t>(memory_size() - 8))};
  EXPECT_ABI_ERROR(lower_results(c, *f, value, out_past_end, {}), ErrorCode::kTrap,
                   "out of bounds");
}

TEST_F(FunctionsTest, FlatResults) {
  FuncLayoutRef f = expect_ok(func_layout(func_of({}, prim(ValKind::kF64))));
  LiftLowerContext c = cx();
  Value result;
  expect_ok(lower_results(c, *f, Val::float64(0.125), {}, std::span<Value>(&result, 1)));
  EXPECT_EQ(result.type, ValType::kF64);
  std::optional<Val> lifted = expect_ok(lift_results(c, *f, std::span<const Value>(&result, 1)));
  EXPECT_EQ(lifted->f64, 0.125);

  FuncLayoutRef none = expect_ok(func_layout(func_of({}, nullptr)));
  EXPECT_FALSE(expect_ok(lift_results(c, *none, {})).has_value());
  expect_ok(lower_results(c, *none, std::nullopt, {}, {}));
  EXPECT_ABI_ERROR(lower_results(c, *none, Val::u8(1), {}, {}), ErrorCode::kInvalid,
                   "without result");
  EXPECT_ABI_ERROR(lower_results(c, *f, std::nullopt, {}, std::span<Value>(&result, 1)),
                   ErrorCode::kInvalid, "result is missing");
  EXPECT_ABI_ERROR(lower_results(c, *f, Val::u8(1), {}, std::span<Value>(&result, 1)),
                   ErrorCode::kInvalid, "got a u8");
}

TEST_F(FunctionsTest, SpilledPointersAreChecked) {
  FuncLayoutRef f =
      expect_ok(func_layout(func_of(std::vector<TypeRef>(17, prim(ValKind::kU32)), nullptr)));
  LiftLowerContext c = cx();
  std::vector<Value> unaligned = {Value::from_i32(4097)};
  EXPECT_ABI_ERROR(lift_params(c, *f, unaligned), ErrorCode::kTrap,
                   "unaligned pointer 0x1001 for the spilled parameters");
  std::vector<Value> past_end = {Value::from_i32(static_cast<int32_t>(memory_size() - 64))};
  EXPECT_ABI_ERROR(lift_params(c, *f, past_end), ErrorCode::kTrap, "out of bounds");

  FuncLayoutRef g = expect_ok(func_layout(func_of({}, prim(ValKind::kString))));
  std::vector<Value> bad_result = {Value::from_i32(2)};
  EXPECT_ABI_ERROR(lift_results(c, *g, bad_result), ErrorCode::kTrap, "unaligned pointer 0x2");
}

TEST_F(FunctionsTest, ArgumentCountsAreChecked) {
  FuncLayoutRef f = expect_ok(func_layout(func_of({prim(ValKind::kU8)}, nullptr)));
  LiftLowerContext c = cx();
  std::vector<Value> flat;
  EXPECT_ABI_ERROR(lower_params(c, *f, {}, flat), ErrorCode::kInvalid,
                   "0 arguments given to a function of 1 parameters");
  EXPECT_ABI_ERROR(lift_params(c, *f, {}), ErrorCode::kInvalid, "there are only 0 values");
}

TEST_F(FunctionsTest, BorrowParamsFollowTheTaskAndSubtaskRules) {
  auto file = std::make_shared<ResourceType>(ResourceType{.name = "test:fs/file", .id = 1});
  FuncLayoutRef f = expect_ok(func_layout(func_of({Type::borrow(file)}, prim(ValKind::kU32))));
  Val borrowed;
  borrowed.kind = ValKind::kBorrow;
  borrowed.handle = std::make_shared<ResourceHandle>(ResourceHandle{.type = file, .rep = 5});

  // Callee side: the borrow lowered into the call must be dropped before it returns.
  Task task;
  LiftLowerContext callee = cx();
  callee.task = &task;
  std::vector<Value> flat;
  expect_ok(lower_params(callee, *f, std::vector<Val>{borrowed}, flat));
  auto index = static_cast<uint32_t>(flat[0].i32);
  EXPECT_EQ(expect_ok(resource_rep(instance_state_, *file, index)), 5u);
  Value result = Value::from_i32(1);
  EXPECT_ABI_ERROR(lift_results(callee, *f, std::span<const Value>(&result, 1)), ErrorCode::kTrap,
                   "borrow handles still remain at the end of the call");
  expect_ok(resource_drop(instance_state_, *file, index));
  EXPECT_EQ(expect_ok(lift_results(callee, *f, std::span<const Value>(&result, 1)))->u, 1u);

  // Caller side: the guest lends its own handle until the result is lowered.
  uint32_t own = expect_ok(resource_new(instance_state_, file, 9));
  Subtask call(instance_state_);
  LiftLowerContext caller = cx();
  caller.subtask = &call;
  std::vector<Value> args = {Value::from_i32(static_cast<int32_t>(own))};
  std::vector<Val> params = expect_ok(lift_params(caller, *f, args));
  EXPECT_EQ(params[0].handle->rep, 9u);
  EXPECT_ABI_ERROR(resource_drop(instance_state_, *file, own), ErrorCode::kTrap,
                   "outstanding borrows");
  Value out;
  expect_ok(lower_results(caller, *f, Val::u32(3), args, std::span<Value>(&out, 1)));
  EXPECT_EQ(out.i32, 3);
  EXPECT_TRUE(expect_ok(resource_drop(instance_state_, *file, own)).run_destructor);
}

TEST_F(FunctionsTest, StringEchoWithPostReturn) {
  FuncLayoutRef f =
      expect_ok(func_layout(func_of({prim(ValKind::kString)}, prim(ValKind::kString))));
  CanonOptions& o = options();
  o.post_return = func("post_return");
  LiftLowerContext c = cx();
  std::vector<Value> flat;
  expect_ok(lower_params(c, *f, std::vector<Val>{Val::string("round \U0001F30D trip")}, flat));
  ASSERT_EQ(flat.size(), 2u);
  Value result;
  expect_ok(store_->call(func("echo_string"), flat, std::span<Value>(&result, 1)));
  std::optional<Val> echoed = expect_ok(lift_results(c, *f, std::span<const Value>(&result, 1)));
  EXPECT_EQ(echoed->str, "round \U0001F30D trip");
  expect_ok(call_post_return(c, std::span<const Value>(&result, 1)));
  EXPECT_EQ(call_i32("post_return_arg"), result.i32);
  EXPECT_TRUE(instance_state_.may_leave);
}

TEST_F(FunctionsTest, GuestCallsALoweredImportWithSpilledParamsAndResult) {
  FuncLayoutRef f =
      expect_ok(func_layout(func_of(std::vector<TypeRef>(17, prim(ValKind::kU32)),
                                    Type::tuple({prim(ValKind::kU32), prim(ValKind::kU64)}))));
  engine::FuncType core = f->lower_core_type();
  ASSERT_EQ(core.params.size(), 2u);

  CanonOptions import_options;
  InstanceState importer;
  std::vector<Val> seen;
  engine::Func host = expect_ok(store_->create_host_func(
      core,
      [&](engine::Store& store, std::span<const Value> params,
          std::span<Value> results) -> Result<void> {
        LiftLowerContext c(store, import_options, &importer);
        BERTH_TRY_ASSIGN(seen, lift_params(c, *f, params));
        uint64_t sum = 0;
        for (const Val& v : seen) sum += v.u;
        return lower_results(
            c, *f, Val::tuple({Val::u32(static_cast<uint32_t>(sum)), Val::u64((1ull << 40) + 5)}),
            params, results);
      }));
  auto module = expect_ok(engine_->compile(read_guest("abi_import"), {.name = "abi_import"}));
  engine::Extern imports[] = {engine::Extern::of(host)};
  engine::Instance instance = expect_ok(store_->instantiate(*module, imports));
  import_options.memory = engine::Memory{store_->get_export(instance, "memory")->id};

  Value result;
  auto call_spilled = store_->get_export(instance, "call_spilled");
  expect_ok(store_->call(engine::Func{call_spilled->id}, {}, std::span<Value>(&result, 1)));
  ASSERT_EQ(seen.size(), 17u);
  EXPECT_EQ(seen[16].u, 17u);
  EXPECT_EQ(result.i32, 153 + 5);
}

}  // namespace
}  // namespace berth::component::abi::testing
