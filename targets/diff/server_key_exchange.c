/* The server_key_exchange target: td_target "server_key_exchange" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("server_key_exchange")
