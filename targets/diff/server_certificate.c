/* The server_certificate target: td_target "server_certificate" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("server_certificate")
