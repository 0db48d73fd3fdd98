/* The client_hello target: td_target "client_hello" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("client_hello")
