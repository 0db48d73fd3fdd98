/* The client_certificate target: td_target "client_certificate" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("client_certificate")
