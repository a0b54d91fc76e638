#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int32_t kernel_fib(int32_t n);
int32_t kernel_sieve(int32_t limit);
double kernel_matmul(int32_t n);
uint32_t kernel_crc32(int32_t size);

#ifdef __cplusplus
}
#endif
