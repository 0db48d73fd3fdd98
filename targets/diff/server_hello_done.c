/* The server_hello_done target: td_target "server_hello_done" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("server_hello_done")
