// Recursive Fibonacci: the CLI's acceptance test and a compute benchmark kernel.
__attribute__((export_name("fib"))) int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
