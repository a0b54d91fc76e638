/* A WASI command reading values of keyvalue:store@0.1.0 through keyvalue:store/streaming, with
 * the imports declared by hand following the Canonical ABI:
 *
 *   kv-stream read KEY blocking|poll | drop KEY
 *
 * `read` reads the value through the wasi:io input-stream get-stream returns, with
 * blocking-read, or with subscribe + poll + read, and prints "N bytes in K reads, fnv1a64 HEX";
 * `drop` drops the stream unread and prints "dropped". No value under KEY, or a store error,
 * exits 1 saying so. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* string as the Canonical ABI lays it out in linear memory (wasm32) */
typedef struct {
  const char* ptr;
  size_t len;
} kv_string;

/* result<option<own<input-stream>>, string> */
typedef struct {
  uint8_t is_err;
  union {
    struct {
      uint8_t is_some;
      uint32_t stream;
    } ok;
    kv_string err;
  } val;
} kv_stream_ret;

/* result<list<u8>, stream-error>; stream-error is variant { last-operation-failed(own<error>),
 * closed } */
typedef struct {
  uint8_t is_err;
  union {
    struct {
      const uint8_t* ptr;
      size_t len;
    } ok;
    struct {
      uint8_t tag; /* 0: last-operation-failed, 1: closed */
      uint32_t error;
    } err;
  } val;
} io_read_ret;

/* list<u32> */
typedef struct {
  const uint32_t* ptr;
  size_t len;
} io_u32_list;

/* Results whose flat form has more than one value come back through a pointer. */
__attribute__((import_module("keyvalue:store/streaming@0.1.0"), import_name("get-stream"))) void
kv_get_stream(const char* key, size_t key_len, kv_stream_ret* ret);

#define IO_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
IO_IMPORT("wasi:io/streams@0.2.12", "[method]input-stream.read")
void io_read(uint32_t stream, uint64_t len, io_read_ret* ret);
IO_IMPORT("wasi:io/streams@0.2.12", "[method]input-stream.blocking-read")
void io_blocking_read(uint32_t stream, uint64_t len, io_read_ret* ret);
IO_IMPORT("wasi:io/streams@0.2.12", "[method]input-stream.subscribe")
uint32_t io_subscribe(uint32_t stream);
IO_IMPORT("wasi:io/streams@0.2.12", "[resource-drop]input-stream")
void io_drop_input_stream(uint32_t stream);
IO_IMPORT("wasi:io/poll@0.2.12", "poll")
void io_poll(const uint32_t* in, size_t len, io_u32_list* ret);
IO_IMPORT("wasi:io/poll@0.2.12", "[resource-drop]pollable") void io_drop_pollable(uint32_t p);

/* berth allocates the strings and lists of results in our memory through this export. */
__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, size_t old_size,
                                                                size_t align, size_t new_size) {
  (void)old_size;
  (void)align; /* malloc's alignment (16) covers every Canonical ABI alignment */
  if (new_size == 0) return (void*)align;
  void* out = realloc(old, new_size);
  if (out == NULL) abort();
  return out;
}

static int failed(const char* operation, kv_string message) {
  fprintf(stderr, "kv-stream: %s failed: %.*s\n", operation, (int)message.len, message.ptr);
  return 1;
}

static int usage(void) {
  fprintf(stderr, "usage: kv-stream read KEY blocking|poll | drop KEY\n");
  return 2;
}

/* The stream of the value under `key`, or 0 after saying why. */
static uint32_t open_stream(const char* key) {
  kv_stream_ret ret;
  kv_get_stream(key, strlen(key), &ret);
  if (ret.is_err) {
    failed("get-stream", ret.val.err);
    return 0;
  }
  if (!ret.val.ok.is_some) {
    fprintf(stderr, "kv-stream: no value stored under '%s'\n", key);
    return 0;
  }
  return ret.val.ok.stream;
}

/* Reads the value under `key` to its end through its stream, with blocking reads or with
 * subscribe + poll before each read that may not block. */
static int read_stream(const char* key, int blocking) {
  uint32_t stream = open_stream(key);
  if (stream == 0) return 1;
  uint64_t total = 0, reads = 0, hash = 0xcbf29ce484222325u; /* FNV-1a 64 */
  /* Bounded: a 64 KiB read at a time of a value under 64 MiB, plus the empty reads polling may
   * see. */
  for (int i = 0; i < 1 << 20; ++i) {
    io_read_ret ret;
    if (blocking) {
      io_blocking_read(stream, 65536, &ret);
    } else {
      uint32_t pollable = io_subscribe(stream);
      io_u32_list ready;
      io_poll(&pollable, 1, &ready);
      int woke = ready.len == 1 && ready.ptr[0] == 0;
      if (ready.len) free((void*)ready.ptr);
      io_drop_pollable(pollable);
      if (!woke) {
        fprintf(stderr, "kv-stream: poll returned without the stream\n");
        return 1;
      }
      io_read(stream, 65536, &ret);
    }
    if (ret.is_err) {
      io_drop_input_stream(stream);
      if (ret.val.err.tag != 1) {
        fprintf(stderr, "kv-stream: reading the stream failed\n");
        return 1;
      }
      printf("%" PRIu64 " bytes in %" PRIu64 " reads, fnv1a64 %016" PRIx64 "\n", total, reads,
             hash);
      return 0;
    }
    ++reads;
    for (size_t b = 0; b < ret.val.ok.len; ++b) {
      hash = (hash ^ ret.val.ok.ptr[b]) * 0x100000001b3u;
    }
    total += ret.val.ok.len;
    if (ret.val.ok.len) free((void*)ret.val.ok.ptr); /* an empty list was never allocated */
  }
  fprintf(stderr, "kv-stream: the stream did not end\n");
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const char* command = argv[1];
  if (strcmp(command, "read") == 0 && argc == 4) {
    if (strcmp(argv[3], "blocking") != 0 && strcmp(argv[3], "poll") != 0) return usage();
    return read_stream(argv[2], strcmp(argv[3], "blocking") == 0);
  }
  if (strcmp(command, "drop") == 0 && argc == 3) {
    uint32_t stream = open_stream(argv[2]);
    if (stream == 0) return 1;
    io_drop_input_stream(stream);
    printf("dropped\n");
    return 0;
  }
  return usage();
}
