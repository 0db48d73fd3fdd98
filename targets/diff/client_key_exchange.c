/* The client_key_exchange target: td_target "client_key_exchange" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("client_key_exchange")
