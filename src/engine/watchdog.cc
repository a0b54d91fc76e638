#include "engine/watchdog.h"

namespace berth::engine {

Watchdog::Watchdog(std::function<void()> interrupt) : interrupt_(std::move(interrupt)) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Watchdog::set_deadline(std::optional<Clock::time_point> deadline) {
  {
    std::lock_guard lock(mutex_);
    deadline_ = deadline;
    if (deadline_ && !thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  wake_.notify_all();
}

void Watchdog::enter() {
  std::lock_guard lock(mutex_);
  guest_running_ = true;
  fired_ = false;
}

bool Watchdog::leave() {
  std::lock_guard lock(mutex_);
  guest_running_ = false;
  return fired_;
}

void Watchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!deadline_) {
      wake_.wait(lock);
      continue;
    }
    if (Clock::now() < *deadline_) {
      wake_.wait_until(lock, *deadline_);
      continue;
    }
    // Past the deadline: stop the guest if it is running, and keep checking, since a guest that
    // starts later must be stopped as well.
    if (guest_running_ && !fired_) {
      fired_ = true;
      interrupt_();
    }
    wake_.wait_for(lock, std::chrono::milliseconds(10));
  }
}

}  // namespace berth::engine
