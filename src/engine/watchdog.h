// Stops guest code that runs past a wall-clock deadline. Engine-independent: it calls an
// `interrupt` function (for V8, Isolate::TerminateExecution) from its own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace berth::engine {

class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Watchdog(std::function<void()> interrupt);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  void set_deadline(std::optional<Clock::time_point> deadline);
  std::optional<Clock::time_point> deadline() const { return deadline_; }
  bool expired() const { return deadline_ && Clock::now() >= *deadline_; }

  // Guest code runs between enter() and leave(); only then may the interrupt fire.
  // leave() tells whether it fired.
  void enter();
  bool leave();

 private:
  void run();

  std::function<void()> interrupt_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Clock::time_point> deadline_;
  bool guest_running_ = false;
  bool fired_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace berth::engine
