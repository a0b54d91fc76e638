// Resource handles: the handle table, resource.new/rep/drop, own and borrow transfer through
// lifting and lowering, lend counts and borrow scopes, and every trap of CanonicalABI.md's rules.
#include "abi_test_util.h"

namespace berth::component::abi::testing {
namespace {

using engine::Value;

ResourceTypeRef resource(const std::string& name, uint64_t id) {
  return std::make_shared<ResourceType>(ResourceType{.name = name, .id = id});
}

Val handle_val(ValKind kind, const ResourceTypeRef& type, uint32_t rep) {
  Val v;
  v.kind = kind;
  v.handle = std::make_shared<ResourceHandle>(ResourceHandle{.type = type, .rep = rep});
  return v;
}

class HandlesTest : public AbiTest {
 protected:
  ResourceTypeRef file_ = resource("test:fs/file", 1);
  ResourceTypeRef socket_ = resource("test:net/socket", 2);
  TypeRef own_file_ = Type::own(file_);
  TypeRef borrow_file_ = Type::borrow(file_);

  // Lifts a handle type from index `index` of the instance's table (flat).
  Result<Val> lift_index(const TypeRef& type, uint32_t index, Subtask* subtask = nullptr) {
    LiftLowerContext c = cx();
    c.subtask = subtask;
    std::vector<Value> flat = {Value::from_i32(static_cast<int32_t>(index))};
    FlatReader reader(flat);
    return lift_flat(c, type, reader);
  }
  // Lowers a handle Val into the instance's table (flat) and returns the index.
  Result<uint32_t> lower_handle(const TypeRef& type, const Val& v, Task* task = nullptr) {
    LiftLowerContext c = cx();
    c.task = task;
    std::vector<Value> flat;
    BERTH_TRY(lower_flat(c, type, v, flat));
    return static_cast<uint32_t>(flat[0].i32);
  }
};

TEST(HandleTableTest, IndicesStartAtOneAndFreedOnesAreReused) {
  HandleTable table;
  ResourceTypeRef r = resource("r", 1);
  EXPECT_EQ(expect_ok(table.add({.type = r, .rep = 10, .own = true})), 1u);
  EXPECT_EQ(expect_ok(table.add({.type = r, .rep = 20, .own = true})), 2u);
  EXPECT_EQ(expect_ok(table.add({.type = r, .rep = 30, .own = true})), 3u);
  EXPECT_EQ(expect_ok(table.remove(2)).rep, 20u);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(expect_ok(table.add({.type = r, .rep = 40, .own = true})), 2u);
  EXPECT_EQ(expect_ok(table.get(2))->rep, 40u);
  EXPECT_ABI_ERROR(table.get(0), ErrorCode::kTrap, "unknown handle index 0");
  EXPECT_ABI_ERROR(table.get(4), ErrorCode::kTrap, "unknown handle index 4");
  EXPECT_ABI_ERROR(table.remove(7), ErrorCode::kTrap, "unknown handle index 7");
}

TEST_F(HandlesTest, ResourceNewRepDrop) {
  InstanceState& inst = instance_state_;
  uint32_t a = expect_ok(resource_new(inst, file_, 100));
  uint32_t b = expect_ok(resource_new(inst, file_, 200));
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  EXPECT_EQ(expect_ok(resource_rep(inst, *file_, b)), 200u);
  DroppedHandle dropped = expect_ok(resource_drop(inst, *file_, a));
  EXPECT_EQ(dropped.rep, 100u);
  EXPECT_TRUE(dropped.run_destructor);
  EXPECT_ABI_ERROR(resource_rep(inst, *file_, a), ErrorCode::kTrap, "unknown handle index 1");
  EXPECT_ABI_ERROR(resource_drop(inst, *file_, a), ErrorCode::kTrap, "unknown handle index 1");
  EXPECT_ABI_ERROR(resource_rep(inst, *socket_, b), ErrorCode::kTrap,
                   "handle index 2 is a test:fs/file, but a test:net/socket was expected");
  EXPECT_ABI_ERROR(resource_drop(inst, *socket_, b), ErrorCode::kTrap, "test:net/socket");
  EXPECT_ABI_ERROR(resource_rep(inst, *file_, 3), ErrorCode::kTrap, "unknown handle index 3");
}

TEST_F(HandlesTest, BuiltinsThatLeaveTheInstanceTrapDuringReallocOrPostReturn) {
  instance_state_.may_leave = false;
  EXPECT_ABI_ERROR(resource_new(instance_state_, file_, 1), ErrorCode::kTrap,
                   "cannot call resource.new while the instance may not be left");
  instance_state_.may_leave = true;
  uint32_t h = expect_ok(resource_new(instance_state_, file_, 1));
  instance_state_.may_leave = false;
  EXPECT_ABI_ERROR(resource_drop(instance_state_, *file_, h), ErrorCode::kTrap,
                   "cannot call resource.drop");
  // resource.rep does not leave the instance.
  EXPECT_EQ(expect_ok(resource_rep(instance_state_, *file_, h)), 1u);
}

TEST_F(HandlesTest, OwnHandlesMoveOutOfTheTableWhenLifted) {
  uint32_t h = expect_ok(resource_new(instance_state_, file_, 42));
  Val v = expect_ok(lift_index(own_file_, h));
  EXPECT_EQ(v.kind, ValKind::kOwn);
  ASSERT_TRUE(v.handle);
  EXPECT_EQ(v.handle->rep, 42u);
  EXPECT_EQ(v.handle->type, file_);
  EXPECT_EQ(v.handle->table_index, h);
  EXPECT_EQ(instance_state_.handles.size(), 0u);
  EXPECT_ABI_ERROR(lift_index(own_file_, h), ErrorCode::kTrap, "unknown handle index 1");

  // Lowering gives the instance a new owning handle with the same rep.
  uint32_t back = expect_ok(lower_handle(own_file_, v));
  HandleEntry* entry = expect_ok(instance_state_.handles.get(back));
  EXPECT_TRUE(entry->own);
  EXPECT_EQ(entry->rep, 42u);
  EXPECT_TRUE(expect_ok(resource_drop(instance_state_, *file_, back)).run_destructor);
}

TEST_F(HandlesTest, OwnHandlesThroughMemory) {
  TypeRef type = Type::list(Type::tuple({own_file_, prim(ValKind::kU8)}));
  Val value = Val::list({Val::tuple({handle_val(ValKind::kOwn, file_, 7), Val::u8(1)}),
                         Val::tuple({handle_val(ValKind::kOwn, file_, 8), Val::u8(2)})});
  Val back = memory_round_trip(type, value);
  EXPECT_TRUE(vals_equal(back, value));
  EXPECT_EQ(instance_state_.handles.size(), 0u);
}

TEST_F(HandlesTest, LiftingOwnChecksTheEntry) {
  uint32_t h = expect_ok(resource_new(instance_state_, file_, 1));
  EXPECT_ABI_ERROR(lift_index(Type::own(socket_), h), ErrorCode::kTrap,
                   "handle index 1 is a test:fs/file, but a test:net/socket was expected");
  // A failed lift leaves the handle where it was.
  EXPECT_EQ(expect_ok(resource_rep(instance_state_, *file_, h)), 1u);

  Task task;
  uint32_t borrowed =
      expect_ok(lower_handle(borrow_file_, handle_val(ValKind::kBorrow, file_, 5), &task));
  EXPECT_ABI_ERROR(lift_index(own_file_, borrowed), ErrorCode::kTrap,
                   "is a borrow, but an own handle was expected");
  EXPECT_ABI_ERROR(lift_index(own_file_, 0), ErrorCode::kTrap, "unknown handle index 0");
}

TEST_F(HandlesTest, BorrowsLendTheHandleUntilTheCallResolves) {
  uint32_t h = expect_ok(resource_new(instance_state_, file_, 9));
  {
    Subtask call(instance_state_);
    Val b = expect_ok(lift_index(borrow_file_, h, &call));
    EXPECT_EQ(b.kind, ValKind::kBorrow);
    EXPECT_EQ(b.handle->rep, 9u);
    // Lent twice in the same call (e.g. two borrow parameters).
    expect_ok(lift_index(borrow_file_, h, &call));
    EXPECT_EQ(expect_ok(instance_state_.handles.get(h))->num_lends, 2u);
    EXPECT_ABI_ERROR(resource_drop(instance_state_, *file_, h), ErrorCode::kTrap,
                     "cannot drop a resource with outstanding borrows");
    EXPECT_ABI_ERROR(lift_index(own_file_, h), ErrorCode::kTrap,
                     "cannot transfer ownership of handle index 1 while it is lent");
    call.deliver_resolve();
    EXPECT_EQ(expect_ok(instance_state_.handles.get(h))->num_lends, 0u);
    expect_ok(lift_index(borrow_file_, h, &call));
  }
  // The Subtask gives its lends back when it goes away, even without deliver_resolve.
  EXPECT_EQ(expect_ok(instance_state_.handles.get(h))->num_lends, 0u);
  EXPECT_TRUE(expect_ok(resource_drop(instance_state_, *file_, h)).run_destructor);
}

TEST_F(HandlesTest, LiftingABorrowNeedsASubtaskAndTheRightType) {
  uint32_t h = expect_ok(resource_new(instance_state_, file_, 9));
  EXPECT_ABI_ERROR(lift_index(borrow_file_, h), ErrorCode::kInvalid, "needs a Subtask");
  Subtask call(instance_state_);
  EXPECT_ABI_ERROR(lift_index(Type::borrow(socket_), h, &call), ErrorCode::kTrap,
                   "but a test:net/socket was expected");
  EXPECT_ABI_ERROR(lift_index(borrow_file_, 5, &call), ErrorCode::kTrap, "unknown handle index 5");
}

TEST_F(HandlesTest, BorrowsLoweredIntoACallMustBeDroppedBeforeItReturns) {
  Task task;
  uint32_t b =
      expect_ok(lower_handle(borrow_file_, handle_val(ValKind::kBorrow, file_, 77), &task));
  HandleEntry* entry = expect_ok(instance_state_.handles.get(b));
  EXPECT_FALSE(entry->own);
  EXPECT_EQ(entry->rep, 77u);
  EXPECT_EQ(expect_ok(resource_rep(instance_state_, *file_, b)), 77u);
  EXPECT_EQ(task.num_borrows(), 1u);
  EXPECT_ABI_ERROR(task.check_borrows_dropped(), ErrorCode::kTrap,
                   "borrow handles still remain at the end of the call");
  DroppedHandle dropped = expect_ok(resource_drop(instance_state_, *file_, b));
  EXPECT_FALSE(dropped.run_destructor);
  EXPECT_EQ(task.num_borrows(), 0u);
  expect_ok(task.check_borrows_dropped());
}

TEST_F(HandlesTest, BorrowsOfTheInstancesOwnResourcesArePassedAsTheRep) {
  instance_state_.add_defined_resource(file_);
  Task task;
  EXPECT_EQ(expect_ok(lower_handle(borrow_file_, handle_val(ValKind::kBorrow, file_, 1234), &task)),
            1234u);
  EXPECT_EQ(instance_state_.handles.size(), 0u);
  EXPECT_EQ(task.num_borrows(), 0u);
}

TEST_F(HandlesTest, LoweringABorrowNeedsATask) {
  EXPECT_ABI_ERROR(lower_handle(borrow_file_, handle_val(ValKind::kBorrow, file_, 1)),
                   ErrorCode::kInvalid, "needs a Task");
}

TEST_F(HandlesTest, HandleValsAreValidated) {
  EXPECT_ABI_ERROR(lower_handle(own_file_, handle_val(ValKind::kOwn, socket_, 1)),
                   ErrorCode::kInvalid, "the handle is a test:net/socket");
  Val empty;
  empty.kind = ValKind::kOwn;
  EXPECT_ABI_ERROR(lower_handle(own_file_, empty), ErrorCode::kInvalid, "holds no handle");
  EXPECT_ABI_ERROR(lower_handle(own_file_, handle_val(ValKind::kBorrow, file_, 1)),
                   ErrorCode::kInvalid, "got a borrow");
  CanonOptions options;
  LiftLowerContext no_table(*store_, options);
  std::vector<Value> flat;
  EXPECT_ABI_ERROR(lower_flat(no_table, own_file_, handle_val(ValKind::kOwn, file_, 1), flat),
                   ErrorCode::kInvalid, "handle table");
  std::vector<Value> index = {Value::from_i32(1)};
  FlatReader reader(index);
  EXPECT_ABI_ERROR(lift_flat(no_table, own_file_, reader), ErrorCode::kInvalid, "handle table");
}

TEST_F(HandlesTest, BorrowEntriesOutliveATaskSafely) {
  uint32_t b;
  {
    Task task;
    b = expect_ok(lower_handle(borrow_file_, handle_val(ValKind::kBorrow, file_, 3), &task));
  }
  // The task ended with a borrow left (a trap for the runtime); dropping it later is still safe.
  EXPECT_FALSE(expect_ok(resource_drop(instance_state_, *file_, b)).run_destructor);
}

TEST_F(HandlesTest, BorrowsThroughMemoryInsideAggregates) {
  uint32_t h = expect_ok(resource_new(instance_state_, file_, 55));
  TypeRef type = Type::record({{"f", borrow_file_}, {"n", prim(ValKind::kU32)}});
  LiftLowerContext c = cx();
  Subtask call(instance_state_);
  c.subtask = &call;
  expect_ok(c.refresh_memory());
  uint32_t ptr = expect_ok(c.allocate(4, 8));
  poke_u32(ptr, h);
  poke_u32(ptr + 4, 6);
  Val v = expect_ok(load(c, type, ptr));
  EXPECT_EQ(v.items[0].handle->rep, 55u);
  EXPECT_EQ(v.items[1].u, 6u);
  EXPECT_EQ(expect_ok(instance_state_.handles.get(h))->num_lends, 1u);
}

}  // namespace
}  // namespace berth::component::abi::testing
