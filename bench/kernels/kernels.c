// Compute kernels compiled twice from this one source: natively into the benchmark binary and
// to wasm32 with clang-19, so the two can be compared in the same run.
#include <stddef.h>
#include <stdint.h>

#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(name)))
// Freestanding wasm has no libc; the compiler may still emit calls to these.
void* memset(void* dst, int c, size_t n) {
  unsigned char* d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}
void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  while (n--) *d++ = *s++;
  return dst;
}
#else
#define EXPORT(name)
#endif

EXPORT("kernel_fib") int32_t kernel_fib(int32_t n) {
  return n < 2 ? n : kernel_fib(n - 1) + kernel_fib(n - 2);
}

#define SIEVE_LIMIT (1 << 21)
static uint8_t composite[SIEVE_LIMIT];

EXPORT("kernel_sieve") int32_t kernel_sieve(int32_t limit) {
  if (limit > SIEVE_LIMIT) limit = SIEVE_LIMIT;
  for (int32_t i = 0; i < limit; ++i) composite[i] = 0;
  int32_t count = 0;
  for (int32_t i = 2; i < limit; ++i) {
    if (composite[i]) continue;
    ++count;
    for (int64_t j = (int64_t)i * i; j < limit; j += i) composite[j] = 1;
  }
  return count;
}

#define MAT_N 128
static double mat_a[MAT_N * MAT_N], mat_b[MAT_N * MAT_N], mat_c[MAT_N * MAT_N];

EXPORT("kernel_matmul") double kernel_matmul(int32_t n) {
  if (n > MAT_N) n = MAT_N;
  for (int32_t i = 0; i < n * n; ++i) {
    mat_a[i] = (double)(i % 17) * 0.5;
    mat_b[i] = (double)(i % 13) * 0.25;
  }
  for (int32_t i = 0; i < n; ++i) {
    for (int32_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int32_t k = 0; k < n; ++k) sum += mat_a[i * n + k] * mat_b[k * n + j];
      mat_c[i * n + j] = sum;
    }
  }
  return mat_c[(n / 2) * n + n / 3];
}

#define CRC_BYTES (1 << 20)
static uint8_t crc_input[CRC_BYTES];

EXPORT("kernel_crc32") uint32_t kernel_crc32(int32_t size) {
  if (size > CRC_BYTES) size = CRC_BYTES;
  uint32_t seed = 12345;
  for (int32_t i = 0; i < size; ++i) {
    seed = seed * 1103515245u + 12345u;
    crc_input[i] = (uint8_t)(seed >> 16);
  }
  uint32_t crc = 0xffffffffu;
  for (int32_t i = 0; i < size; ++i) {
    crc ^= crc_input[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}
