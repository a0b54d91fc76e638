// Process-wide V8 set-up. V8 is initialised once, on first use, and never torn down.
#pragma once

#include <v8.h>

namespace berth::engine::v8impl {

// Flags, the wasm trap handler and the platform; safe to call from any thread, any number of times.
void ensure_initialized();

v8::Isolate* new_isolate();

// Everything needed to use an isolate and its context on the current thread.
class ContextScope {
 public:
  ContextScope(v8::Isolate* isolate, const v8::Global<v8::Context>& context)
      : isolate_scope_(isolate),
        handle_scope_(isolate),
        context_(context.Get(isolate)),
        context_scope_(context_) {}

  v8::Local<v8::Context> context() const { return context_; }

 private:
  v8::Isolate::Scope isolate_scope_;
  v8::HandleScope handle_scope_;
  v8::Local<v8::Context> context_;
  v8::Context::Scope context_scope_;
};

}  // namespace berth::engine::v8impl
