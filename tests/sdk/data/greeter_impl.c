/* A real implementation of the scaffolded greeter bundle: the test puts it in place of the
 * stub `berth bundle new` writes, then builds the project against the installed SDK. */
#include <stdlib.h>
#include <string.h>

#include "greeter_bindings.h"

typedef struct state {
  uint32_t calls;
  char greeting[64];
} state;

berth_status greeter_create(berth_call* call, const berth_config_entry* config,
                            size_t config_count, void** instance) {
  state* s = calloc(1, sizeof(state));
  if (s == NULL) return call->host->trap(call, "out of memory");
  strcpy(s->greeting, "Hello");
  for (size_t i = 0; i < config_count; ++i) {
    if (strcmp(config[i].key, "greeting") == 0 && strlen(config[i].value) < sizeof s->greeting) {
      strcpy(s->greeting, config[i].value);
    }
  }
  *instance = s;
  return BERTH_OK;
}

void greeter_destroy(void* instance) { free(instance); }

berth_status greet_hello(berth_call* call, const greet_hello_params* params, berth_str* result) {
  state* s = call->instance;
  s->calls++;
  size_t prefix = strlen(s->greeting);
  size_t len = prefix + 2 + params->name.len + 1;
  char* text = call->host->alloc(call, len, 1);
  if (text == NULL) return call->host->trap(call, "arena full");
  memcpy(text, s->greeting, prefix);
  memcpy(text + prefix, ", ", 2);
  memcpy(text + prefix + 2, params->name.ptr, params->name.len);
  text[len - 1] = '!';
  result->ptr = text;
  result->len = len;
  return BERTH_OK;
}

berth_status greet_add(berth_call* call, const greet_add_params* params, uint32_t* result) {
  if (params->a == 13) return call->host->trap(call, "13 is unlucky");
  *result = params->a + params->b;
  return BERTH_OK;
}

berth_status greet_get_stats(berth_call* call, greet_stats* result) {
  state* s = call->instance;
  result->calls = s->calls;
  result->last.is_some = false;
  return BERTH_OK;
}

berth_status greet_classify(berth_call* call, const greet_classify_params* params,
                            greeter_result_mood_string* result) {
  if (params->s.tag == GREET_SHAPE_EMPTY) {
    result->is_err = true;
    result->val.err = berth_str_from_cstr(call, "empty shape");
    return BERTH_OK;
  }
  result->is_err = false;
  result->val.ok = (params->p.bits[0] & (1u << GREET_PERMS_WRITE)) ? GREET_MOOD_BUSY : GREET_MOOD_CALM;
  return BERTH_OK;
}

berth_status greet_reverse(berth_call* call, const greet_reverse_params* params,
                           berth_list* result) {
  uint8_t* out = call->host->alloc(call, params->data.len ? params->data.len : 1, 1);
  const uint8_t* in = params->data.ptr;
  for (size_t i = 0; i < params->data.len; ++i) out[i] = in[params->data.len - 1 - i];
  result->ptr = out;
  result->len = params->data.len;
  return BERTH_OK;
}

berth_status greet_counter_new(berth_call* call, const greet_counter_new_params* params,
                               berth_rep* result) {
  uint32_t* counter = malloc(sizeof(uint32_t));
  if (counter == NULL) return call->host->trap(call, "out of memory");
  *counter = params->start;
  *result = (berth_rep)counter;
  return BERTH_OK;
}

berth_status greet_counter_next(berth_call* call, const greet_counter_next_params* params,
                                uint32_t* result) {
  (void)call;
  uint32_t* counter = (uint32_t*)params->self;
  *result = ++*counter;
  return BERTH_OK;
}

void greet_counter_destroy(void* instance, berth_rep rep) {
  (void)instance;
  free((void*)rep);
}
