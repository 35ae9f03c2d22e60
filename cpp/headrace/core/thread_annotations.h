// Clang thread-safety annotations: members say which mutex guards them, so the compiler
// (clang -Wthread-safety) and the reader both know. Under GCC they expand to nothing.
// Prefixed because gRPC's headers define the unprefixed names.
#pragma once

#if defined(__clang__)
#define HEADRACE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define HEADRACE_THREAD_ANNOTATION(x)
#endif

#define HEADRACE_GUARDED_BY(x) HEADRACE_THREAD_ANNOTATION(guarded_by(x))
#define HEADRACE_PT_GUARDED_BY(x) HEADRACE_THREAD_ANNOTATION(pt_guarded_by(x))
#define HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(...) \
  HEADRACE_THREAD_ANNOTATION(exclusive_locks_required(__VA_ARGS__))
#define HEADRACE_LOCKS_EXCLUDED(...) HEADRACE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
