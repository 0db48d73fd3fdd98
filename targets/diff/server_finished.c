/* The server_finished target: td_target "server_finished" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("server_finished")
