/* The client_finished target: td_target "client_finished" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("client_finished")
