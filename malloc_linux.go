//go:build linux && cgo

package main

/*
#include <malloc.h>

// byok_one_arena makes glibc's malloc serve every thread from its main
// arena. SQLite's memory (its page cache: one malloc per 4 KB page read)
// is allocated on whichever OS thread the Go runtime runs the cgo call
// on; glibc gives such threads arenas of their own, and grows those one
// mprotect call per page, with no top pad (1,250 calls for `byok list
// --json` at 10,000 configs, about 10 ms). The main arena grows with brk
// 128 KB at a time. byok's C code runs on a few threads at most, so one
// arena costs no contention. Other C libraries (musl) have no arenas:
// nothing to do there. It runs as a constructor, before the Go runtime
// starts a thread: arenas a thread already has are kept.
__attribute__((constructor)) static void byok_one_arena(void) {
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 1);
#endif
}
*/
import "C"
